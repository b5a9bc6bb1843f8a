// Every project in examples/ runs through `emlkit run` (fewer epochs where that saves time) and
// gives the figures its README states. Occupancy and anomaly read ../shared (skipped without it).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "run_project.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::ReadText;
using testing::RunEmlkit;

const nlohmann::json& Model(const nlohmann::json& m, const std::string& role) {
  for (const auto& model : m["models"])
    if (model["role"] == role) return model;
  static const nlohmann::json none = nlohmann::json::object();
  ADD_FAILURE() << "no " << role << " model in " << m["models"].dump();
  return none;
}

// Runs `toml` into a scratch folder and returns metrics.json (null on failure).
nlohmann::json RunProject(const ScratchDir& dir, const std::string& toml) {
  auto r = RunEmlkit({"run", toml, "--out", dir.Path("out"), "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return nullptr;
  EXPECT_TRUE(testing::PathExists(dir.Path("out/report.html")));
  return nlohmann::json::parse(ReadText(dir.Path("out/metrics.json")));
}

// examples/NAME/emlkit.toml with the shared folder's real path and `edits` applied, in `dir`.
std::string CopyExample(const ScratchDir& dir, const std::string& name,
                        const std::vector<std::pair<std::string, std::string>>& edits) {
  std::string text = ReadText(testing::SourceDir() + "/examples/" + name + "/emlkit.toml");
  for (size_t at; (at = text.find("../../../shared")) != std::string::npos;)
    text.replace(at, 15, testing::SharedDir());
  for (const auto& [from, to] : edits) testing::ReplaceOnce(&text, from, to);
  testing::WriteText(dir.Path("emlkit.toml"), text);
  return dir.Path("emlkit.toml");
}

TEST(Examples, ThermostatModelBeatsAlwaysComfortOnEnergyAndKeepsItsAccuracy) {
  ScratchDir dir("example");
  nlohmann::json m = RunProject(dir, testing::WriteShortThermostat(dir.path()));
  ASSERT_FALSE(m.is_null());
  EXPECT_GT(Model(m, "int8")["test"]["accuracy"].get<double>(), 0.95);
  EXPECT_GE(m["agreement"].get<double>(), 0.99);
  EXPECT_LE(m["model"]["macs"].get<double>(), 0.5 * Model(m, "float")["macs"].get<double>());
  const auto& t = m["thermostat"];
  EXPECT_LT(t["model"]["energy_kwh"].get<double>(),
            t["baselines"]["always_comfort"]["energy_kwh"].get<double>());
  ASSERT_EQ(m["targets"].size(), 2u);
  EXPECT_TRUE(m["targets"][0]["fits"].get<bool>()) << m["targets"][0].dump();   // nano33ble
  EXPECT_FALSE(m["targets"][1]["fits"].get<bool>()) << m["targets"][1].dump();  // uno
  ASSERT_EQ(m["export"]["packages"].size(), 1u) << m["export"].dump();
  EXPECT_EQ(m["export"]["packages"][0]["format"], "c-array");
  EXPECT_GT(m["export"]["packages"][0]["bytes"].get<int64_t>(), 0);
}

TEST(Examples, GesturesFromLabelledRecordings) {
  ScratchDir dir("example");
  nlohmann::json m = RunProject(dir, testing::SourceDir() + "/examples/gestures/emlkit.toml");
  ASSERT_FALSE(m.is_null());
  EXPECT_EQ(m["data"]["dataset"]["labels"], nlohmann::json({"circle", "rest", "shake", "wave"}));
  EXPECT_EQ(m["data"]["dataset"]["records"]["test"], 80);
  EXPECT_GT(Model(m, "int8")["test"]["accuracy"].get<double>(), 0.95);
  EXPECT_EQ(m["model"]["params"], 836);
}

TEST(Examples, OccupancyOfTheRealOffice) {
  EMLKIT_REQUIRE_SHARED(occupancy, "data/occupancy/datatraining.txt");
  ScratchDir dir("example");
  nlohmann::json m =
      RunProject(dir, CopyExample(dir, "occupancy", {{"epochs = 60", "epochs = 20"}}));
  ASSERT_FALSE(m.is_null());
  EXPECT_EQ(m["data"]["dataset"]["records"]["test"], 2665);
  EXPECT_GT(Model(m, "int8")["test"]["accuracy"].get<double>(), 0.95);
  EXPECT_GT(Model(m, "int8")["test"]["auc"].get<double>(), 0.97);
}

TEST(Examples, AnomaliesOfTheNabMachineTemperature) {
  EMLKIT_REQUIRE_SHARED(nab, "data/nab/data/machine_temperature_system_failure.csv");
  ScratchDir dir("example");
  nlohmann::json m = RunProject(dir, CopyExample(dir, "anomaly", {{"epochs = 60", "epochs = 20"}}));
  ASSERT_FALSE(m.is_null());
  EXPECT_EQ(m["data"]["dataset"]["labels"], nlohmann::json({"normal", "anomaly"}));
  EXPECT_GT(Model(m, "int8")["test"]["auc"].get<double>(), 0.9);
}

}  // namespace
}  // namespace emlkit
