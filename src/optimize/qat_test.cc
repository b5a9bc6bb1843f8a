#include "optimize/qat.h"

#include <gtest/gtest.h>

#include "common/fs.h"
#include "optimize/quant_math.h"
#include "train/testing/fixtures.h"

namespace emlkit::optimize {
namespace {

TEST(FakeQuantize, RoundsToTheInt8GridAndClamps) {
  const float scale = 0.1f;
  EXPECT_FLOAT_EQ(FakeQuantize(0.26f, scale, 0), 0.3f);
  EXPECT_FLOAT_EQ(FakeQuantize(-0.24f, scale, 0), -0.2f);
  EXPECT_FLOAT_EQ(FakeQuantize(100.0f, scale, 0), 12.7f);     // q clamps at 127
  EXPECT_FLOAT_EQ(FakeQuantize(-100.0f, scale, -128), 0.0f);  // q clamps at -128 = zero point
}

TEST(FakeQuantLayer, TracksItsRangeAndPassesGradientsOnlyInside) {
  auto layer = MakeFakeQuantLayer({4});
  Rng rng(1);
  train::ForwardContext training{true, &rng};
  // One record, feature-major [4][1]: the range seen is [-1, 3].
  const std::vector<float> x = {-1.0f, 0.5f, 3.0f, 1.23f};
  std::vector<float> y(4);
  layer->Forward(x.data(), 1, y.data(), training);
  const QuantParams p = AsymmetricParams(-1.0, 3.0);
  for (size_t i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(y[i], FakeQuantize(x[i], p.scale, p.zero_point));
  EXPECT_NE(y[3], x[3]);  // really rounded
  // Inference keeps the range: 10 is clipped to the top of [-1, 3]; its gradient is stopped.
  const std::vector<float> x2 = {10.0f, 0.0f, -0.5f, 2.0f};
  train::ForwardContext inference;
  layer->Forward(x2.data(), 1, y.data(), inference);
  EXPECT_NEAR(y[0], 3.0f, p.scale);
  std::vector<float> dx(4);
  const std::vector<float> dy = {1, 1, 1, 1};
  layer->Backward(x2.data(), y.data(), dy.data(), 1, dx.data());
  EXPECT_EQ(dx[0], 0.0f);
  EXPECT_EQ(dx[1], 1.0f);
  EXPECT_EQ(dx[2], 1.0f);
  EXPECT_EQ(dx[3], 1.0f);
}

TEST(QuantizationAwareTraining, FineTunesWithoutLosingAccuracy) {
  ScratchDir dir;
  ASSERT_TRUE(train::testing::WriteDatasetFolder(
                  dir.path(), train::testing::Synthetic("classification", 600, 2))
                  .ok());
  auto ds = data::LoadDataset(dir.path());
  ASSERT_TRUE(ds.ok());
  train::TrainOptions o;
  o.loop.epochs = 20;
  auto m = train::Fit(*ds, o);
  ASSERT_TRUE(m.ok());
  const double before = m->metrics["test"]["accuracy"].get<double>();
  const std::vector<float> weights = m->net->weights();
  QatOptions q;
  q.epochs = 3;
  auto r = QuantizationAwareTraining(*m, *ds, q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->history.size(), 3u);
  EXPECT_NE(m->net->weights(), weights);
  EXPECT_GE(m->metrics["test"]["accuracy"].get<double>(), before - 0.02);
}

}  // namespace
}  // namespace emlkit::optimize
