// Board profiles and the verdict without an emulator: every shipped board file loads; a missing,
// mistyped or unknown field names the file, line and field; the cost-model verdict for a tiny
// model (fits the Mega 2560, not the Uno: flash, by how much) and for a model whose activations
// overflow the Nano 33 BLE's RAM but not its flash.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "common/fs.h"
#include "sim/board.h"
#include "sim/board_fit.h"
#include "sim/board_run.h"
#include "sim/board_test_models.h"
#include "sim/firmware.h"

namespace emlkit::sim {
namespace {

std::string BoardsDir() {
  auto src = SourceDir();
  EXPECT_TRUE(src.ok()) << src.status().message();
  return src.ok() ? *src + "/targets/boards" : "";
}

TEST(BoardTest, ShippedBoardsLoad) {
  auto boards = LoadBoards(BoardsDir());
  ASSERT_TRUE(boards.ok()) << boards.status().message();
  std::vector<std::string> names;
  for (const Board& b : *boards) names.push_back(b.name);
  for (const char* want :
       {"esp32", "esp32s3", "esp32c3", "nano33ble", "pico", "nucleo-l4r5zi", "uno", "rpi4"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
  for (const Board& b : *boards) {
    if (b.name == "nano33ble") {
      EXPECT_EQ(b.sram_bytes, 262144);
      EXPECT_EQ(b.flash_bytes, 1048576);
      EXPECT_EQ(b.clock_mhz, 64);
      EXPECT_EQ(b.emulated, "cortex-m4");
    }
    if (b.name == "uno") {
      EXPECT_EQ(b.emulated, "");
    }
  }
  EXPECT_TRUE(LoadCostModel(BoardsDir() + "/cost_model.toml").ok());
  EXPECT_TRUE(LoadSizeTable(BoardsDir() + "/sizes.toml").ok());
}

constexpr const char* kGood =
    "name = \"myboard\"\n"
    "core = \"cortex-m4f\"\n"
    "clock_mhz = 80\n"
    "sram_bytes = 131072\n"
    "flash_bytes = 524288\n"
    "fpu = true\n"
    "simd = true\n"
    "active_mw = 20.0\n"
    "sleep_mw = 0.01\n"
    "os = \"none\"\n"
    "emulated = \"cortex-m4\"\n"
    "cpi = 1.3\n";

Result<Board> LoadText(const ScratchDir& dir, const std::string& text) {
  const std::string path = dir.Path("board.toml");
  EXPECT_TRUE(WriteFileAtomic(path, text.data(), text.size()).ok());
  return LoadBoard(path);
}

TEST(BoardTest, GoodFileLoads) {
  ScratchDir dir("board-test");
  auto b = LoadText(dir, kGood);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->name, "myboard");
  EXPECT_EQ(b->clock_mhz, 80);
  EXPECT_EQ(b->sram_bytes, 131072);
}

TEST(BoardTest, MissingFieldNamesFileAndField) {
  ScratchDir dir("board-test");
  std::string text = kGood;
  text.erase(text.find("clock_mhz"), std::string("clock_mhz = 80\n").size());
  auto b = LoadText(dir, text);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(b.status().message().find(dir.Path("board.toml") + ":"), std::string::npos)
      << b.status().message();
  EXPECT_NE(b.status().message().find("missing field 'clock_mhz'"), std::string::npos)
      << b.status().message();
}

TEST(BoardTest, MistypedFieldNamesFileLineAndField) {
  ScratchDir dir("board-test");
  std::string text = kGood;
  text.replace(text.find("sram_bytes = 131072"), 19, "sram_bytes = \"128K\"");
  auto b = LoadText(dir, text);
  ASSERT_FALSE(b.ok());
  // sram_bytes is on line 4.
  EXPECT_NE(b.status().message().find(dir.Path("board.toml") + ":4:"), std::string::npos)
      << b.status().message();
  EXPECT_NE(b.status().message().find("'sram_bytes' must be an integer"), std::string::npos)
      << b.status().message();
}

TEST(BoardTest, MisspeltFieldNamesFileLineAndField) {
  ScratchDir dir("board-test");
  std::string text = kGood;
  text.replace(text.find("active_mw"), 9, "activ_mw");
  auto b = LoadText(dir, text);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find(dir.Path("board.toml") + ":8:"), std::string::npos)
      << b.status().message();
  EXPECT_NE(b.status().message().find("activ_mw"), std::string::npos) << b.status().message();
}

TEST(BoardTest, UnknownEmulatedTargetAndBadValuesAreErrors) {
  ScratchDir dir("board-test");
  std::string text = kGood;
  text.replace(text.find("\"cortex-m4\"\n"), 12, "\"cortex-m33\"\n");
  auto b = LoadText(dir, text);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find(":11:"), std::string::npos) << b.status().message();
  EXPECT_NE(b.status().message().find("'emulated'"), std::string::npos);

