// Unit tests of emlkit sim's host side: the plugin log and per-op attribution, the op-selection
// header, the generated model file, image-size parsing and the missing-toolchain message.
#include <gtest/gtest.h>

#include <string>

#include "sim/firmware.h"
#include "sim/plugin_log.h"
#include "sim/targets.h"

namespace emlkit::sim {
namespace {

TEST(PluginLogTest, ParsesEventsAndEnd) {
  auto log = ParsePluginLog("0 100\n1 250\n2 300\n3 420\nend 500\n", "icount.log");
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->events.size(), 4u);
  EXPECT_EQ(log->events[1].marker, kInitEnd);
  EXPECT_EQ(log->events[1].count, 250u);
  ASSERT_TRUE(log->total.has_value());
  EXPECT_EQ(*log->total, 500u);
}

TEST(PluginLogTest, RejectsMalformedLinesNamingTheLine) {
  auto bad = ParsePluginLog("0 100\nfoo\n", "icount.log");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("icount.log:2"), std::string::npos);
  auto unknown = ParsePluginLog("9 100\n", "icount.log");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown marker '9'"), std::string::npos);
}

TEST(PluginLogTest, AttributesInitRecordsAndOps) {
  // Init 150, two Invokes of 120 and 125, then a hooked Invoke of three ops.
  auto log = ParsePluginLog(
      "0 100\n1 250\n2 300\n3 420\n2 500\n3 625\n4 700\n5 710\n4 720\n5 800\n4 810\n5 815\n",
      "log");
  ASSERT_TRUE(log.ok());
  auto c = AttributeCounts(*log, 3);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(*c->init, 150u);
  EXPECT_EQ(c->per_record, (std::vector<uint64_t>{120, 125}));
  EXPECT_EQ(c->per_op, (std::vector<uint64_t>{10, 80, 5}));
  EXPECT_EQ(c->records_done, 2);
  EXPECT_FALSE(c->in_init);
  // A model with another op count does not match the pairs.
  EXPECT_FALSE(AttributeCounts(*log, 4).ok());
}

TEST(PluginLogTest, KilledRunTellsTheRecordInProgress) {
  auto log = ParsePluginLog("0 1\n1 5\n2 10\n3 20\n2 30\n", "log");
  ASSERT_TRUE(log.ok());
  auto c = AttributeCounts(*log, 1);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->records_done, 1);
  EXPECT_FALSE(log->total.has_value());
  auto in_init = AttributeCounts(*ParsePluginLog("0 1\n", "log"), 1);
  ASSERT_TRUE(in_init.ok());
  EXPECT_TRUE(in_init->in_init);
}

TEST(OpsHeaderTest, SelectsTheModelsOpsInOpListOrder) {
  // SOFTMAX (25), FULLY_CONNECTED (9) twice, an unsupported code (200).
  std::string h = OpsHeader({25, 9, 9, 200}, "m.tflite");
  EXPECT_NE(h.find("#define EMLKIT_SELECTED_OPS(X)"), std::string::npos);
  size_t fc = h.find("X(FULLY_CONNECTED, 9, 9)");
  size_t sm = h.find("X(SOFTMAX, 25, 3)");
  ASSERT_NE(fc, std::string::npos) << h;
  ASSERT_NE(sm, std::string::npos) << h;
  EXPECT_LT(fc, sm);
  EXPECT_EQ(h.find("X(FULLY_CONNECTED", fc + 1), std::string::npos) << "listed once";
  EXPECT_EQ(h.find("CONV_2D"), std::string::npos);
  EXPECT_EQ(h.find(", 200,"), std::string::npos);
}

TEST(ModelSourceTest, AlignedArrayAndRoundedArena) {
  std::string s = ModelSource({1, 2, 255}, "m.tflite");
  EXPECT_NE(s.find("alignas(16) extern const unsigned char emlkit_model_data[3]"),
            std::string::npos);
  EXPECT_NE(s.find("1,2,255,"), std::string::npos);
  EXPECT_NE(s.find("emlkit_model_size = 3;"), std::string::npos);
  std::string a = ArenaSource(701);
  EXPECT_NE(a.find("alignas(16) unsigned char emlkit_arena[704];"), std::string::npos);
  EXPECT_NE(a.find("emlkit_arena_size = 704;"), std::string::npos);
}

