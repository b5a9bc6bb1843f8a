// `emlkit demo` end to end on a short simulated stretch: the artifacts folder, metrics.json, the
// quality the chain keeps from stage to stage, determinism, and bad options.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::PathExists;
using testing::ReadText;
using testing::RunEmlkit;

// A Monday start, 7 training days and 3 workdays to test on: every class appears in each split.
const std::vector<std::string> kShort = {"--train-days", "7", "--test-days", "3",
                                         "--eval-days",  "1", "--seed",      "5"};

// Without --tune-days in `extra`, no controller tuning (its grid is tested in
// src/roomsim/controller_tune_test.cc; the first test here runs it once).
std::vector<std::string> DemoArgs(const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"demo", "--out", out, "-q"};
  args.insert(args.end(), kShort.begin(), kShort.end());
  if (std::find(extra.begin(), extra.end(), "--tune-days") == extra.end())
    extra.insert(extra.end(), {"--tune-days", "0"});
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

const nlohmann::json* FindModel(const nlohmann::json& m, const std::string& role) {
  for (const auto& model : m["models"])
    if (model["role"] == role) return &model;
  return nullptr;
}

// metrics.json without its `timings` (wall times, the one part that differs between runs).
std::string WithoutTimings(const std::string& text) {
  nlohmann::ordered_json m = nlohmann::ordered_json::parse(text);
  EXPECT_TRUE(m.contains("timings"));
  m.erase("timings");
  return m.dump(2);
}

// Names in `dir` other than `keep` (a leftover staging folder would show here).
std::vector<std::string> OtherEntries(const std::string& dir, const std::string& keep) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename() != keep) names.push_back(e.path().filename().string());
  return names;
}