  text = kGood;
  text.replace(text.find("cpi = 1.3"), 9, "cpi = 0");
  b = LoadText(dir, text);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find(":12:"), std::string::npos) << b.status().message();

  // No emulator: the cost model's factors are required.
  text = kGood;
  text.erase(text.find("emulated"), std::string("emulated = \"cortex-m4\"\n").size());
  b = LoadText(dir, text);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("missing field 'cost_factor'"), std::string::npos)
      << b.status().message();
}

std::vector<BoardFit> Fits(const std::string& model, const std::string& target, bool aot = false) {
  TargetOptions o;
  o.model = model;
  o.target = target;
  o.aot = aot;
  o.emulate = false;  // the cost model for every board: no QEMU needed
  auto fits = RunTargets(o);
  EXPECT_TRUE(fits.ok()) << fits.status().message();
  return fits.ok() ? *fits : std::vector<BoardFit>{};
}

TEST(BoardFitTest, TinyModelFitsTheMegaButNotTheUnoFlash) {
  ScratchDir dir("board-test");
  const std::string model = dir.Path("tiny.tflite");
  ASSERT_TRUE(testing::WriteTinyModel(model).ok());
  auto mega = Fits(model, "mega2560");
  ASSERT_EQ(mega.size(), 1u);
  EXPECT_TRUE(mega[0].fits) << mega[0].verdict;
  EXPECT_EQ(mega[0].estimate_basis, "cost-model");
  EXPECT_GT(mega[0].latency_ms, 0);
  EXPECT_LE(mega[0].ram_bytes, mega[0].ram_budget);

  auto uno = Fits(model, "uno");
  ASSERT_EQ(uno.size(), 1u);
  EXPECT_FALSE(uno[0].fits);
  const int64_t over = uno[0].flash_bytes - uno[0].flash_budget;
  ASSERT_GT(over, 0);
  EXPECT_NE(uno[0].verdict.find("flash by " + std::to_string(over) + " B"), std::string::npos)
      << uno[0].verdict;
  EXPECT_NE(uno[0].verdict.find("a bigger board"), std::string::npos) << uno[0].verdict;
}

// The same model as ahead-of-time generated code (--format aot) fits the Uno: no interpreter,
// model reader or planner in flash, only the kernels' Eval code, the weights and the records.
TEST(BoardFitTest, TinyModelFitsTheUnoAsGeneratedCode) {
  ScratchDir dir("board-test");
  const std::string model = dir.Path("tiny.tflite");
  ASSERT_TRUE(testing::WriteTinyModel(model).ok());
  auto interp = Fits(model, "uno");
  auto aot = Fits(model, "uno", true);
  ASSERT_EQ(interp.size(), 1u);
  ASSERT_EQ(aot.size(), 1u);
  EXPECT_FALSE(interp[0].fits);
  EXPECT_TRUE(aot[0].aot);
  EXPECT_TRUE(aot[0].fits) << aot[0].verdict;
  EXPECT_EQ(aot[0].verdict.rfind("fits", 0), 0u) << aot[0].verdict;
  EXPECT_LE(aot[0].flash_bytes, aot[0].flash_budget);
  EXPECT_LE(aot[0].ram_bytes, aot[0].ram_budget);
  EXPECT_LT(aot[0].flash_bytes, interp[0].flash_bytes / 2);
  EXPECT_LT(aot[0].ram_bytes, interp[0].ram_bytes);
  EXPECT_EQ(BoardFitJson(aot[0])["format"], "aot");
}

