// emlkit train / emlkit eval end to end for regression: the occupancy room's temperature ten
// minutes ahead, from the five sensors now.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "integration/train_fixtures.h"
#include "support/test_util.h"
#include "tflite/model.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;

TEST(TrainRegression, TemperatureTenMinutesAhead) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  ScratchDir dir;
  std::string ds = testing::PrepareOccupancy(
      occ, dir.Path("ds"), {"--task", "regression", "--target", "Temperature", "--horizon", "10"});
  std::string model = dir.Path("temp.tflite");
  auto r = RunEmlkit({"train", "--data", ds, "--out", model, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("R^2"), std::string::npos) << r.err;

  nlohmann::json ev = testing::EvalJson(model, ds);
  EXPECT_GT(ev["r2"].get<double>(), 0.97) << ev.dump();
  EXPECT_LT(ev["mae"].get<double>(), 0.15) << "degrees C";
  EXPECT_GE(ev["rmse"].get<double>(), ev["mae"].get<double>());
  EXPECT_EQ(ev["n"], 2655);

  // The output is in degrees: the scaling is folded into the graph and recorded.
  auto m = tflite::ReadModelFile(model);
  ASSERT_TRUE(m.ok());
  nlohmann::json meta = nlohmann::json::parse(*m->GetMetadata("emlkit"));
  EXPECT_EQ(meta["outputs"]["scaling"], "in_graph");
  EXPECT_EQ(meta["outputs"]["names"][0], "Temperature");
  EXPECT_NEAR(meta["outputs"]["target_mean"][0].get<double>(), 20.6, 0.5);

  // Huber loss is accepted for regression, cross-entropy is not.
  EXPECT_EQ(RunEmlkit({"train", "--data", ds, "--out", dir.Path("h.tflite"), "--loss", "huber",
                       "--epochs", "2", "--quiet"})
                .exit_code,
            0);
  auto bad =
      RunEmlkit({"train", "--data", ds, "--out", dir.Path("c.tflite"), "--loss", "cross_entropy"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("mse or huber"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace emlkit
