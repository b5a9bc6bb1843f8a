// Helpers the `emlkit export` integration tests share (export_test.cc: the formats and packages;
// export_uno_test.cc: the Arduino Uno builds and the simulated ATmega328P).
#ifndef EMLKIT_TESTS_INTEGRATION_EXPORT_SUPPORT_H_
#define EMLKIT_TESTS_INTEGRATION_EXPORT_SUPPORT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "integration/occupancy_model.h"
#include "support/test_util.h"

namespace emlkit::testing {

inline constexpr const char* kGolden = "golden/thermostat_mlp_int8/model.tflite";

inline bool OnPath(const std::string& tool) {
  return RunProgram("sh", {"-c", "command -v " + tool}).exit_code == 0;
}

// Compiler invocations go through ccache when there is one (the suite's CI time budget).
// CCACHE_BASEDIR makes the scratch folder's random name irrelevant to the cache.
inline std::vector<std::string> Cc(const std::string& compiler, const std::string& base) {
  if (OnPath("ccache")) {
    return {"env", "CCACHE_BASEDIR=" + base, "CCACHE_NOHASHDIR=true", "ccache", compiler};
  }
  return {compiler};
}

inline CliResult RunCommand(const std::vector<std::string>& cmd) {
  return RunProgram(cmd[0], std::vector<std::string>(cmd.begin() + 1, cmd.end()));
}

inline std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(std::filesystem::relative(e.path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Exports `model` as `format` into `out`; expects success.
inline void ExportOk(const std::string& model, const std::string& format, const std::string& out,
                     const std::string& name, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"export", model, "--format", format,
                                   "--name", name,  "--out",    out};
  args.insert(args.end(), extra.begin(), extra.end());
  CliResult r = RunEmlkit(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote " + out), std::string::npos) << r.out;
}

// The occupancy int8 model (prepare + train + quantize through the CLI), once per process.
inline std::string OccupancyInt8(const std::string& occupancy_dir) {
  static std::string path;
  if (!path.empty()) return path;
  const OccupancyModel& m = TrainedOccupancyModel(occupancy_dir);
  if (m.model.empty()) return "";
  CliResult q =
      RunEmlkit({"quantize", m.model, "--calib", m.data, "--out", m.dir + "/int8.tflite"});
  EXPECT_EQ(q.exit_code, 0) << q.err;
  if (q.exit_code == 0) path = m.dir + "/int8.tflite";
  return path;
}

}  // namespace emlkit::testing

#endif  // EMLKIT_TESTS_INTEGRATION_EXPORT_SUPPORT_H_
