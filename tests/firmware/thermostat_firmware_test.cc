// The thermostat firmware (examples/thermostat-firmware) against the host closed loop: a week of
// the simulated office runs through `emlkit thermostat-eval`'s loop (src/roomsim/closed_loop.h)
// with an int8 occupancy model whose preprocessing has windows, statistics, time features and a
// Hampel filter; the sensor rows the loop saw are recorded, the firmware is built with the
// generated preprocessing (src/export/preprocess_gen.h) and the model as ahead-of-time generated
// code (src/export/aot.h, the default engine of export), replays the rows, and its decisions
// (P(occupied), heater power, setpoint, occupancy, heating, fault) must be the host's minute for
// minute, to the bit: on the host and on the emulated Cortex-M4.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/thermostat_settings.h"
#include "common/fs.h"
#include "export/aot.h"
#include "export/preprocess_gen.h"
#include "integration/roomsim_test_model.h"
#include "roomsim/closed_loop.h"
#include "roomsim/model_occupancy.h"
#include "roomsim/thermostat_eval.h"
#include "sim/firmware.h"
#include "sim/targets.h"
#include "support/test_util.h"
#include "tflite/model.h"

namespace emlkit {
namespace {

using testing::CompileEach;
using testing::ReadText;
using testing::RunEmlkit;
using testing::RunProgram;
using testing::SourceDir;
using testing::WriteText;

// Without the board: replay_sensors.cc (files) or board_mmio.cc (registers).
const char* const kFirmwareSources[] = {"main.cc", "firmware.cc", "model_aot.cc"};

// Budgets of the deployable Cortex-M4 image (startup without a command line, preprocessing, AOT
// model and kernels, controller, no printf): measured 20,974 B of flash and 1,196 B of RAM (of
// which the controller's settings and state 172 B, the model's arena 72 B; the rest is the
// preprocessing: window ring, Hampel ring of doubles, record). With the interpreter it was
// 41,968 B and 2,912 B. The issue's goal, 8 KB and 1 KB, is not met: ~12 KB of the flash is
// the double-precision preprocessing (libm sin/cos/fmod and soft double) bit-exact with the host.
constexpr int64_t kImageFlashBudget = 22 * 1024;
constexpr int64_t kImageRamBudget = 1280;
// Measured 14,719 per period on average (double-precision Hampel and time features).
constexpr double kPreprocessInstructionBudget = 16500;

std::string Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return fmt::format("{:08x}", u);
}

std::string Num(double v) { return std::isnan(v) ? "" : fmt::format("{:.17g}", v); }

// The address of `symbol` in `elf` (hex, Thumb bit cleared), or "" when absent.
std::string SymbolAddress(const sim::TargetSpec& t, const std::string& elf,
                          const std::string& symbol) {
  auto nm = RunProgram(t.nm, {elf});
  for (size_t at = 0; at < nm.out.size();) {
    size_t end = nm.out.find('\n', at);
    if (end == std::string::npos) end = nm.out.size();
    const std::string line = nm.out.substr(at, end - at);
    at = end + 1;
    if (line.size() > symbol.size() && line.ends_with(" " + symbol))
      return fmt::format("{:x}", std::stoull(line.substr(0, line.find(' ')), nullptr, 16) & ~1ull);
  }
  ADD_FAILURE() << symbol << " not in " << elf;
  return "0";
}

// Flash (text + rodata + data) and RAM (data + bss, without the stack and the libc heap) of the
// deployable image, printed and held to their budgets.
void ImageFigures(const sim::TargetSpec& t, const std::string& elf) {
  auto size = RunProgram(t.size, {"-A", elf});
  ASSERT_EQ(size.exit_code, 0) << size.err;
  const sim::ImageSizes s = sim::ParseSizeOutput(size.out);
  const int64_t ram = s.data + s.bss;
  std::printf("deployable thermostat image (%s): flash %lld B, RAM %lld B besides the stack\n",
              t.name.c_str(), static_cast<long long>(s.flash), static_cast<long long>(ram));
  EXPECT_LE(s.flash, kImageFlashBudget) << "the thermostat image outgrew its flash budget";
  EXPECT_LE(ram, kImageRamBudget) << "the thermostat image outgrew its RAM budget";
}

// Instructions per period from the plugin's log: marker 0 (preprocessing) to the next marker,
// 1 (model) to 2 (controller).
void InstructionFigures(const std::string& log) {
  std::vector<std::pair<std::string, int64_t>> ev;
  const std::string text = ReadText(log);
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    const size_t sp = line.find(' ');
    if (sp != std::string::npos) ev.emplace_back(line.substr(0, sp), std::stoll(line.substr(sp)));
  }
  double pre = 0, model = 0;
  int64_t rows = 0, records = 0;
  for (size_t i = 0; i + 1 < ev.size(); ++i) {
    const int64_t n = ev[i + 1].second - ev[i].second;
    if (ev[i].first == "0") pre += static_cast<double>(n), ++rows;
    if (ev[i].first == "1") model += static_cast<double>(n), ++records;
  }
  ASSERT_GT(rows, 10000);
  ASSERT_GT(records, 9000);
  std::printf("instructions per period on the emulated M4: preprocessing %.0f, model %.0f\n",
              pre / static_cast<double>(rows), model / static_cast<double>(records));
  EXPECT_LE(pre / static_cast<double>(rows), kPreprocessInstructionBudget);
}

