// `emlkit export` for the Arduino Uno: the Arduino library's example sketches built the way the
// Arduino IDE builds them (arduino-builder, avr-gcc 5.4, -std=gnu++11) with their flash and RAM
// against the Uno's, and the generated code run on a simulated ATmega328P (simavr) against
// TFLite Micro's outputs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "common/fs.h"
#include "integration/export_support.h"
#include "support/test_util.h"

namespace fs = std::filesystem;

namespace emlkit::testing {
namespace {

// The IDE's "Sketch uses N bytes ..." / "Global variables use M bytes ..." figures.
struct IdeSizes {
  long flash = -1, ram = -1;
};
IdeSizes ParseIdeSizes(const std::string& out) {
  IdeSizes s;
  const size_t a = out.find("Sketch uses ");
  if (a != std::string::npos) s.flash = std::atol(out.c_str() + a + 12);
  const size_t b = out.find("Global variables use ");
  if (b != std::string::npos) s.ram = std::atol(out.c_str() + b + 21);
  return s;
}

// Builds the example sketch `example` (default: the one named as the library) of the Arduino
// library `lib` (named `name`) for the Uno the way the Arduino IDE does (arduino-builder,
// Debian's AVR core: avr-gcc 5.4, -std=gnu++11).
IdeSizes BuildForUno(const ScratchDir& dir, const std::string& lib, const std::string& name,
                     std::string example = "") {
  if (example.empty()) example = name;
  const std::string libs = dir.Path("libraries-" + name), build = dir.Path("uno-build-" + example);
  fs::create_directories(libs);
  fs::create_directories(build);
  if (!fs::exists(libs + "/" + name)) fs::copy(lib, libs + "/" + name, fs::copy_options::recursive);
  const std::string sketch = dir.Path("sketch-" + example + "/" + example);
  fs::create_directories(sketch);
  fs::copy_file(lib + "/examples/" + example + "/" + example + ".ino",
                sketch + "/" + example + ".ino");
  // DECIMAL_DIG: Debian's AVR core needs it for WString.cpp (../shared/docs/FACTS.md).
  CliResult r = RunProgram("arduino-builder",
                           {"-hardware", "/usr/share/arduino/hardware", "-hardware",
                            "/usr/share/arduino-builder", "-tools", "/usr/bin", "-libraries", libs,
                            "-fqbn", "arduino:avr:uno", "-prefs=build.extra_flags=-DDECIMAL_DIG=17",
                            "-build-path", build, sketch + "/" + example + ".ino"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const IdeSizes s = ParseIdeSizes(r.out);
  std::printf("[   UNO    ] %s/%s: flash %ld of 32256 B, globals %ld of 2048 B\n", name.c_str(),
              example.c_str(), s.flash, s.ram);
  return s;
}

bool HaveArduinoBuilder() {
  return OnPath("arduino-builder") && PathExists("/usr/share/arduino/hardware/arduino/avr");
}

// The golden thermostat model as an Arduino library (AOT engine, the default) builds for the Uno
// with arduino-builder and fits with room for the stack; so does the occupancy model's library
// with its device preprocessing. 256 B of the Uno's RAM are kept for the stack.
TEST(ExportTest, ArduinoLibraryBuildsForTheUnoAndFits) {
  EMLKIT_REQUIRE_SHARED(model, kGolden);
  if (!HaveArduinoBuilder()) GTEST_SKIP() << "arduino-builder / arduino-core-avr not installed";
  ScratchDir dir("emlkit-export");
  ExportOk(model, "arduino", dir.Path("thermo"), "thermo");
  const IdeSizes t = BuildForUno(dir, dir.Path("thermo"), "thermo");
  EXPECT_GT(t.flash, 0);
  EXPECT_LE(t.flash, 12 * 1024) << "the thermostat model's Uno build grew past its budget";
  EXPECT_GT(t.ram, 0);
  EXPECT_LE(t.ram, 512) << "the thermostat model's Uno build grew past its budget";

  const std::string occupancy = SharedPath("data/occupancy");
  if (occupancy.empty()) return;
  const std::string occ = OccupancyInt8(occupancy);
  ASSERT_FALSE(occ.empty());
  ExportOk(occ, "arduino", dir.Path("occ"), "occ");
  ASSERT_TRUE(PathExists(dir.Path("occ/src/occ_preprocess.h")));
  const IdeSizes o = BuildForUno(dir, dir.Path("occ"), "occ");
  EXPECT_GT(o.flash, 0);
  EXPECT_LE(o.flash, 32256);
  EXPECT_GT(o.ram, 0);
  EXPECT_LE(o.ram, 2048 - 256);
}

// A thermostat occupancy model small enough for the Uno: `emlkit demo` with a short window (its
// window of 30 rows x 8 channels of floats alone takes 960 B; 8 rows take 256 B) and few days,
// once per process (about 3 s).
constexpr int kUnoWindowRows = 8;
std::string UnoThermostatModel(const ScratchDir& dir) {
  static std::string path;
  if (!path.empty()) return path;
  CliResult r = RunEmlkit({"demo", "--train-days", "3", "--test-days", "1", "--eval-days", "1",
                           "--tune-days", "0", "--window-rows", std::to_string(kUnoWindowRows),
                           "--out", dir.Path("demo"), "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code == 0) path = dir.Path("demo/model_int8.tflite");
  return path;
}

// `--example thermostat`: the Arduino library gets the thermostat firmware as a second example
// (sensors -> preprocessing -> model -> P(occupied) -> controller -> relay) and the controller's
// sources; the sketch builds for the Uno with arduino-builder and leaves >= 256 B for the stack.
// A model or format the example cannot serve is exit 2, with nothing written.
TEST(ExportTest, ArduinoThermostatExampleBuildsForTheUno) {
  ScratchDir dir("emlkit-export");
  const std::string model = UnoThermostatModel(dir);
  ASSERT_FALSE(model.empty());
  CliResult r = RunEmlkit({"export", model, "--format", "arduino", "--name", "room", "--example",
                           "thermostat", "--out", dir.Path("room")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f :
       {"examples/room/room.ino", "examples/thermostat/thermostat.ino", "src/app/thermostat.h",
        "src/app/thermostat.cpp", "src/app/thermostat_settings.h", "src/room_preprocess.h"})
    EXPECT_TRUE(PathExists(dir.Path("room/") + f)) << f;
  const std::string ino = ReadText(dir.Path("room/examples/thermostat/thermostat.ino"));
  for (const char* s :
       {"room_push_row_each(t, raw, onRecord, NULL)", "OccupancyFromScores",
        "OfficeThermostatConfig()", "digitalWrite(kRelayPin", "Replace with your sensors"})
    EXPECT_NE(ino.find(s), std::string::npos) << s;
  EXPECT_NE(ReadText(dir.Path("room/README.md")).find("## The thermostat example"),
            std::string::npos);

  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::string golden = SharedPath(kGolden);
  std::vector<Case> cases = {
      {{model, "--format", "cmake"}, "applies to --format arduino only"},
      {{model, "--format", "arduino", "--no-preprocess"}, "records no preprocessing"},
      {{model, "--format", "arduino", "--example", "doorbell"}, "is not one of: thermostat"},
  };
  if (!golden.empty()) cases.push_back({{golden, "--format", "arduino"}, "no preprocessing"});
  for (Case& c : cases) {
    std::vector<std::string> args = {"export"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    if (c.args.back() != "doorbell") args.insert(args.end(), {"--example", "thermostat"});
    args.insert(args.end(), {"--out", dir.Path("bad")});
    CliResult b = RunEmlkit(args);
    EXPECT_EQ(b.exit_code, 2) << fmt::format("{}", fmt::join(args, " "));
    EXPECT_NE(b.err.find(c.says), std::string::npos) << b.err;
  }
  EXPECT_FALSE(PathExists(dir.Path("bad")));

  if (!HaveArduinoBuilder()) GTEST_SKIP() << "arduino-builder / arduino-core-avr not installed";
  const IdeSizes t = BuildForUno(dir, dir.Path("room"), "room", "thermostat");
  EXPECT_GT(t.flash, 0);
  EXPECT_LE(t.flash, 32256);
  EXPECT_GT(t.ram, 0);
  EXPECT_LE(t.ram, 2048 - 256) << "the thermostat sketch leaves the Uno's stack under 256 B";
}

// A program for a simulated ATmega328P (simavr): the 2,000 test-set records of the golden
// thermostat model, in flash, through the generated code; it counts the outputs that differ from
// TFLite Micro's and prints "records N mismatches M first F" on the UART.
std::string AvrDriver(const std::vector<uint8_t>& inputs, const std::vector<uint8_t>& outputs,
                      int in_elems, int out_elems) {
  auto rows = [](const std::vector<uint8_t>& b) {
    std::string s;
    for (size_t i = 0; i < b.size(); ++i) {
      s += fmt::format("{}{}", static_cast<int>(static_cast<int8_t>(b[i])),
                       i + 1 < b.size() ? (i % 16 == 15 ? ",\n" : ", ") : "\n");
    }
    return s;
  };
  const size_t records = inputs.size() / static_cast<size_t>(in_elems);
  return fmt::format(R"(#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/pgmspace.h>
#include <avr/sleep.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "thermo.h"

static const int8_t kInputs[{0} * {1}] PROGMEM = {{
{3}}};
static const int8_t kOutputs[{0} * {2}] PROGMEM = {{
{4}}};

static int Put(char c, FILE* f) {{
  (void)f;
  loop_until_bit_is_set(UCSR0A, UDRE0);
  UDR0 = c;
  return 0;
}}
static FILE uart = FDEV_SETUP_STREAM(Put, NULL, _FDEV_SETUP_WRITE);

int main(void) {{
  long mismatches = 0, first = -1, r;
  int k;
  UCSR0B = _BV(TXEN0);
  stdout = &uart;
  unsigned long ticks = 0;  /* Timer1 at clk/64: 4 us per tick at 16 MHz */
  TCCR1B = _BV(CS11) | _BV(CS10);
  thermo_init();
  for (r = 0; r < {0}; ++r) {{
    memcpy_P(thermo_input(0), kInputs + r * {1}, {1});
    TCNT1 = 0;
    thermo_invoke();
    ticks += TCNT1;
    const int8_t* y = (const int8_t*)thermo_output(0);
    for (k = 0; k < {2}; ++k) {{
      if (y[k] != (int8_t)pgm_read_byte(&kOutputs[r * {2} + k])) {{
        if (first < 0) first = r;
        ++mismatches;
        break;
      }}
    }}
  }}
  printf("records %ld mismatches %ld first %ld\n", r, mismatches, first);
  printf("invoke %lu us per record at 16 MHz\n", ticks * 4 / {0});
  printf("EMLKIT-DONE\n");
  cli();
  sleep_cpu();
  return 0;
}}
)",
                     records, in_elems, out_elems, rows(inputs), rows(outputs));
}

// The generated code (--format aot) compiled with avr-gcc 5.4 as C++11 (-Wall -Wextra -Werror)
// for the ATmega328P and run on simavr gives TFLite Micro's bytes for every test-set record: the
// kernels hold up with 16-bit int, 8-bit registers and the weights read from flash.
TEST(ExportTest, AotOnSimulatedAtmega328pMatchesTflm) {
  EMLKIT_REQUIRE_SHARED(model, kGolden);
  if (!OnPath("avr-g++") || !OnPath("simavr")) GTEST_SKIP() << "gcc-avr / simavr not installed";
  const std::string golden = fs::path(model).parent_path().string();
  Result<std::vector<uint8_t>> in = ReadFileBytes(golden + "/testset_inputs.bin");
  Result<std::vector<uint8_t>> out = ReadFileBytes(golden + "/testset_outputs.bin");
  ASSERT_TRUE(in.ok() && out.ok());
  ASSERT_EQ(in->size() / 5, out->size() / 2);
  ScratchDir dir("emlkit-export");
  const std::string aot = dir.Path("aot");
  ExportOk(model, "aot", aot, "thermo");
  WriteText(dir.Path("main.c"), AvrDriver(*in, *out, 5, 2));
  const std::vector<std::string> mcu = {"-mmcu=atmega328p", "-Os",     "-Wall",
                                        "-Wextra",          "-Werror", "-ffunction-sections",
                                        "-fdata-sections",  "-I" + aot};
  std::vector<std::string> objects;
  auto compile = [&](const std::string& compiler, const std::vector<std::string>& extra,
                     const std::string& src) {
    std::vector<std::string> cmd = Cc(compiler, dir.path());
    cmd.insert(cmd.end(), mcu.begin(), mcu.end());
    cmd.insert(cmd.end(), extra.begin(), extra.end());
    objects.push_back(dir.Path(fmt::format("o{}.o", objects.size())));
    for (const std::string& a : {std::string("-c"), src, std::string("-o"), objects.back()}) {
      cmd.push_back(a);
    }
    CliResult r = RunCommand(cmd);
    EXPECT_EQ(r.exit_code, 0) << src << ":\n" << r.err;
  };
  compile("avr-gcc", {"-std=gnu99"}, dir.Path("main.c"));
  for (const std::string& f : FilesUnder(aot)) {
    if (!f.ends_with(".cc")) continue;
    compile("avr-g++", {"-std=gnu++11", "-fno-exceptions", "-fno-rtti", "-fno-threadsafe-statics"},
            aot + "/" + f);
  }
  ASSERT_FALSE(::testing::Test::HasFailure());
  std::vector<std::string> link = {"avr-gcc", "-mmcu=atmega328p", "-Wl,--gc-sections"};
  link.insert(link.end(), objects.begin(), objects.end());
  for (const std::string& a : {std::string("-lm"), std::string("-o"), dir.Path("avr.elf")}) {
    link.push_back(a);
  }
  CliResult l = RunCommand(link);
  ASSERT_EQ(l.exit_code, 0) << l.err;
  // simavr exits 0 whatever happens: the printed marker tells (../shared/docs/FACTS.md).
  CliResult r = RunProgram(
      "timeout", {"120", "simavr", "-m", "atmega328p", "-f", "16000000", dir.Path("avr.elf")});
  const std::string text = r.out + r.err;
  ASSERT_NE(text.find("EMLKIT-DONE"), std::string::npos) << text;
  EXPECT_NE(text.find(fmt::format("records {} mismatches 0 first -1", in->size() / 5)),
            std::string::npos)
      << text;
  const size_t at = text.find("invoke ");
  if (at != std::string::npos) {
    std::printf("[  ATMEGA  ] %s\n", text.substr(at, text.find('\n', at) - at).c_str());
  }
}

}  // namespace
}  // namespace emlkit::testing
