// Data set folders for the train / eval end-to-end tests, made by `emlkit data prepare` from
// ../shared data (callers skip when it is absent), plus small synthetic folders for bad input.
#ifndef EMLKIT_TESTS_INTEGRATION_TRAIN_FIXTURES_H_
#define EMLKIT_TESTS_INTEGRATION_TRAIN_FIXTURES_H_

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_util.h"

namespace emlkit::testing {

// The quality-bar data set: the occupancy training file's 5 sensors (z-scored on train,
// stratified train/val split), datatest.txt as the test split.
inline std::string PrepareOccupancy(const std::string& occupancy_dir, const std::string& out,
                                    const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"data",       "prepare",
                                   "--input",    occupancy_dir + "/datatraining.txt",
                                   "--test",     occupancy_dir + "/datatest.txt",
                                   "--features", "Temperature,Humidity,Light,CO2,HumidityRatio",
                                   "--out",      out};
  args.insert(args.end(), extra.begin(), extra.end());
  CliResult r = RunEmlkit(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

// NAB machine temperature: raw windows of 12 steps (an hour), labels from the anomaly windows,
// time split (train: the first 70 % of the series; the trainer uses its normal windows only).
inline std::string PrepareNab(const std::string& nab_dir, const std::string& out) {
  CliResult r = RunEmlkit({"data",
                           "prepare",
                           "--task",
                           "anomaly",
                           "--input",
                           nab_dir + "/data/machine_temperature_system_failure.csv",
                           "--timestamp",
                           "timestamp",
                           "--features",
                           "value",
                           "--label-windows",
                           nab_dir + "/labels/combined_windows.json",
                           "--window",
                           "12",
                           "--window-mode",
                           "raw",
                           "--order",
                           "sort",
                           "--duplicates",
                           "drop",
                           "--out",
                           out});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

// Runs `emlkit eval MODEL --data DIR --json` and returns the document.
inline nlohmann::json EvalJson(const std::string& model, const std::string& data) {
  CliResult r = RunEmlkit({"eval", model, "--data", data, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_TRUE(j.is_object()) << r.out;
  return j;
}

}  // namespace emlkit::testing

#endif  // EMLKIT_TESTS_INTEGRATION_TRAIN_FIXTURES_H_
