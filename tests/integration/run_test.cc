// `emlkit run` on a short thermostat project: skipping what is up to date, re-running what an
// option change touches, Ctrl-C then a re-run giving the same artifacts, leftovers of killed
// runs removed, bad project files, and `emlkit init`.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "run_project.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

namespace fs = std::filesystem;
using testing::PathExists;
using testing::ReadText;
using testing::RunEmlkit;

constexpr const char* kStages[] = {"roomsim", "data",    "train",  "prune", "quantize",
                                   "eval",    "targets", "export", "tune",  "thermostat"};

bool Ran(const std::string& err, const std::string& stage) {
  return err.find("] " + stage + ": up to date, skipped") == std::string::npos &&
         err.find("] " + std::string(stage == "data" ? "data prepare" : stage)) !=
             std::string::npos;
}

TEST(Run, ARerunWithNothingChangedSkipsEveryStage) {
  ScratchDir dir("run");
  const std::string toml = testing::WriteShortThermostat(dir.path());
  const std::string out = dir.Path("out");
  auto first = RunEmlkit({"run", toml, "--out", out});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  for (const char* s : kStages) EXPECT_TRUE(Ran(first.err, s)) << s << "\n" << first.err;
  const std::string metrics = ReadText(out + "/metrics.json");
  const std::string report = ReadText(out + "/report.html");

  auto again = RunEmlkit({"run", toml, "--out", out});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  for (const char* s : kStages)
    EXPECT_NE(again.err.find(std::string("] ") + s + ": up to date, skipped"), std::string::npos)
        << s << "\n"
        << again.err;
  EXPECT_EQ(again.err.find("epoch"), std::string::npos) << "no training: " << again.err;
  EXPECT_EQ(ReadText(out + "/metrics.json"), metrics) << "the figures come from the stamps";
  EXPECT_EQ(ReadText(out + "/report.html"), report);
  for (const char* s : {"up to date", "train"})
    EXPECT_NE(again.out.find(s), std::string::npos) << again.out;

  // An artifact removed by hand: its stage (and only what depends on what it writes) runs again.
  fs::remove(out + "/targets.txt");
  auto repaired = RunEmlkit({"run", toml, "--out", out});
  ASSERT_EQ(repaired.exit_code, 0) << repaired.err;
  EXPECT_TRUE(Ran(repaired.err, "targets")) << repaired.err;
  EXPECT_FALSE(Ran(repaired.err, "train")) << repaired.err;
  EXPECT_TRUE(PathExists(out + "/targets.txt"));
}

TEST(Run, ChangingATrainingOptionRerunsTrainingAndWhatFollowsNotTheData) {
  ScratchDir dir("run");
  const std::string toml = testing::WriteShortThermostat(dir.path());
  const std::string out = dir.Path("out");
  ASSERT_EQ(RunEmlkit({"run", toml, "--out", out, "-q"}).exit_code, 0);
  const std::string dataset_json = ReadText(out + "/dataset/dataset.json");
  const auto data_stamp = fs::last_write_time(out + "/.emlkit/data.json");

  testing::WriteShortThermostat(dir.path(), "[train]\nepochs = 15\n");
  auto r = RunEmlkit({"run", toml, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Ran(r.err, "roomsim")) << r.err;
  EXPECT_FALSE(Ran(r.err, "data")) << r.err;
  for (const char* s : {"train", "prune", "quantize", "eval", "targets", "thermostat"})
    EXPECT_TRUE(Ran(r.err, s)) << s << "\n" << r.err;
  EXPECT_EQ(fs::last_write_time(out + "/.emlkit/data.json"), data_stamp);
  EXPECT_EQ(ReadText(out + "/dataset/dataset.json"), dataset_json);
  auto m = nlohmann::json::parse(ReadText(out + "/metrics.json"));
  EXPECT_LE(m["training"]["epochs_run"].get<int>(), 15) << m["training"].dump();
}

// Runs emlkit with `args`, sends SIGINT as soon as stderr shows `marker`, and returns the exit
// status (-1 when the marker never came).
int InterruptWhenSeen(const std::vector<std::string>& args, const std::string& marker,
                      std::string* err) {
  int pipe_fd[2];
  if (pipe(pipe_fd) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fd[1], 2);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    close(pipe_fd[0]);
    std::vector<char*> argv;
    std::string bin = testing::EmlkitBinary();
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(pipe_fd[1]);
  bool sent = false;
  char buf[4096];
  for (ssize_t n; (n = read(pipe_fd[0], buf, sizeof buf)) > 0;) {
    err->append(buf, static_cast<size_t>(n));
    if (!sent && err->find(marker) != std::string::npos) {
      kill(pid, SIGINT);
      sent = true;
    }
  }
  close(pipe_fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!sent) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(Run, CtrlCMidRunThenARerunGivesTheSameArtifactsAsAnUninterruptedRun) {
  ScratchDir dir("run");
  const std::string toml = testing::WriteShortThermostat(dir.path());
  const std::string whole = dir.Path("whole"), cut = dir.Path("cut");
  ASSERT_EQ(RunEmlkit({"run", toml, "--out", whole, "-q"}).exit_code, 0);

  std::string err;
  const int code = InterruptWhenSeen({"run", toml, "--out", cut}, "] train", &err);
  ASSERT_NE(code, -1) << "the train stage never started:\n" << err;
  ASSERT_NE(code, 0) << "the run should have been interrupted:\n" << err;
  EXPECT_TRUE(PathExists(cut + "/.emlkit/data.json")) << "finished stages keep their stamp";
  EXPECT_FALSE(PathExists(cut + "/.emlkit/thermostat.json"));
  for (const auto& e : fs::recursive_directory_iterator(cut))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();

  auto r = RunEmlkit({"run", toml, "--out", cut});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Ran(r.err, "roomsim")) << r.err;
  EXPECT_FALSE(Ran(r.err, "data")) << r.err;
  for (const auto& e : fs::recursive_directory_iterator(whole)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), whole).string();
    // The training log and the stamps record wall times; metrics.json and the report too.
    if (rel.find(".jsonl") != std::string::npos || rel.rfind(".emlkit/", 0) == 0 ||
        rel == "metrics.json" || rel == "report.html")
      continue;
    EXPECT_EQ(ReadText(cut + "/" + rel), ReadText(e.path().string())) << rel;
  }
  auto a = nlohmann::json::parse(ReadText(whole + "/metrics.json"));
  auto b = nlohmann::json::parse(ReadText(cut + "/metrics.json"));
  a.erase("timings");
  b.erase("timings");
  EXPECT_EQ(a, b);
}

