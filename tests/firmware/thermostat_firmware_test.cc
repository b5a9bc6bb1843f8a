// The thermostat firmware (examples/thermostat-firmware) against the host closed loop: a week of
// the simulated office runs through `emlkit thermostat-eval`'s loop (src/roomsim/closed_loop.h)
// with an int8 occupancy model whose preprocessing has windows, statistics, time features and a
// Hampel filter; the sensor rows the loop saw are recorded, the firmware is built with the
// generated preprocessing (src/export/preprocess_gen.h) and the model as a C array, replays the
// rows, and its decisions (P(occupied), heater power, setpoint, occupancy, heating, fault) must
// be the host's minute for minute, to the bit: on the host and on the emulated Cortex-M4.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/fs.h"
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

using testing::ReadText;
using testing::RunEmlkit;
using testing::RunProgram;
using testing::SourceDir;
using testing::WriteText;

const char* const kFirmwareSources[] = {"main.cc", "firmware.cc", "model_interpreter.cc",
                                        "replay_sensors.cc"};

std::string Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return fmt::format("{:08x}", u);
}

std::string Num(double v) { return std::isnan(v) ? "" : fmt::format("{:.17g}", v); }

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
    auto prep = RunEmlkit({"data",
                           "prepare",
                           "--input",
                           d + "/office.csv",
                           "--features",
                           "temperature_c,humidity_pct,light_lux,co2_ppm,motion",
                           "--label",
                           "occupied",
                           "--timestamp",
                           "timestamp",
                           "--time-features",
                           "tod",
                           "--missing",
                           "hold",
                           "--spikes",
                           "hampel",
                           "--hampel-mode",
                           "causal",
                           "--window",
                           "5",
                           "--stride",
                           "1",
                           "--window-stats",
                           "mean,max,slope",
                           "--out",
                           d + "/ds"});
    ASSERT_EQ(prep.exit_code, 0) << prep.err;
    MakeModel(d);
    RecordHostLoop(d);
    GenerateSources(d);
  }
  static void TearDownTestSuite() { delete dir_; }

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
    std::filesystem::create_directories(d + "/gen");
    for (const exporter::GeneratedFile& f : pre->files) WriteText(d + "/gen/" + f.path, f.content);
    WriteText(d + "/gen/model_data.cc", sim::ModelSource(*bytes, "model.tflite"));
    WriteText(d + "/gen/arena.cc", sim::ArenaSource(2048));
    const app::ThermostatConfig& c = config_;
    ASSERT_EQ(c.schedule_count, 1);
    WriteText(d + "/gen/thermostat_settings.h",
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
  return c;
}}
}}  // namespace thermostat
)",
                          c.comfort_c, c.setback_c, c.heater_max_w, c.schedule[0].days,
                          c.schedule[0].start_min, c.schedule[0].end_min, c.occupy_delay_s,
                          c.vacate_delay_s, c.occupied_threshold));
  }

  static std::vector<std::string> Sources(const std::string& d) {
    const std::string src = SourceDir();
    std::vector<std::string> s;
    for (const char* f : kFirmwareSources) s.push_back(src + "/examples/thermostat-firmware/" + f);
    for (const char* f : {"thermostat_preprocess.cc", "model_data.cc", "arena.cc"})
      s.push_back(d + "/gen/" + f);
    s.push_back(src + "/runtime/preprocess/preprocess.cc");
    s.push_back(src + "/runtime/app/thermostat.cc");
    return s;
  }

  static std::vector<std::string> Includes(const std::string& d) {
    const std::string src = SourceDir();
    return {"-I" + d + "/gen", "-I" + src + "/examples/thermostat-firmware",
            "-I" + src + "/runtime", "-I" + src + "/runtime/include", "-I" + src + "/targets"};
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
  std::vector<std::string> args = {"-std=c++17", "-O1",     "-ffp-contract=off", "-Wall",
                                   "-Wextra",    "-Werror", "-fno-exceptions",   "-fno-rtti"};
  for (const std::string& i : Includes(d)) args.push_back(i);
  for (const std::string& s : Sources(d)) args.push_back(s);
  for (const std::string& s : {std::string(EMLKIT_RUNTIME_PORTABLE_LIB), std::string("-lm"),
                               std::string("-o"), d + "/thermostat_host"})
    args.push_back(s);
  auto cc = RunProgram("g++", args);
  ASSERT_EQ(cc.exit_code, 0) << cc.err;
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
  std::vector<std::string> objs;
  std::vector<std::string> srcs = Sources(d);
  srcs.push_back(src + "/runtime/src/registry.cc");
  // Only the operators the model uses are registered (the harness's op selection).
  auto bytes = ReadFileBytes(d + "/model.tflite");
  auto model = tflite::ReadModel(bytes->data(), bytes->size(), "model.tflite");
  ASSERT_TRUE(model.ok());
  std::vector<int32_t> codes;
  for (const tflite::Operator& op : model->operators) codes.push_back(op.builtin_code);
  WriteText(d + "/gen/ops.h", sim::OpsHeader(codes, "model.tflite"));
  for (size_t i = 0; i < srcs.size(); ++i) {
    std::vector<std::string> args = rt->compile_flags;
    for (const std::string& inc : Includes(d)) args.push_back(inc);
    if (srcs[i].ends_with("registry.cc")) args.push_back("-DEMLKIT_OPS_HEADER=\"ops.h\"");
    const std::string o = d + "/m4_" + std::to_string(i) + ".o";
    for (const std::string& a :
         {std::string("-Werror"), std::string("-c"), srcs[i], std::string("-o"), o})
      args.push_back(a);
    auto cc = RunProgram(t->cxx, args);
    ASSERT_EQ(cc.exit_code, 0) << srcs[i] << ":\n" << cc.err;
    objs.push_back(o);
  }
  std::vector<std::string> link = {t->arch_flags.begin(), t->arch_flags.end()};
  for (const std::string& f : t->libc_flags) link.push_back(f);
  for (const std::string& f : {std::string("-Os"), std::string("-nostartfiles"), std::string("-T"),
                               src + "/targets/emulated/cortex-m/cortex-m.ld",
                               rt->dir + "/startup.o", std::string("-Wl,--gc-sections")})
    link.push_back(f);
  for (const std::string& o : objs) link.push_back(o);
  for (const std::string& f :
       {std::string("-Wl,--start-group"), rt->dir + "/libemlkit_rt.a", std::string("-lm"),
        std::string("-Wl,--end-group"), std::string("-o"), d + "/thermostat_m4.elf"})
    link.push_back(f);
  auto ld = RunProgram(t->cc, link);
  ASSERT_EQ(ld.exit_code, 0) << ld.err;
  auto size = RunProgram(t->size, {d + "/thermostat_m4.elf"});
  std::printf("thermostat firmware (replay build, with stdio) on %s:\n%s", t->name.c_str(),
              size.out.c_str());
  const std::string semi = "enable=on,target=native,arg=thermostat,arg=" + d +
                           "/sensors.csv,arg=" + d + "/m4_decisions.csv";
  std::vector<std::string> q = {"30", t->emulator};
  for (const std::string& m : t->machine) q.push_back(m);
  for (const std::string& a :
       {std::string("-nographic"), std::string("-monitor"), std::string("none"),
        std::string("-serial"), std::string("none"), std::string("-semihosting-config"), semi,
        std::string("-kernel"), d + "/thermostat_m4.elf"})
    q.push_back(a);
  auto run = RunProgram("timeout", q);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  ExpectSameDecisions(d + "/m4_decisions.csv");
}

}  // namespace
}  // namespace emlkit
