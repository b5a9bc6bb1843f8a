// emlkit thermostat-eval end to end: the baselines, the model path (a model with its
// preprocessing from a real `emlkit data prepare` run on `emlkit roomsim` output, run through the
// runtime), the JSON contract and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "integration/roomsim_test_model.h"
#include "roomsim/model_occupancy.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::ReadText;
using testing::RunEmlkit;

// Simulated office -> data prepare -> dataset.json (5 sensor features, label `occupied`).
class ThermostatEval : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("thermostat-eval");
    std::string csv = dir_->Path("office.csv");
    auto sim = RunEmlkit({"roomsim", "--days", "7", "--seed", "5", "--out", csv});
    ASSERT_EQ(sim.exit_code, 0) << sim.err;
    auto prep = RunEmlkit({"data", "prepare", "--input", csv, "--features",
                           "temperature_c,humidity_pct,light_lux,co2_ppm,motion", "--label",
                           "occupied", "--timestamp", "timestamp", "--out", dir_->Path("ds")});
    ASSERT_EQ(prep.exit_code, 0) << prep.err;
    dataset_ = new std::string(ReadText(dir_->Path("ds/dataset.json")));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete dataset_;
  }
  // P(occupied) = logistic(3 * light + 1.5 * co2 + motion - 1) on the scaled features.
  std::string LightModel(const std::string& name,
                         const nlohmann::json& patch = nlohmann::json::object()) {
    std::string path = dir_->Path(name);
    Status s =
        testing::WriteLinearOccupancyModel(path, *dataset_, {0, 0, 3.0f, 1.5f, 1.0f}, -1.0f, patch);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return path;
  }
  static ScratchDir* dir_;
  static std::string* dataset_;
};
ScratchDir* ThermostatEval::dir_ = nullptr;
std::string* ThermostatEval::dataset_ = nullptr;