// A PID no process has (the child of a fork that has exited and been reaped).
long DeadPid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

TEST(Run, LeftoversOfAKilledRunAreRemoved) {
  ScratchDir dir("run");
  const std::string toml = testing::WriteShortThermostat(dir.path());
  const std::string out = dir.Path("out");
  const std::string dead = std::to_string(DeadPid());
  fs::create_directories(out);
  fs::create_directories(dir.Path("out.tmp-" + dead + "-0/dataset"));
  testing::WriteText(out + "/model_int8.tflite.tmp-" + dead + "-4", "half");
  const std::string alive = out + "/model.tflite.tmp-" + std::to_string(getpid()) + "-9";
  testing::WriteText(alive, "another job's");
  ASSERT_EQ(RunEmlkit({"run", toml, "--out", out, "-q"}).exit_code, 0);
  EXPECT_FALSE(PathExists(dir.Path("out.tmp-" + dead + "-0")));
  EXPECT_FALSE(PathExists(out + "/model_int8.tflite.tmp-" + dead + "-4"));
  EXPECT_TRUE(PathExists(alive)) << "a running process's file is not touched";

  // `emlkit demo` (a staged folder) too: the next demo removes what a killed one left.
  fs::create_directories(dir.Path("demo.tmp-" + dead + "-0"));
  ASSERT_EQ(RunEmlkit({"demo", "--out", dir.Path("demo"), "-q", "--train-days", "7", "--test-days",
                       "3", "--eval-days", "1", "--seed", "5", "--tune-days", "0"})
                .exit_code,
            0);
  EXPECT_FALSE(PathExists(dir.Path("demo.tmp-" + dead + "-0")));
}

TEST(Run, BadProjectFilesNameTheFileLineAndKey) {
  ScratchDir dir("run");
  struct Case {
    std::string extra, message;
  };
  for (const Case& c : std::vector<Case>{
           {"[train]\nepochz = 3\n", "epochz"},
           {"[prune]\ntarget_macs = \"half\"\n", "'target_macs' must be a number"},
           {"[thermostat]\neval_days = 0\n", "'eval_days' is 0"},
           {"[thermostat]\ntune_days = -1\n", "'tune_days' is -1"},
           {"[thermostat]\ncost_lambda = -2\n", "'cost_lambda' is -2"},
           {"[quantize]\ncalib_records = 1.5\n", "calib_records"},
           {"[targets]\nboards = []\n", "'boards' is empty"},
           {"[export]\nformats = [\"zip\"]\n", "zip"},
           {"[deploy]\nx = 1\n", "unknown section [deploy]"},
       }) {
    const std::string toml = testing::WriteShortThermostat(dir.path(), c.extra);
    auto r = RunEmlkit({"run", toml, "--out", dir.Path("out"), "-q"});
    EXPECT_EQ(r.exit_code, 2) << c.extra << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("emlkit.toml:"), std::string::npos) << "FILE:LINE:COL: " << r.err;
    EXPECT_FALSE(PathExists(dir.Path("out"))) << "nothing written for " << c.extra;
  }
  auto r = RunEmlkit({"run", dir.Path("missing.toml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("emlkit init"), std::string::npos) << r.err;
}

TEST(Init, WritesTheExampleProjectAndKeepsAnExistingOne) {
  ScratchDir dir("init");
  for (const char* example : {"thermostat", "occupancy", "gestures", "anomaly"}) {
    const std::string target = dir.Path(example);
    auto r = RunEmlkit({"init", "--example", example, target});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ReadText(target + "/emlkit.toml"),
              ReadText(testing::SourceDir() + "/examples/" + example + "/emlkit.toml"));
  }
  auto again = RunEmlkit({"init", dir.Path("thermostat")});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  auto bad = RunEmlkit({"init", "--example", "kitchen", dir.Path("k")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("thermostat, occupancy"), std::string::npos) << bad.err;
  EXPECT_FALSE(PathExists(dir.Path("k")));
}

}  // namespace
}  // namespace emlkit