TEST(Demo, WritesEveryArtifactAndKeepsTheAccuracyThroughTheChain) {
  ScratchDir dir("demo");
  const std::string out = dir.Path("run");
  auto r = RunEmlkit(DemoArgs(out, {"--tune-days", "1"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << "-q keeps stderr silent: " << r.err;
  for (const char* f : {"room_train.csv",
                        "room_train_motion.csv",
                        "room_train_comfort.csv",
                        "room_train_off.csv",
                        "room_test.csv",
                        "dataset/dataset.json",
                        "dataset/X_train.npy",
                        "dataset/y_test.npy",
                        "model_float.tflite",
                        "model_float.train.jsonl",
                        "model_pruned.tflite",
                        "model_int8.tflite",
                        "quantize_report.txt",
                        "prune_report.txt",
                        "controller.json",
                        "thermostat_eval.txt",
                        "targets.txt",
                        "metrics.json",
                        "report.html",
                        "emlkit.toml",
                        "export/c-array"})
    EXPECT_TRUE(PathExists(out + "/" + f)) << f;
  EXPECT_TRUE(OtherEntries(dir.path(), "run").empty()) << "no staging folder left behind";

  // The summary on stdout names the models and the controllers, with the cost column and the
  // tuned settings.
  for (const char* s : {"model_float.tflite", "model_pruned.tflite", "model_int8.tflite",
                        "the int8 model", "always comfort", "fixed schedule", "motion timeout",
                        "energy kWh      cost", "chosen for the lowest cost on validation seeds"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;

  auto m = nlohmann::json::parse(ReadText(out + "/metrics.json"));
  for (const char* key : {"options", "data", "training", "pruning", "quantization", "models",
                          "export", "tuning", "thermostat"})
    EXPECT_TRUE(m.contains(key)) << key;
  // The export stage wrote the C array through the `emlkit export` library: every file listed
  // with its size on disk.
  ASSERT_EQ(m["export"]["packages"].size(), 1u) << m["export"].dump();
  const auto& pkg = m["export"]["packages"][0];
  EXPECT_EQ(pkg["format"], "c-array");
  ASSERT_GE(pkg["files"].size(), 2u) << pkg.dump();
  int64_t exported = 0;
  for (const auto& file : pkg["files"]) {
    const std::string path = out + "/" + file["file"].get<std::string>();
    ASSERT_TRUE(PathExists(path)) << path;
    EXPECT_EQ(file["bytes"].get<int64_t>(), static_cast<int64_t>(ReadText(path).size())) << path;
    exported += file["bytes"].get<int64_t>();
  }
  EXPECT_EQ(pkg["bytes"].get<int64_t>(), exported);
  EXPECT_GT(exported, pkg["model_bytes"].get<int64_t>()) << "the array's text outweighs its bytes";
  // Training data under four heating policies; the controller tuned for the closed-loop cost on
  // validation seeds other than the closed loop's (seed 5 + 2), and used there.
  ASSERT_EQ(m["data"]["train_csvs"].size(), 4u);
  EXPECT_EQ(m["data"]["train_csvs"][1]["heating"], "motion-timeout");
  const auto& tuning = m["tuning"];
  EXPECT_EQ(tuning["validation_seeds"], nlohmann::json::array({10, 11}));
  EXPECT_EQ(m["thermostat"]["seed"], 7);
  EXPECT_EQ(m["thermostat"]["controller"]["threshold"], tuning["threshold"]);
  EXPECT_EQ(m["thermostat"]["controller"]["vacate_delay_s"], tuning["vacate_delay_s"]);
  double lowest = 1e300;
  for (const auto& p : tuning["grid"]) lowest = std::min(lowest, p["cost"].get<double>());
  EXPECT_EQ(tuning["cost"].get<double>(), lowest);
  const nlohmann::json* f = FindModel(m, "float");
  const nlohmann::json* p = FindModel(m, "pruned");
  const nlohmann::json* q = FindModel(m, "int8");
  ASSERT_TRUE(f && p && q) << m["models"].dump();

  // Pruning really shrinks the model to at most half its MACs, and quantization keeps the pruned
  // model's accuracy (the figures are the runtime's own).
  EXPECT_LE(p->at("macs").get<double>(), 0.5 * f->at("macs").get<double>());
  EXPECT_LT(p->at("params").get<int>(), f->at("params").get<int>());
  EXPECT_EQ(q->at("macs"), p->at("macs"));
  EXPECT_EQ(q->at("input_type"), "int8");
  const double acc_f = f->at("test").at("accuracy");
  const double acc_p = p->at("test").at("accuracy");
  const double acc_q = q->at("test").at("accuracy");
  EXPECT_GT(acc_f, 0.95);
  EXPECT_GT(acc_p, acc_f - 0.01);
  EXPECT_GT(acc_q, acc_p - 0.005);
  EXPECT_GE(m["quantization"]["agreement"].get<double>(), 0.99);
  EXPECT_EQ(m["models"][0]["file"], "model_float.tflite") << "paths are relative to the folder";

  // The closed loop: the model and the three baselines, over every scenario.
  const auto& t = m["thermostat"];
  EXPECT_GE(t["scenarios_run"].size(), 6u);
  for (const nlohmann::json* c :
       {&t["model"], &t["baselines"]["always_comfort"], &t["baselines"]["fixed_schedule"],
        &t["baselines"]["motion_timeout"]}) {
    EXPECT_TRUE(c->contains("occupancy_accuracy")) << c->dump();
    EXPECT_TRUE(c->contains("comfort_violation_min")) << c->dump();
    EXPECT_GT(c->value("energy_kwh", 0.0), 0.0) << c->dump();
  }
  // The model tells occupancy far better than "always occupied" and saves energy against it.
  EXPECT_GT(t["model"]["occupancy_accuracy"].get<double>(),
            t["baselines"]["always_comfort"]["occupancy_accuracy"].get<double>() + 0.3);
  EXPECT_LT(t["model"]["energy_kwh"].get<double>(),
            t["baselines"]["always_comfort"]["energy_kwh"].get<double>());

  // Nothing names the staging folder.
  for (const char* text : {"metrics.json", "dataset/dataset.json", "model_float.train.jsonl",
                           "quantize_report.txt", "prune_report.txt"})
    EXPECT_EQ(ReadText(out + "/" + text).find(".tmp-"), std::string::npos) << text;
}

TEST(Demo, SameOptionsGiveTheSameArtifactsAndReplaceTheOldFolder) {
  ScratchDir dir("demo");
  const std::string out = dir.Path("run");
  ASSERT_EQ(RunEmlkit(DemoArgs(out)).exit_code, 0);
  std::string metrics = WithoutTimings(ReadText(out + "/metrics.json"));
  std::string int8 = ReadText(out + "/model_int8.tflite");
  testing::WriteText(out + "/stale.txt", "from an older run");

  auto r = RunEmlkit(DemoArgs(out, {"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(WithoutTimings(ReadText(out + "/metrics.json")), metrics);
  EXPECT_EQ(ReadText(out + "/model_int8.tflite"), int8);
  EXPECT_FALSE(PathExists(out + "/stale.txt")) << "the folder is replaced as a whole";
  EXPECT_EQ(WithoutTimings(r.out), metrics) << "--json prints metrics.json";
  EXPECT_TRUE(OtherEntries(dir.path(), "run").empty());
}

TEST(Demo, TheFolderIsTheSameWhereverItIsWritten) {
  ScratchDir dir("demo");
  const std::string a = dir.Path("a"), b = dir.Path("somewhere-with-a-longer-name");
  ASSERT_EQ(RunEmlkit(DemoArgs(a)).exit_code, 0);
  ASSERT_EQ(RunEmlkit(DemoArgs(b)).exit_code, 0);
  for (const char* f : {"model_float.tflite", "model_pruned.tflite", "model_int8.tflite",
                        "dataset/dataset.json", "quantize_report.txt", "emlkit.toml"})
    EXPECT_EQ(ReadText(a + "/" + f), ReadText(b + "/" + f)) << f;
  EXPECT_EQ(WithoutTimings(ReadText(a + "/metrics.json")),
            WithoutTimings(ReadText(b + "/metrics.json")));
  auto ds = nlohmann::json::parse(ReadText(a + "/dataset/dataset.json"));
  EXPECT_NE(ds.dump().find("\"room_train.csv\""), std::string::npos)
      << "inputs named relative to the folder: " << ds.dump();
}

TEST(Demo, PruneTargetOneSkipsPruning) {
  ScratchDir dir("demo");
  const std::string out = dir.Path("run");
  auto r = RunEmlkit(DemoArgs(out, {"--prune-target-macs", "1"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(PathExists(out + "/model_pruned.tflite"));
  EXPECT_FALSE(PathExists(out + "/prune_report.txt"));
  auto m = nlohmann::json::parse(ReadText(out + "/metrics.json"));
  const nlohmann::json* f = FindModel(m, "float");
  const nlohmann::json* q = FindModel(m, "int8");
  ASSERT_TRUE(f && q);
  EXPECT_EQ(FindModel(m, "pruned"), nullptr);
  EXPECT_EQ(q->at("macs"), f->at("macs")) << "the int8 model is the float model quantized";
}

// --forecast-min N: the label is "occupied now or within N minutes" (the CSVs carry it as
// occupied_soon), so the thermostat can warm the room before people come.
TEST(Demo, ForecastLabelLooksAhead) {
  ScratchDir dir("demo");
  const std::string out = dir.Path("run");
  auto r = RunEmlkit(DemoArgs(out, {"--forecast-min", "30", "--prune-target-macs", "1"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = ReadText(out + "/room_test.csv");
  ASSERT_EQ(csv.substr(0, csv.find('\n')),
            "timestamp,temperature_c,humidity_pct,light_lux,co2_ppm,motion,occupied,occupants,"
            "heater_w,fault,occupied_soon");
  // Rows as (occupied, occupied_soon); every occupied row is "soon", and a "soon" row that is
  // empty sees an occupied row within the next 30 (one-minute rows, few lost).
  std::vector<std::pair<bool, bool>> rows;
  for (size_t at = csv.find('\n') + 1; at < csv.size();) {
    const size_t end = csv.find('\n', at);
    const std::string line = csv.substr(at, end - at);
    std::vector<std::string> f;
    for (size_t p = 0, q; p <= line.size(); p = q + 1) {
      q = line.find(',', p);
      if (q == std::string::npos) q = line.size();
      f.push_back(line.substr(p, q - p));
    }
    ASSERT_EQ(f.size(), 11u) << line;
    rows.push_back({f[6] == "1", f[10] == "1"});
    at = end + 1;
  }
  int ahead = 0, occupied = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].first) {
      ++occupied;
      EXPECT_TRUE(rows[i].second) << "row " << i;
    } else if (rows[i].second) {
      ++ahead;
      bool found = false;
      for (size_t j = i + 1; j < rows.size() && j <= i + 31 && !found; ++j) found = rows[j].first;
      EXPECT_TRUE(found) << "row " << i;
    }
  }
  EXPECT_GT(occupied, 100);
  EXPECT_GT(ahead, 30) << "arrivals are announced before they happen";
  auto m = nlohmann::json::parse(ReadText(out + "/metrics.json"));
  EXPECT_EQ(m["options"]["forecast_min"], 30);
}

TEST(Demo, ShowsEachStepOnStderrWithoutQuiet) {
  ScratchDir dir("demo");
  std::vector<std::string> args = {"demo", "--out", dir.Path("run")};
  args.insert(args.end(), kShort.begin(), kShort.end());
  args.insert(args.end(), {"--tune-days", "0"});
  auto r = RunEmlkit(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* step : {"[1/10] roomsim", "[2/10] data prepare", "[3/10] train", "[4/10] prune",
                           "[5/10] quantize", "[6/10] eval", "[7/10] targets", "[8/10] export",
                           "[9/10] tune: skipped", "[10/10] thermostat-eval", "epoch 1/"})
    EXPECT_NE(r.err.find(step), std::string::npos) << step << "\n" << r.err;
  EXPECT_EQ(r.err.find(".tmp-"), std::string::npos) << "stderr names the final folder\n" << r.err;
}

TEST(Demo, BadOptionsExitTwoAndWriteNothing) {
  ScratchDir dir("demo");
  const std::string out = dir.Path("run");
  struct Case {
    std::vector<std::string> extra;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"--train-days", "0"}, "--train-days 0"},
           {{"--eval-days", "400"}, "--eval-days 400"},
           {{"--room", "kitchen"}, "kitchen"},
           {{"--start", "2024-13-01"}, "2024-13-01"},
           {{"--prune-target-macs", "0"}, "--prune-target-macs"},
           {{"--tune-days", "-1"}, "--tune-days -1"},
           {{"--lambda", "-3"}, "--lambda -3"},
           {{"--forecast-min", "-5"}, "--forecast-min -5"},
           {{"--no-such-flag"}, "--no-such-flag"},
       }) {
    std::vector<std::string> args = {"demo", "--out", out, "-q"};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    auto r = RunEmlkit(args);
    EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "nothing written for " << c.message;
  }
  auto r = RunEmlkit({"demo", "-q", "--out", dir.Path("missing/parent/run")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("missing/parent"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace emlkit
