#include "optimize/compare.h"

#include <gtest/gtest.h>

#include <cmath>

#include "optimize/testing/graphs.h"

namespace emlkit::optimize {
namespace {

namespace tfl = ::emlkit::tflite;

tfl::Runner RunnerOf(const tfl::Model& m, const std::string& name) {
  auto bytes = tfl::WriteModel(m);
  EXPECT_TRUE(bytes.ok());
  auto r = tfl::Runner::FromBytes(*bytes, name);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(*r);
}

TEST(CompareModels, AModelAgainstItselfIsExact) {
  const tfl::Model m = testing::AllOpsGraph();
  tfl::Runner a = RunnerOf(m, "a"), b = RunnerOf(m, "b");
  auto c = CompareModels(a, b, {testing::RandomRecords(20, {1, 4, 4, 2}, 1)});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->records, 20);
  EXPECT_EQ(c->outputs[0].argmax_agree, 20);
  EXPECT_TRUE(std::isinf(c->outputs[0].error.sqnr_db));
  for (const LayerComparison& l : c->layers) {
    EXPECT_EQ(l.error.max_abs_error, 0.0) << l.tensor_name;
    EXPECT_EQ(l.error.clipped_share, 0.0);
  }
  EXPECT_EQ(c->ref_outputs[0], c->test_outputs[0]);
  const nlohmann::json j = ComparisonJson(*c);
  EXPECT_TRUE(j["outputs"][0]["sqnr_db"].is_null());  // infinite
  EXPECT_EQ(j["outputs"][0]["agreement"], 1.0);
  EXPECT_NE(ComparisonText(*c).find("same predicted class on 100.00 % of records"),
            std::string::npos);
}

TEST(CompareModels, OtherWeightsShowUpAsError) {
  tfl::Runner a = RunnerOf(testing::AllOpsGraph(1), "a");
  tfl::Runner b = RunnerOf(testing::AllOpsGraph(2), "b");
  auto c = CompareModels(a, b, {testing::RandomRecords(20, {1, 4, 4, 2}, 1)});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->layers[0].error.max_abs_error, 0.0);  // the same input
  EXPECT_GT(c->layers[2].error.max_abs_error, 0.0);  // the conv with other weights
  EXPECT_LT(c->outputs[0].error.sqnr_db, 30.0);
}

TEST(CompareModels, RefusesModelsWithOtherInputs) {
  testing::GraphBuilder g(1);
  const int32_t x = g.Input({1, 3});
  g.model().outputs = {g.Op(tfl::op::kRelu, {x}, "relu", {1, 3})};
  tfl::Runner a = RunnerOf(testing::AllOpsGraph(), "all_ops.tflite");
  tfl::Runner b = RunnerOf(g.model(), "relu.tflite");
  auto c = CompareModels(a, b, {testing::RandomRecords(2, {1, 4, 4, 2}, 1)});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("all_ops.tflite and relu.tflite"), std::string::npos)
      << c.status().message();
}

}  // namespace
}  // namespace emlkit::optimize