TEST(ImageSizesTest, ParsesSizeAndMap) {
  ImageSizes s = ParseSizeOutput(
      "fw.elf  :\nsection size addr\n.text 1000 0\n.rodata 200 1000\n.ARM.exidx 8 1200\n"
      ".data 16 536870912\n.tbss 4 536870928\n.tbss_space 4 536870928\n.bss 800 536870936\n"
      ".heap 65536 0\n.debug_info 5000 0\n.comment 30 0\nTotal 9999\n");
  EXPECT_EQ(s.text, 1000);
  EXPECT_EQ(s.rodata, 208);
  EXPECT_EQ(s.data, 16);
  EXPECT_EQ(s.bss, 804);
  EXPECT_EQ(s.flash, 1224);
  const std::string map =
      "Discarded input sections\n .text.x 0x0 0x99 /c/libemlkit_rt.a(a.o)\n"
      "Linker script and memory map\n"
      ".text 0x0 0x500\n"
      " .text._ZN6emlkit2rt6InvokeEv\n"
      "                0x00000100       0x40 /c/libemlkit_rt.a(interpreter.cc.o)\n"
      " .text.main     0x00000140       0x10 /c/minimal.o\n"
      " .rodata.emlkit_model_data\n"
      "                0x00000200      0x300 /w/emlkit_model.o\n"
      " .rodata.k      0x00000500        0x8 /c/libemlkit_rt.a(conv.cc.o)\n"
      " .bss.arena     0x20000000      0x100 /c/libemlkit_rt.a(x.o)\n";
  AddMapFigures(map, &s);
  EXPECT_EQ(s.runtime_flash, 0x48);
  EXPECT_EQ(s.model_flash, 0x300);
}

TEST(TargetsTest, MissingToolchainNamesPackagesToInstall) {
  const TargetSpec* t = FindTarget("cortex-m4");
  ASSERT_NE(t, nullptr);
  Status s = CheckTools(*t, [](const std::string& p) { return p != "qemu-system-arm"; });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.ExitCode(), 2);
  EXPECT_NE(s.message().find("qemu-system-arm not installed"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("apt-get install gcc-arm-none-eabi picolibc-arm-none-eabi "
                             "qemu-system-arm"),
            std::string::npos)
      << s.message();
  const TargetSpec* rv = FindTarget("rv32");
  ASSERT_NE(rv, nullptr);
  Status r = CheckTools(*rv, [](const std::string&) { return false; });
  EXPECT_NE(r.message().find("qemu-system-misc"), std::string::npos);
  EXPECT_TRUE(CheckTools(*rv, [](const std::string&) { return true; }).ok());
  EXPECT_EQ(FindTarget("esp32"), nullptr);
}

TEST(FirmwareTest, KernelVariantsReplaceReferenceFilesOfTheSameName) {
  ::testing::TempDir();
  const std::string root = ::testing::TempDir() + "/emlkit_variants";
  std::string cmd =
      "rm -rf " + root + " && mkdir -p " + root + "/runtime/src " + root +
      "/runtime/kernels/reference " + root + "/runtime/kernels/arm_dsp && touch " + root +
      "/runtime/src/registry.cc " + root + "/runtime/src/interpreter.cc " + root +
      "/runtime/kernels/conv.cc " + root + "/runtime/kernels/reference/conv.cc " + root +
      "/runtime/kernels/reference/pad.cc " + root + "/runtime/kernels/arm_dsp/conv.cc " + root +
      "/runtime/kernels/reference/pad_test.cc";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(
      RuntimeSources(root, "arm_dsp"),
      (std::vector<std::string>{"runtime/kernels/arm_dsp/conv.cc", "runtime/kernels/conv.cc",
                                "runtime/kernels/reference/pad.cc", "runtime/src/interpreter.cc"}));
  EXPECT_EQ(
      RuntimeSources(root, ""),
      (std::vector<std::string>{"runtime/kernels/conv.cc", "runtime/kernels/reference/conv.cc",
                                "runtime/kernels/reference/pad.cc", "runtime/src/interpreter.cc"}));
}

}  // namespace
}  // namespace emlkit::sim
