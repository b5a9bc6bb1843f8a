// The quality-bar setting of the quantize and prune tests: the occupancy data prepared and a
// model trained with the defaults of `emlkit data prepare` and `emlkit train` (as the issue
// states it), made once per test process through the CLI.
#ifndef EMLKIT_TESTS_INTEGRATION_OCCUPANCY_MODEL_H_
#define EMLKIT_TESTS_INTEGRATION_OCCUPANCY_MODEL_H_

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/fs.h"
#include "support/test_util.h"

namespace emlkit::testing {

struct OccupancyModel {
  std::string dir;    // scratch folder holding the rest
  std::string data;   // the data set folder
  std::string model;  // the float model
};

// Empty paths (and a test failure) when a step fails; callers skip first when ../shared is
// absent (EMLKIT_REQUIRE_SHARED).
inline const OccupancyModel& TrainedOccupancyModel(const std::string& occupancy_dir) {
  static std::unique_ptr<ScratchDir> scratch;
  static OccupancyModel m;
  if (scratch) return m;
  scratch = std::make_unique<ScratchDir>("emlkit-occupancy");
  const OccupancyModel want{scratch->path(), scratch->Path("ds"), scratch->Path("model.tflite")};
  CliResult prep = RunEmlkit({"data", "prepare", "--input", occupancy_dir + "/datatraining.txt",
                              "--test", occupancy_dir + "/datatest.txt", "--features",
                              "Temperature,Humidity,Light,CO2,HumidityRatio", "--label",
                              "Occupancy", "--out", want.data});
  EXPECT_EQ(prep.exit_code, 0) << prep.err;
  CliResult train = RunEmlkit({"train", "--data", want.data, "--out", want.model, "--quiet"});
  EXPECT_EQ(train.exit_code, 0) << train.err;
  if (prep.exit_code == 0 && train.exit_code == 0) m = want;
  return m;
}

// Runs emlkit with `args` + "--json" and parses stdout (null and a test failure on error).
inline nlohmann::json RunJson(std::vector<std::string> args) {
  args.push_back("--json");
  CliResult r = RunEmlkit(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return nullptr;
  return nlohmann::json::parse(r.out, nullptr, false);
}

}  // namespace emlkit::testing

#endif  // EMLKIT_TESTS_INTEGRATION_OCCUPANCY_MODEL_H_
