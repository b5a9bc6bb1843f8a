// `emlkit demo` end to end on a short simulated stretch: the artifacts folder, metrics.json, the
// quality the chain keeps from stage to stage, determinism, and bad options.
#include <gtest/gtest.h>

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

std::vector<std::string> DemoArgs(const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"demo", "--out", out, "-q"};
  args.insert(args.end(), kShort.begin(), kShort.end());
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
  auto r = RunEmlkit(DemoArgs(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << "-q keeps stderr silent: " << r.err;
  for (const char* f :
       {"room_train.csv", "room_test.csv", "dataset/dataset.json", "dataset/X_train.npy",
        "dataset/y_test.npy", "model_float.tflite", "model_float.train.jsonl",
        "model_pruned.tflite", "model_int8.tflite", "quantize_report.txt", "prune_report.txt",
        "thermostat_eval.txt", "targets.txt", "metrics.json", "report.html", "emlkit.toml"})
    EXPECT_TRUE(PathExists(out + "/" + f)) << f;
  EXPECT_TRUE(OtherEntries(dir.path(), "run").empty()) << "no staging folder left behind";

  // The summary on stdout names the models and the controllers.
  for (const char* s : {"model_float.tflite", "model_pruned.tflite", "model_int8.tflite",
                        "the int8 model", "always comfort", "fixed schedule", "motion timeout"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;

  auto m = nlohmann::json::parse(ReadText(out + "/metrics.json"));
  for (const char* key :
       {"options", "data", "training", "pruning", "quantization", "models", "thermostat"})
    EXPECT_TRUE(m.contains(key)) << key;
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

TEST(Demo, ShowsEachStepOnStderrWithoutQuiet) {
  ScratchDir dir("demo");
  std::vector<std::string> args = {"demo", "--out", dir.Path("run")};
  args.insert(args.end(), kShort.begin(), kShort.end());
  auto r = RunEmlkit(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* step :
       {"[1/9] roomsim", "[2/9] data prepare", "[3/9] train", "[4/9] prune", "[5/9] quantize",
        "[6/9] eval", "[7/9] targets", "[8/9] export", "[9/9] thermostat-eval", "epoch 1/"})
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