TEST_F(ThermostatEval, ModelComputesTheExpectedProbability) {
  auto m = roomsim::TfliteOccupancyModel::Open(LightModel("light.tflite"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ((*m)->occupied_class(), 1);
  ASSERT_EQ((*m)->columns().size(), 5u);
  nlohmann::json pipe = nlohmann::json::parse(*dataset_)["pipeline"];
  auto expected = [&](double light, double co2, double motion) {
    auto z = [&](int i, double v) {
      return (static_cast<float>(v) - pipe["scaling"]["offset"][i].get<float>()) *
             pipe["scaling"]["scale"][i].get<float>();
    };
    double logit = 3.0 * z(2, light) + 1.5 * z(3, co2) + 1.0 * z(4, motion) - 1.0;
    return 1.0 / (1.0 + std::exp(-logit));
  };
  double t = 1707120000;  // 2024-02-05 08:00:00
  auto dark = (*m)->PredictNamed(t, 19.5, 30, 0, 430, 0);
  auto lit = (*m)->PredictNamed(t + 60, 21.5, 33, 480, 900, 3);
  ASSERT_TRUE(dark.ok() && lit.ok());
  EXPECT_NEAR(*dark, expected(0, 430, 0), 1e-5);
  EXPECT_NEAR(*lit, expected(480, 900, 3), 1e-5);
  EXPECT_LT(*dark, 0.05);
  EXPECT_GT(*lit, 0.95);
}

TEST_F(ThermostatEval, ReportsTheModelAgainstTheBaselines) {
  std::string model = LightModel("light.tflite");
  auto r = RunEmlkit({"thermostat-eval", "--model", model, "--days", "3", "--scenario",
                      "normal,pet,sunny-empty", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j["model"].is_object());
  for (const char* key : {"occupancy_accuracy", "occupancy_f1", "comfort_violation_min",
                          "energy_kwh", "estimate_accuracy"})
    EXPECT_TRUE(j["model"].contains(key)) << key;
  for (const char* b : {"always_comfort", "fixed_schedule", "motion_timeout"}) {
    ASSERT_TRUE(j["baselines"].contains(b)) << b;
    for (const char* key :
         {"occupancy_accuracy", "occupancy_f1", "comfort_violation_min", "energy_kwh"})
      EXPECT_TRUE(j["baselines"][b][key].is_number()) << b << " " << key;
  }
  ASSERT_EQ(j["scenarios"].size(), 3u);
  EXPECT_EQ(j["scenarios"][0]["name"], "normal");
  // The light-and-CO2 model sees people better than the PIR timeout in an office.
  const auto& normal = j["scenarios"][0];
  EXPECT_GT(normal["model"]["occupancy_accuracy"].get<double>(), 0.9);
  EXPECT_GT(normal["model"]["occupancy_f1"].get<double>(), 0.8);
  // A pet fools the motion timeout but not a model that does not use motion much.
  const auto& pet = j["scenarios"][1];
  EXPECT_GT(pet["model"]["occupancy_accuracy"].get<double>(),
            pet["baselines"]["motion_timeout"]["occupancy_accuracy"].get<double>() + 0.1);
  // Nobody there: less energy than always-comfort.
  const auto& empty = j["scenarios"][2];
  EXPECT_LT(empty["model"]["energy_kwh"].get<double>(),
            0.7 * empty["baselines"]["always_comfort"]["energy_kwh"].get<double>());
  // Totals add up over scenarios.
  double sum = 0;
  for (const auto& s : j["scenarios"]) sum += s["model"]["energy_kwh"].get<double>();
  EXPECT_NEAR(j["model"]["energy_kwh"].get<double>(), sum, 1e-6);
}

TEST_F(ThermostatEval, SameSeedSameReport) {
  std::string model = LightModel("light.tflite");
  std::vector<std::string> args = {"thermostat-eval", "--model",     model,   "--days", "2",
                                   "--scenario",      "brief-entry", "--json"};
  auto a = RunEmlkit(args), b = RunEmlkit(args);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
}

TEST_F(ThermostatEval, BaselinesWithoutAModel) {
  auto r = RunEmlkit({"thermostat-eval", "--days", "2", "--scenario", "normal", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["model"].is_null());
  const auto& b = j["baselines"];
  // Always-comfort heats most; the schedule tracks an office's workdays.
  EXPECT_GT(b["always_comfort"]["energy_kwh"].get<double>(),
            b["fixed_schedule"]["energy_kwh"].get<double>());
  EXPECT_GT(b["fixed_schedule"]["occupancy_accuracy"].get<double>(), 0.7);
  EXPECT_EQ(b["always_comfort"]["occupancy_recall"].get<double>(), 1.0);
  auto text = RunEmlkit({"thermostat-eval", "--days", "1", "--scenario", "normal"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("motion_timeout"), std::string::npos) << text.out;
}

// dataset.json records the training rows' period; a model whose preprocessing counts rows runs
// only at that period.
TEST_F(ThermostatEval, RefusesAnotherPeriodWhenThePreprocessingCountsRows) {
  nlohmann::json ds = nlohmann::json::parse(*dataset_);
  EXPECT_EQ(ds["pipeline"]["period_s"], 60.0) << "roomsim's default period";
  ds["pipeline"]["clean"]["spikes"] = "hampel";
  ds["pipeline"]["clean"]["hampel_window"] = 5;
  std::string hampel = LightModel("hampel.tflite", {{"preprocessing", ds}});
  auto r = RunEmlkit({"thermostat-eval", "--model", hampel, "--days", "1", "--period", "30s"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("trained on rows 60 s apart"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("a Hampel window of 5 rows"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--period 60s"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(RunEmlkit({"thermostat-eval", "--model", hampel, "--days", "1", "--scenario", "normal"})
                .exit_code,
            0);
  // Nothing in the default pipeline counts rows: any period is fine.
  auto plain = RunEmlkit({"thermostat-eval", "--model", LightModel("plain.tflite"), "--days", "1",
                          "--period", "30s", "--scenario", "normal"});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
}

TEST_F(ThermostatEval, BadModelsAndOptionsAreExitTwo) {
  struct Case {
    std::string model;
    std::string message;
  };
  std::string no_meta = dir_->Path("nometa.tflite");
  ASSERT_TRUE(testing::WriteLinearOccupancyModel(no_meta, *dataset_, {0, 0, 1, 1, 1}, 0,
                                                 nlohmann::json::object(), false)
                  .ok());
  std::string garbage = dir_->Path("garbage.tflite");
  testing::WriteText(garbage, "this is not a model");
  nlohmann::json truth_feature = nlohmann::json::parse(*dataset_);
  truth_feature["pipeline"]["columns"][4] = "occupied";
  std::vector<Case> cases = {
      {no_meta, "no 'emlkit' metadata"},
      {garbage, "garbage.tflite"},
      {dir_->Path("missing.tflite"), "missing.tflite"},
      {LightModel("regression.tflite", {{"task", "regression"}}), "classification"},
      {LightModel("names.tflite", {{"labels", {"cat", "dog"}}}), "reads as 'occupied'"},
      {LightModel("truth.tflite", {{"preprocessing", truth_feature}}), "ground truth"},
  };
  for (const Case& c : cases) {
    auto r = RunEmlkit({"thermostat-eval", "--model", c.model, "--days", "1"});
    EXPECT_EQ(r.exit_code, 2) << c.message << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--scenario", "lava"},
                                             {"--room", "attic"},
                                             {"--days", "0"},
                                             {"--threshold", "1.5"},
                                             {"--motion-timeout", "soon"},
                                             {"--setback", "30"}}) {
    std::vector<std::string> full = {"thermostat-eval"};
    full.insert(full.end(), args.begin(), args.end());
    auto r = RunEmlkit(full);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("error"), std::string::npos);
  }
}

}  // namespace
}  // namespace emlkit