// Remembers the last P(occupied) the loop's model gave.
class Recording : public roomsim::OccupancyModel {
 public:
  explicit Recording(roomsim::OccupancyModel* m) : m_(m) {}
  Status Reset() override { return m_->Reset(); }
  Result<float> Predict(const roomsim::Sample& s) override {
    auto p = m_->Predict(s);
    if (p.ok()) last = *p;
    return p;
  }
  float last = NAN;

 private:
  roomsim::OccupancyModel* m_;
};

// A float linear classifier over the data set's features (light, CO2, motion and time of day
// count), quantized to int8 by emlkit quantize.
void MakeModel(const std::string& dir) {
  const std::string ds = ReadText(dir + "/ds/dataset.json");
  nlohmann::json j = nlohmann::json::parse(ds);
  const std::vector<std::string> names = j["feature_names"].get<std::vector<std::string>>();
  std::vector<float> w(names.size(), 0.0f);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& f = names[i];
    w[i] = f.starts_with("light") ? 2.0f : f.starts_with("co2") ? 1.0f : 0.0f;
    if (f.starts_with("motion")) w[i] = 1.5f;
    if (f.starts_with("tod")) w[i] = 0.3f;
  }
  Status st = testing::WriteLinearOccupancyModel(dir + "/float.tflite", ds, w, -1.0f);
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto q = RunEmlkit(
      {"quantize", dir + "/float.tflite", "--calib", dir + "/ds", "--out", dir + "/model.tflite"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
}

class ThermostatFirmware : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("thermostat-fw");
    const std::string d = dir_->path();
    auto sim = RunEmlkit({"roomsim", "--days", "7", "--seed", "5", "--out", d + "/office.csv"});
    ASSERT_EQ(sim.exit_code, 0) << sim.err;
    auto prep = RunEmlkit({"data", "prepare", "--input", d + "/office.csv", "--features",
                           "temperature_c,humidity_pct,light_lux,co2_ppm,motion", "--label",
                           "occupied", "--timestamp", "timestamp", "--time-features", "tod",
                           "--missing", "hold", "--spikes", "hampel", "--hampel-mode", "causal",
                           "--window", "5", "--stride", "1", "--window-stats", "mean,max,slope",
                           // The model is not trained on the splits (fixed weights below); a
                           // time split of one week would leave the weekend's validation
                           // without an occupied minute, which prepare refuses.
                           "--split", "random", "--allow-leakage", "--out", d + "/ds"});
    ASSERT_EQ(prep.exit_code, 0) << prep.err;
    MakeModel(d);
    RecordHostLoop(d);
    GenerateSources(d);
  }
  static void TearDownTestSuite() { delete dir_; }

  // The generated sources go to a fixed folder of the build tree, written atomically (two test
  // processes write the same bytes), so that ccache recognizes them on the next run.
  static std::string Gen() { return EMLKIT_FIRMWARE_GEN_DIR; }
  static void WriteGen(const std::string& name, const std::string& text) {
    ASSERT_TRUE(WriteFileAtomic(Gen() + "/" + name, text).ok()) << Gen();
  }

  // The host closed loop over a week (thermostat-eval's settings, the normal scenario, another
  // seed than the training data): sensors.csv and the expected decisions.
  static void RecordHostLoop(const std::string& d) {
    roomsim::EvalOptions o = roomsim::DefaultEvalOptions();
    o.sim.days = 7;
    o.sim.seed = 11;
    o.sim.scenarios = {{roomsim::ScenarioId::kNormal, 0, 6}};
    auto model = roomsim::OpenModelOccupancy(d + "/model.tflite", o.sim.period_s);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    Recording rec(model->get());
    auto sim = roomsim::RoomSimulator::Create(o.sim);
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    config_ = roomsim::EvalThermostatConfig(o, roomsim::Controller::kModel);
    roomsim::ClosedLoop loop(sim->get(), config_, &rec);
    ASSERT_TRUE(loop.Init().ok());
    std::string rows =
        "time_s,weekday,second_of_day,lost,temperature_c,humidity_pct,light_lux,"
        "co2_ppm,motion\n";
    std::string want = "time_s,p_occupied,heater_w,setpoint_c,occupied,heating,sensor_fault\n";
    int answered = 0, heating = 0;
    while (!(*sim)->done()) {
      auto s = loop.Step();
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      const roomsim::Sample& x = **s;
      const roomsim::Readings& r = x.readings;
      rows +=
          fmt::format("{},{},{},{},{},{},{},{},{}\n", x.time_s, x.weekday, x.second_of_day,
                      x.row_missing ? 1 : 0, Num(r.value[roomsim::kTemperature]),
                      Num(r.value[roomsim::kHumidity]), Num(r.value[roomsim::kLight]),
                      Num(r.value[roomsim::kCo2]), r.motion < 0 ? "" : std::to_string(r.motion));
      const app::ThermostatOutput& out = loop.output();
      want += fmt::format("{},{},{},{},{},{},{}\n", x.time_s, Bits(rec.last), Bits(out.heater_w),
                          Bits(out.setpoint_c), out.occupied ? 1 : 0, out.heating ? 1 : 0,
                          out.sensor_fault ? 1 : 0);
      answered += !std::isnan(rec.last);
      heating += out.heating;
    }
    ASSERT_GT(answered, 9000);  // the model answered nearly every minute of the week
    ASSERT_GT(heating, 100);    // and the heater did switch
    WriteText(d + "/sensors.csv", rows);
    WriteText(d + "/expected.csv", want);
  }

  // The firmware's generated files: the preprocessing, the model array and arena, the settings.
  static void GenerateSources(const std::string& d) {
    auto bytes = ReadFileBytes(d + "/model.tflite");
    ASSERT_TRUE(bytes.ok());
    auto model = tflite::ReadModel(bytes->data(), bytes->size(), "model.tflite");
    ASSERT_TRUE(model.ok());
    auto pre = exporter::GeneratePreprocessForModel(*model, d + "/model.tflite", "thermostat");
    ASSERT_TRUE(pre.ok()) << pre.status().ToString();
    std::filesystem::create_directories(Gen());
    for (const exporter::GeneratedFile& f : pre->files) WriteGen(f.path, f.content);
    // The model as generated code (what `emlkit export --format aot --name thermostat` writes).
    auto aot = exporter::GenerateAot(*bytes, {.name = "thermostat",
                                              .model_label = "model.tflite",
                                              .model_sha256 = "",
                                              .kernels = exporter::AotKernels::kPortable});
    ASSERT_TRUE(aot.ok()) << aot.status().ToString();
    for (const exporter::GeneratedFile& f : aot->files) WriteGen(f.path, f.content);
    const app::ThermostatConfig& c = config_;
    ASSERT_EQ(c.schedule_count, 1);
    WriteGen("thermostat_settings.h",
             fmt::format(R"(#include "app/thermostat.h"
#define THERMOSTAT_SAMPLING_PERIOD_S 60
#define THERMOSTAT_OCCUPIED_CLASS 1
#define THERMOSTAT_OUTPUT_PROBABILITIES 1
namespace thermostat {{
inline emlkit::app::ThermostatConfig SettingsForThisRoom() {{
  emlkit::app::ThermostatConfig c;
  c.source = emlkit::app::OccupancySource::kModel;
  c.comfort_c = {}f; c.setback_c = {}f; c.heater_max_w = {}f;
  c.schedule[0] = {{{}, {}, {}}}; c.schedule_count = 1;
  c.occupy_delay_s = {}; c.vacate_delay_s = {}; c.occupied_threshold = {}f;
  c.model_start_occupied = {};
  return c;
}}
}}  // namespace thermostat
)",
                         c.comfort_c, c.setback_c, c.heater_max_w, c.schedule[0].days,
                         c.schedule[0].start_min, c.schedule[0].end_min, c.occupy_delay_s,
                         c.vacate_delay_s, c.occupied_threshold,
                         c.model_start_occupied ? "true" : "false"));
  }

  static std::vector<std::string> Sources() {
    const std::string src = SourceDir();
    std::vector<std::string> s;
    for (const char* f : kFirmwareSources) s.push_back(src + "/examples/thermostat-firmware/" + f);
    for (const char* f : {"thermostat_preprocess.cc", "thermostat.cc"})
      s.push_back(Gen() + "/" + f);
    s.push_back(src + "/runtime/preprocess/preprocess.cc");
    s.push_back(src + "/runtime/app/thermostat.cc");
    return s;
  }

  static std::vector<std::string> Includes() {
    const std::string src = SourceDir();
    return {"-I" + Gen(), "-I" + src + "/examples/thermostat-firmware", "-I" + src + "/runtime",
            "-I" + src + "/runtime/include", "-I" + src + "/targets"};
  }

  static void ExpectSameDecisions(const std::string& got_path) {
    const std::string want = ReadText(dir_->Path("expected.csv"));
    const std::string got = ReadText(got_path);
    if (got == want) return;
    size_t line = 0, at = 0;
    while (at < want.size() && at < got.size() && want[at] == got[at]) line += want[at++] == '\n';
    const size_t from = want.rfind('\n', at) + 1;
    FAIL() << "decision line " << line
           << " differs:\n  host:     " << want.substr(from, want.find('\n', from) - from)
           << "\n  firmware: " << got.substr(from, got.find('\n', from) - from);
  }

  static ScratchDir* dir_;
  static app::ThermostatConfig config_;
};
ScratchDir* ThermostatFirmware::dir_ = nullptr;
app::ThermostatConfig ThermostatFirmware::config_;

