#include "optimize/calibration.h"

#include <gtest/gtest.h>

#include <limits>

#include "optimize/records.h"
#include "optimize/testing/graphs.h"

namespace emlkit::optimize {
namespace {

namespace tfl = ::emlkit::tflite;

// input [1, 3] -> RELU -> output.
tfl::Runner ReluRunner() {
  testing::GraphBuilder g(1);
  const int32_t x = g.Input({1, 3});
  g.model().outputs = {g.Op(tfl::op::kRelu, {x}, "relu", {1, 3})};
  auto r = tfl::Runner::FromBytes(*tfl::WriteModel(g.model()), "relu.tflite");
  EXPECT_TRUE(r.ok());
  return std::move(*r);
}

NpyArray Records(const std::vector<float>& v) {
  NpyArray a = NpyArray::Zeros(DType::kFloat32, {static_cast<int64_t>(v.size() / 3), 3});
  std::copy(v.begin(), v.end(), a.data<float>());
  return a;
}

TEST(CollectActivationStats, SeesEveryValueOfInputsAndOutputs) {
  tfl::Runner r = ReluRunner();
  auto stats = CollectActivationStats(r, {Records({-2, 0.5f, 1, 3, -1, 0.25f})}, true);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ(stats->size(), 2u);
  const TensorStats& in = stats->at(0);
  EXPECT_EQ(in.min, -2.0);
  EXPECT_EQ(in.max, 3.0);
  EXPECT_EQ(in.count, 6);
  const TensorStats& out = stats->at(1);
  EXPECT_EQ(out.min, 0.0);
  EXPECT_EQ(out.max, 3.0);
  uint64_t total = 0;
  for (uint64_t c : out.hist) total += c;
  EXPECT_EQ(total, 6u);
  EXPECT_EQ(out.hist.front(), 2u);  // the two clamped negatives
}

TEST(CollectActivationStats, NamesTheTensorAndRecordOfANonFiniteValue) {
  tfl::Runner r = ReluRunner();
  auto stats = CollectActivationStats(
      r, {Records({1, 2, 3, 1, std::numeric_limits<float>::infinity(), 3})}, false);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(stats.status().message().find("tensor 0 'input'"), std::string::npos)
      << stats.status().message();
  EXPECT_NE(stats.status().message().find("record 1"), std::string::npos);
}

TEST(SampleRecords, IsASeededSubsetInOrder) {
  RecordSet set;
  NpyArray x = NpyArray::Zeros(DType::kFloat32, {100, 1});
  for (int i = 0; i < 100; ++i) x.data<float>()[i] = static_cast<float>(i);
  set.inputs.push_back(x);
  const RecordSet a = SampleRecords(set, 10, 5), b = SampleRecords(set, 10, 5);
  const RecordSet c = SampleRecords(set, 10, 6);
  ASSERT_EQ(a.records(), 10);
  std::vector<float> va(a.inputs[0].data<float>(), a.inputs[0].data<float>() + 10);
  std::vector<float> vb(b.inputs[0].data<float>(), b.inputs[0].data<float>() + 10);
  std::vector<float> vc(c.inputs[0].data<float>(), c.inputs[0].data<float>() + 10);
  EXPECT_EQ(va, vb);
  EXPECT_NE(va, vc);
  EXPECT_TRUE(std::is_sorted(va.begin(), va.end()));
  EXPECT_EQ(SampleRecords(set, 1000, 5).records(), 100);
}

}  // namespace
}  // namespace emlkit::optimize