TEST(BoardFitTest, WideInputOverflowsNanoRamNotFlash) {
  ScratchDir dir("board-test");
  const std::string model = dir.Path("wide.tflite");
  ASSERT_TRUE(testing::WriteWideInputModel(model).ok());
  auto nano = Fits(model, "nano33ble");
  ASSERT_EQ(nano.size(), 1u);
  EXPECT_FALSE(nano[0].fits);
  EXPECT_LE(nano[0].flash_bytes, nano[0].flash_budget);
  const int64_t over = nano[0].ram_bytes - nano[0].ram_budget;
  ASSERT_GT(over, 0);
  EXPECT_NE(nano[0].verdict.find("RAM by " + std::to_string(over) + " B"), std::string::npos)
      << nano[0].verdict;
  EXPECT_EQ(nano[0].verdict.find("flash by"), std::string::npos) << nano[0].verdict;
  EXPECT_NE(nano[0].verdict.find("quantiz"), std::string::npos) << nano[0].verdict;
}

TEST(BoardFitTest, UnsupportedOpsAreNotDeployableAnywhere) {
  ScratchDir dir("board-test");
  const std::string model = dir.Path("mystery.tflite");
  ASSERT_TRUE(testing::WriteUnsupportedModel(model).ok());
  TargetOptions o;
  o.model = model;
  o.target = "all";  // emulation allowed: no board may try to build it
  auto fits = RunTargets(o);
  ASSERT_TRUE(fits.ok()) << fits.status().message();
  ASSERT_GE(fits->size(), 8u);
  for (const BoardFit& f : *fits) {
    EXPECT_FALSE(f.deployable) << f.target;
    EXPECT_FALSE(f.fits) << f.target;
    ASSERT_EQ(f.unsupported_ops.size(), 1u);
    EXPECT_EQ(f.unsupported_ops[0], "CUSTOM:Mystery");
    EXPECT_NE(f.verdict.find("not deployable"), std::string::npos) << f.verdict;
    EXPECT_TRUE(BoardFitJson(f)["ram_bytes"].is_null());
  }
}

TEST(BoardFitTest, UnknownBoardListsTheKnownOnes) {
  TargetOptions o;
  o.model = "x.tflite";
  o.target = "arduino-nano-99";
  auto r = RunTargets(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("nano33ble"), std::string::npos) << r.status().message();
}

TEST(BoardFitTest, LatencyIsInstructionsTimesCpiOverClock) {
  Board b;
  b.name = "b";
  b.clock_mhz = 100;
  b.cpi = 2;
  b.active_mw = 50;
  b.sram_bytes = 1000;
  b.flash_bytes = 1000;
  b.cpi_uncertainty = 0.25;
  tflite::ModelSummary s;
  s.name = "m";
  s.model_bytes = 100;
  SimReport r;
  r.mean_instructions = 50000;
  r.image.flash = 900;
  r.ram_bytes = 1200;
  BoardFit f = FitFromEmulation(b, s, r);
  EXPECT_DOUBLE_EQ(f.latency_ms, 1.0);  // 50,000 x 2 / 100 MHz
  EXPECT_DOUBLE_EQ(f.energy_uj, 50.0);  // 1 ms x 50 mW
  EXPECT_DOUBLE_EQ(f.uncertainty, 0.25);
  EXPECT_FALSE(f.fits);
  EXPECT_NE(f.verdict.find("RAM by 200 B"), std::string::npos) << f.verdict;
}

}  // namespace
}  // namespace emlkit::sim
