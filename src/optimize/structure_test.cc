// Removing units must compute exactly what the original network computes once those units'
// outgoing weights are zero: the rebuilt layers keep every other weight where it belongs.
#include "optimize/structure.h"

#include <gtest/gtest.h>

#include "optimize/testing/graphs.h"

namespace emlkit::optimize {
namespace {

train::Network Build(const train::Shape& in, const std::string& layers, uint64_t seed) {
  auto specs = train::ParseLayers(layers, "test");
  EXPECT_TRUE(specs.ok()) << specs.status().ToString();
  auto net = train::Network::Build(in, *specs, 64);
  EXPECT_TRUE(net.ok()) << net.status().ToString();
  net->Init(seed);
  // Non-zero biases too, so that dropping a unit's bias is visible.
  for (const auto& l : net->layers()) {
    if (l->params().empty()) continue;
    train::ParamBlock& b = l->params()[1];
    for (int64_t i = 0; i < b.size(); ++i) b.value[i] = 0.05f * static_cast<float>(i % 5) - 0.1f;
  }
  return std::move(*net);
}

// Predictions of the pruned network against the original with the removed units silenced.
void ExpectEquivalent(const train::Shape& in, const std::string& layers,
                      const std::vector<std::vector<int>>& keep) {
  SCOPED_TRACE(layers);
  train::Network net = Build(in, layers, 3);
  const std::vector<train::LayerSpec> specs = *train::ParseLayers(layers, "test");
  const std::vector<PrunableLayer> prunable = FindPrunableLayers(net);
  ASSERT_EQ(prunable.size(), keep.size());
  auto shrunk = ShrinkNetwork(net, specs, prunable, keep);
  ASSERT_TRUE(shrunk.ok()) << shrunk.status().ToString();
  for (size_t i = 0; i < prunable.size(); ++i) {
    EXPECT_EQ(shrunk->specs[prunable[i].layer].units, static_cast<int>(keep[i].size()));
    for (int u = 0; u < prunable[i].units; ++u) {
      if (std::find(keep[i].begin(), keep[i].end(), u) != keep[i].end()) continue;
      train::ParamBlock& w = net.layers()[prunable[i].consumer]->params()[0];
      for (int64_t c : ConsumerColumns(net, prunable[i], u)) {
        for (int64_t r = 0; r < w.shape[0]; ++r) w.value[r * w.shape[1] + c] = 0.0f;
      }
    }
  }
  EXPECT_LT(shrunk->net.weights().size(), net.weights().size());
  int64_t per = 1;
  for (int64_t d : in) per *= d;
  const NpyArray x = testing::RandomRecords(50, in, 4);
  std::vector<float> a(static_cast<size_t>(50 * net.output_size()));
  std::vector<float> b(a.size());
  net.Predict(x.data<float>(), 50, a.data());
  shrunk->net.Predict(x.data<float>(), 50, b.data());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-5) << "value " << i;
}

TEST(ShrinkNetwork, DenseLayers) {
  ExpectEquivalent({4}, "dense:6:relu,dense:5:relu,dense:3", {{0, 2, 5}, {1, 4}});
}

TEST(ShrinkNetwork, ConvPoolConvGapDense) {
  ExpectEquivalent({12, 2}, "conv1d:4:3:relu,maxpool1d:2,conv1d:5:3:relu,gap,dense:3:relu,dense:2",
                   {{0, 3}, {1, 2, 4}, {0, 2}});
}

TEST(ShrinkNetwork, ConvFlattenDense) {
  ExpectEquivalent({8, 3}, "conv1d:4:3:relu:padding=same,flatten,dense:4:relu,dense:2",
                   {{1, 2, 3}, {0, 3}});
}

TEST(FindPrunableLayers, TheOutputLayerIsNeverPrunable) {
  train::Network net = Build({4}, "dense:6:relu,dropout:0.1,dense:5:relu,dense:3", 1);
  const std::vector<PrunableLayer> p = FindPrunableLayers(net);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].layer, 0u);
  EXPECT_EQ(p[0].consumer, 2u);  // through the dropout layer
  EXPECT_EQ(p[1].layer, 2u);
  EXPECT_EQ(p[1].consumer, 3u);
  EXPECT_EQ(p[1].units, 5);
}

}  // namespace
}  // namespace emlkit::optimize
