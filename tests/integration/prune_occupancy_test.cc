// `emlkit prune` on the occupancy quality bar (issue 5): structured pruning to at most half the
// MACs keeps the test accuracy within 0.5 points of the unpruned model while parameters, MACs,
// model bytes and arena really shrink; magnitude pruning reaches its sparsity, and the report
// says what the zeros save once compressed. The pruned model quantizes like any trained one.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "common/fs.h"
#include "integration/occupancy_model.h"
#include "support/test_util.h"
#include "tflite/summary.h"

namespace emlkit {
namespace {

using testing::CliResult;
using testing::RunEmlkit;
using testing::RunJson;

TEST(PruneOccupancy, StructuredToHalfTheMacsKeepsTheAccuracy) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  const std::string out = m.dir + "/pruned.tflite";
  const nlohmann::json r =
      RunJson({"prune", m.model, "--data", m.data, "--out", out, "--target-macs", "0.5"});
  ASSERT_TRUE(r.is_object());
  const nlohmann::json &b = r["before"], &a = r["after"];
  std::printf(
      "structured: %s -> %s; params %d -> %d, MACs %d -> %d, bytes %d -> %d, arena %d -> "
      "%d, test accuracy %.4f -> %.4f\n",
      b["architecture"].get<std::string>().c_str(), a["architecture"].get<std::string>().c_str(),
      b["params"].get<int>(), a["params"].get<int>(), b["macs"].get<int>(), a["macs"].get<int>(),
      b["model_bytes"].get<int>(), a["model_bytes"].get<int>(), b["arena_bytes"].get<int>(),
      a["arena_bytes"].get<int>(), b["test"]["accuracy"].get<double>(),
      a["test"]["accuracy"].get<double>());
  EXPECT_EQ(r["stop_reason"], "target_macs");
  EXPECT_LE(a["macs"].get<double>(), 0.5 * b["macs"].get<double>());
  EXPECT_LT(a["params"], b["params"]);
  EXPECT_LT(a["model_bytes"], b["model_bytes"]);
  EXPECT_LT(a["arena_bytes"], b["arena_bytes"]);
  EXPECT_LE(std::fabs(a["test"]["accuracy"].get<double>() - b["test"]["accuracy"].get<double>()),
            0.005);
  // The file says the same as the report, and the runtime runs it.
  auto s = tflite::SummarizeModelFile(out);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->macs, a["macs"].get<int64_t>());
  EXPECT_EQ(s->params, a["params"].get<int64_t>());
  ASSERT_TRUE(s->arena_bytes.has_value());
  EXPECT_EQ(*s->arena_bytes, a["arena_bytes"].get<size_t>());
  const nlohmann::json meta = nlohmann::json::parse(*s->model.GetMetadata("emlkit"));
  EXPECT_EQ(meta["pruning"]["method"], "structured");
  EXPECT_EQ(meta["training"]["architecture"], a["architecture"]);
  // A pruned model is a trained model: it quantizes and keeps the int8 quality bar.
  const nlohmann::json q =
      RunJson({"quantize", out, "--calib", m.data, "--out", m.dir + "/pruned_int8.tflite"});
  ASSERT_TRUE(q.is_object());
  EXPECT_GE(q["agreement"].get<double>(), 0.995);
  EXPECT_LE(std::fabs(q["int8"]["accuracy"].get<double>() - q["float"]["accuracy"].get<double>()),
            0.003);
}

TEST(PruneOccupancy, MaxDropStopsBeforeTheBudgetIsSpent) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  // Down to 2 % of the MACs cannot be done without losing accuracy: with no budget at all the
  // rounds stop, and every kept round is within it.
  const nlohmann::json r =
      RunJson({"prune", m.model, "--data", m.data, "--out", m.dir + "/tight.tflite",
               "--target-macs", "0.02", "--max-drop", "0", "--epochs", "10"});
  ASSERT_TRUE(r.is_object());
  EXPECT_NE(r["stop_reason"], "target_macs");
  for (const auto& round : r["rounds"]) {
    if (round["kept"].get<bool>()) {
      EXPECT_LE(round["drop"].get<double>(), 0.0);
    }
  }
  // (the rounds score on the host network, the report through the runtime: one record of slack)
  EXPECT_GE(r["after"]["val"]["accuracy"].get<double>(),
            r["before"]["val"]["accuracy"].get<double>() - 0.001);
}

TEST(PruneOccupancy, MagnitudeReachesItsSparsityAndSavesOnlyWhenCompressed) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  const nlohmann::json r = RunJson(
      {"prune", m.model, "--data", m.data, "--out", m.dir + "/sparse.tflite", "--sparsity", "0.8"});
  ASSERT_TRUE(r.is_object());
  const nlohmann::json &b = r["before"], &a = r["after"];
  std::printf(
      "magnitude 0.8: nonzero %d -> %d, deflated %d -> %d, int8 weights %d -> %d "
      "(bitmap), test accuracy %.4f -> %.4f\n",
      b["nonzero_params"].get<int>(), a["nonzero_params"].get<int>(),
      b["deflated_bytes"].get<int>(), a["deflated_bytes"].get<int>(),
      b["int8_weight_bytes"].get<int>(), a["int8_sparse_weight_bytes"].get<int>(),
      b["test"]["accuracy"].get<double>(), a["test"]["accuracy"].get<double>());
  for (const auto& [layer, sparsity] : r["layer_sparsity"].items()) {
    EXPECT_NEAR(sparsity.get<double>(), 0.8, 0.03) << layer;
  }
  EXPECT_EQ(a["params"], b["params"]);  // the same shapes ...
  EXPECT_EQ(a["macs"], b["macs"]);
  EXPECT_LT(a["nonzero_params"].get<double>(), 0.3 * b["params"].get<double>());
  EXPECT_LT(a["deflated_bytes"], b["deflated_bytes"]);  // ... but smaller once compressed
  EXPECT_LT(a["int8_sparse_weight_bytes"].get<double>(),
            0.5 * a["int8_weight_bytes"].get<double>());
  EXPECT_GE(a["test"]["accuracy"].get<double>(), b["test"]["accuracy"].get<double>() - 0.01);
  CliResult text = RunEmlkit({"prune", m.model, "--data", m.data, "--out",
                              m.dir + "/sparse2.tflite", "--sparsity", "0.8", "--quiet"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("zeros do not make the .tflite smaller"), std::string::npos) << text.out;
  EXPECT_EQ(ReadFileBytes(m.dir + "/sparse.tflite").value(),
            ReadFileBytes(m.dir + "/sparse2.tflite").value());  // deterministic
}

}  // namespace
}  // namespace emlkit
