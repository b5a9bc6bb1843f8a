// `emlkit sim --target` with the emulated cores (ctest label `device`): the instruction count a
// board gets is the one its emulated core counts (thermostat_mlp_int8 on nano33ble == --emulate
// cortex-m4); a model whose activations overflow the Nano 33 BLE's RAM is judged from the real
// image; --target all gives every board with the documented JSON keys. Skips with a message
// when QEMU, the cross toolchain or ../shared is absent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/fs.h"
#include "sim/board_test_models.h"
#include "sim/process.h"
#include "sim/targets.h"
#include "support/test_util.h"

namespace emlkit::testing {
namespace {

#define EMLKIT_REQUIRE_M4()                                                          \
  do {                                                                               \
    setenv("EMLKIT_SIM_CACHE", EMLKIT_DEVICE_CACHE, 0);                              \
    Status s_ = sim::CheckTools(*sim::FindTarget("cortex-m4"), sim::ProgramOnPath);  \
    if (!s_.ok()) GTEST_SKIP() << "emulator or toolchain missing: " << s_.message(); \
  } while (0)

nlohmann::json RunJson(const std::vector<std::string>& args) {
  CliResult r = RunEmlkit(args);
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  if (r.exit_code != 0) return nlohmann::json();
  return nlohmann::json::parse(r.out, nullptr, false);
}

TEST(BoardOnDevice, ThermostatOnNanoIsTheEmulatedCount) {
  EMLKIT_REQUIRE_M4();
  EMLKIT_REQUIRE_SHARED(dir, "golden/thermostat_mlp_int8");
  const std::string model = dir + "/model.tflite";
  nlohmann::json board =
      RunJson({"sim", model, "--target", "nano33ble", "--data", dir, "--records", "3", "--json"});
  nlohmann::json emu =
      RunJson({"sim", model, "--emulate", "cortex-m4", "--data", dir, "--records", "3", "--json"});
  ASSERT_TRUE(board.is_object() && emu.is_object());
  EXPECT_EQ(board["estimate_basis"], "emulated-count");
  EXPECT_EQ(board["instructions"].get<double>(),
            emu["instructions_per_inference"]["mean"].get<double>());
  EXPECT_EQ(board["flash_bytes"], emu["flash_bytes"]);
  EXPECT_EQ(board["ram_bytes"], emu["ram_bytes"]);
  EXPECT_EQ(board["bit_exact"], true);
  EXPECT_EQ(board["fits"], true);
  // 64 MHz and the board file's cpi (1.25): latency = instructions x cpi / clock.
  EXPECT_NEAR(board["latency_ms"].get<double>(),
              emu["instructions_per_inference"]["mean"].get<double>() * 1.25 / 64e3, 1e-9);
}

TEST(BoardOnDevice, WideInputOverflowsNanoRamFromTheRealImage) {
  EMLKIT_REQUIRE_M4();
  ScratchDir tmp("board-device");
  const std::string model = tmp.Path("wide.tflite");
  ASSERT_TRUE(sim::testing::WriteWideInputModel(model).ok());
  CliResult r = RunEmlkit({"sim", model, "--target", "nano33ble"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("does not fit: overflows RAM by"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("flash by"), std::string::npos) << r.out;
  nlohmann::json j = RunJson({"sim", model, "--target", "nano33ble", "--json"});
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["estimate_basis"], "emulated-count");
  EXPECT_EQ(j["fits"], false);
  EXPECT_GT(j["ram_bytes"].get<int64_t>(), 262144);
  EXPECT_GT(j["ram_bytes"].get<int64_t>(), 280000);  // the float input alone
  EXPECT_LT(j["flash_bytes"].get<int64_t>(), 1048576);
}

TEST(BoardOnDevice, AllBoardsHaveTheDocumentedKeys) {
  EMLKIT_REQUIRE_M4();
  EMLKIT_REQUIRE_SHARED(dir, "golden/thermostat_mlp_int8");
  nlohmann::json j = RunJson({"sim", dir + "/model.tflite", "--target", "all", "--json"});
  ASSERT_TRUE(j.is_array());
  ASSERT_GE(j.size(), 8u);
  for (const auto& f : j) {
    for (const char* key :
         {"target", "fits", "ram_bytes", "flash_bytes", "ram_budget", "flash_budget", "latency_ms",
          "energy_uj", "macs", "unsupported_ops", "estimate_basis", "uncertainty"}) {
      EXPECT_TRUE(f.contains(key)) << f["target"] << " lacks " << key;
    }
    EXPECT_EQ(f["macs"], 368);
    if (f["target"] == "uno" || f["target"] == "esp32") {
      EXPECT_EQ(f["estimate_basis"], "cost-model");
    }
    if (f["target"] == "nucleo-l4r5zi") {
      EXPECT_EQ(f["estimate_basis"], "emulated-count");
    }
  }
}

// Needs no emulator: bad input is refused before anything is built.
TEST(BoardCli, BadBoardFileAndFlagsExit2) {
  EMLKIT_REQUIRE_SHARED(dir, "golden/thermostat_mlp_int8");
  ScratchDir tmp("board-cli");
  const std::string board = tmp.Path("b.toml");
  const std::string text = "name = \"b\"\ncore = \"avr\"\nclock_mhz = \"16\"\n";
  ASSERT_TRUE(WriteFileAtomic(board, text.data(), text.size()).ok());
  CliResult r = RunEmlkit({"sim", dir + "/model.tflite", "--target-file", board});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(board + ":3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'clock_mhz'"), std::string::npos) << r.err;

  r = RunEmlkit({"sim", dir + "/model.tflite", "--target", "nano33ble", "--emulate", "rv32"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not both"), std::string::npos) << r.err;
  r = RunEmlkit({"sim", dir + "/model.tflite", "--target", "no-such-board"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nucleo-l4r5zi"), std::string::npos) << r.err;
  r = RunEmlkit({"sim", dir + "/model.tflite", "--emulate", "cortex-m4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--emulate needs --data"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace emlkit::testing