TEST_F(ThermostatFirmware, HostBuildMatchesTheClosedLoopMinuteForMinute) {
  const std::string d = dir_->path();
  std::vector<std::string> flags = {"-std=c++17", "-O1",     "-ffp-contract=off", "-Wall",
                                    "-Wextra",    "-Werror", "-fno-exceptions",   "-fno-rtti"};
  for (const std::string& i : Includes()) flags.push_back(i);
  std::vector<std::string> srcs = Sources();
  srcs.push_back(SourceDir() + "/examples/thermostat-firmware/replay_sensors.cc");
  std::filesystem::create_directories(d + "/host");
  std::vector<std::string> args = CompileEach("g++", flags, srcs, d + "/host");
  ASSERT_EQ(args.size(), srcs.size());
  for (const std::string& s : {std::string(EMLKIT_RUNTIME_PORTABLE_LIB), std::string("-lm"),
                               std::string("-o"), d + "/thermostat_host"})
    args.push_back(s);
  auto ld = RunProgram("g++", args);
  ASSERT_EQ(ld.exit_code, 0) << ld.err;
  auto run = RunProgram(d + "/thermostat_host", {d + "/sensors.csv", d + "/host_decisions.csv"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  ExpectSameDecisions(d + "/host_decisions.csv");
}

TEST_F(ThermostatFirmware, CortexM4UnderQemuMatchesTheClosedLoop) {
  const sim::TargetSpec* t = sim::FindTarget("cortex-m4");
  ASSERT_NE(t, nullptr);
  for (const std::string& tool : {t->cxx, t->emulator})
    if (RunProgram("sh", {"-c", "command -v " + tool}).exit_code != 0)
      GTEST_SKIP() << tool << " not installed (scripts/bootstrap --test installs it)";
  setenv("EMLKIT_SIM_CACHE", EMLKIT_DEVICE_CACHE, 0);
  const std::string d = dir_->path(), src = SourceDir();
  auto rt = sim::BuildRuntime(*t, src);
  ASSERT_TRUE(rt.ok()) << rt.status().ToString();
  std::vector<std::string> srcs = Sources();
  const size_t first_board = srcs.size();
  for (const char* f : {"replay_sensors.cc", "board_mmio.cc"})
    srcs.push_back(src + "/examples/thermostat-firmware/" + f);
  std::vector<std::string> flags = rt->compile_flags;
  for (const std::string& inc : Includes()) flags.push_back(inc);
  flags.push_back("-Werror");
  std::filesystem::create_directories(d + "/m4");
  std::vector<std::string> objs = CompileEach(t->cxx, flags, srcs, d + "/m4");
  ASSERT_EQ(objs.size(), srcs.size());
  const std::vector<std::string> boards = {objs[first_board], objs[first_board + 1]};
  objs.resize(first_board);
  // The replay build (replay_sensors.cc, with stdio) and the deployable image (board_mmio.cc).
  // The deployable image's startup takes no command line (no 1 KB buffer for it).
  std::vector<std::string> st = {t->arch_flags.begin(), t->arch_flags.end()};
  for (const std::string& f : t->libc_flags) st.push_back(f);
  for (const std::string& f :
       {std::string("-Os"), std::string("-DEMLKIT_STARTUP_NO_ARGS"), "-I" + src + "/targets",
        std::string("-c"), src + "/targets/emulated/cortex-m/startup.c", std::string("-o"),
        d + "/m4/startup_image.o"})
    st.push_back(f);
  auto cc = RunProgram(t->cc, st);
  ASSERT_EQ(cc.exit_code, 0) << cc.err;
  auto link = [&](const std::string& board_obj, const std::string& startup,
                  const std::string& elf) {
    std::vector<std::string> cmd = {t->arch_flags.begin(), t->arch_flags.end()};
    for (const std::string& f : t->libc_flags) cmd.push_back(f);
    for (const std::string& f : {std::string("-Os"), std::string("-nostartfiles"),
                                 std::string("-T"), src + "/targets/emulated/cortex-m/cortex-m.ld",
                                 startup, std::string("-Wl,--gc-sections"), board_obj})
      cmd.push_back(f);
    for (const std::string& o : objs) cmd.push_back(o);
    for (const std::string& f :
         {std::string("-Wl,--start-group"), rt->dir + "/libemlkit_rt.a", std::string("-lm"),
          std::string("-Wl,--end-group"), std::string("-o"), elf})
      cmd.push_back(f);
    return RunProgram(t->cc, cmd);
  };
  auto ld = link(boards[0], rt->dir + "/startup.o", d + "/thermostat_m4.elf");
  ASSERT_EQ(ld.exit_code, 0) << ld.err;
  ld = link(boards[1], d + "/m4/startup_image.o", d + "/thermostat_image.elf");
  ASSERT_EQ(ld.exit_code, 0) << ld.err;
  ImageFigures(*t, d + "/thermostat_image.elf");

  const std::string semi = "enable=on,target=native,arg=thermostat,arg=" + d +
                           "/sensors.csv,arg=" + d + "/m4_decisions.csv";
  // Instruction counts: at the preprocessing, the model and the controller of every period.
  std::string marks;
  for (const std::string& f :
       {std::string("thermostat_push_row_each"), std::string("_ZN10thermostat8ModelRunEPKfPf"),
        std::string("_ZN6emlkit3app10Thermostat4StepERKNS0_15ThermostatInputE")})
    marks += (marks.empty() ? "" : ":") + SymbolAddress(*t, d + "/thermostat_m4.elf", f);
  std::vector<std::string> q = {"60", t->emulator};
  for (const std::string& m : t->machine) q.push_back(m);
  for (const std::string& a :
       {std::string("-nographic"), std::string("-monitor"), std::string("none"),
        std::string("-serial"), std::string("none"), std::string("-semihosting-config"), semi,
        std::string("-plugin"),
        std::string(EMLKIT_ICOUNT_PLUGIN) + ",out=" + d + "/icount.log,marks=" + marks,
        std::string("-kernel"), d + "/thermostat_m4.elf"})
    q.push_back(a);
  auto run = RunProgram("timeout", q);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  ExpectSameDecisions(d + "/m4_decisions.csv");
  InstructionFigures(d + "/icount.log");
}

// The office's settings that the firmware and the Arduino thermostat example share
// (runtime/app/thermostat_settings.h) are thermostat-eval's defaults with the model as source.
TEST(ThermostatSettings, OfficeSettingsAreThermostatEvals) {
  const app::ThermostatConfig want =
      roomsim::EvalThermostatConfig(roomsim::DefaultEvalOptions(), roomsim::Controller::kModel);
  const app::ThermostatConfig got = app::OfficeThermostatConfig();
  using C = app::ThermostatConfig;
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.model_start_occupied, want.model_start_occupied);
  for (float C::*f :
       {&C::comfort_c, &C::setback_c, &C::hysteresis_c, &C::heater_max_w, &C::occupied_threshold,
        &C::min_valid_c, &C::max_valid_c, &C::failsafe_power_fraction})
    EXPECT_EQ(got.*f, want.*f);
  for (uint32_t C::*f : {&C::min_switch_s, &C::occupy_delay_s, &C::vacate_delay_s,
                         &C::motion_timeout_s, &C::sensor_timeout_s, &C::stuck_timeout_s})
    EXPECT_EQ(got.*f, want.*f);
  ASSERT_EQ(got.schedule_count, want.schedule_count);
  for (int i = 0; i < got.schedule_count; ++i) {
    EXPECT_EQ(got.schedule[i].days, want.schedule[i].days);
    EXPECT_EQ(got.schedule[i].start_min, want.schedule[i].start_min);
    EXPECT_EQ(got.schedule[i].end_min, want.schedule[i].end_min);
  }
}

}  // namespace
}  // namespace emlkit
