// emlkit train when training must stop early: divergence (exit 1, a lower learning rate is
// suggested) and Ctrl-C (stops after the current epoch, writes the best model so far).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "common/fs.h"
#include "support/test_util.h"
#include "tflite/model.h"
#include "train/testing/fixtures.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;

TEST(TrainStop, DivergenceSuggestsALowerLearningRate) {
  ScratchDir dir;
  std::string ds = dir.Path("ds");
  std::filesystem::create_directory(ds);
  ASSERT_TRUE(
      train::testing::WriteDatasetFolder(ds, train::testing::Synthetic("regression", 400, 3)).ok());
  std::string model = dir.Path("m.tflite");
  auto r = RunEmlkit({"train", "--data", ds, "--out", model, "--optimizer", "sgd", "--lr", "5"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("training diverged at epoch 1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no model was written"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--lr 0.5"), std::string::npos) << r.err;
  EXPECT_FALSE(testing::PathExists(model));
  EXPECT_NE(testing::ReadText(dir.Path("m.train.jsonl")).find("\"stop_reason\":\"diverged\""),
            std::string::npos);
}

// Starts `emlkit train`, sends SIGINT once it has printed its second epoch line, and waits.
TEST(TrainStop, CtrlCWritesTheBestModelSoFar) {
  ScratchDir dir;
  std::string ds = dir.Path("ds");
  std::filesystem::create_directory(ds);
  ASSERT_TRUE(
      train::testing::WriteDatasetFolder(ds, train::testing::Synthetic("classification", 20000, 3))
          .ok());
  std::string model = dir.Path("m.tflite");
  int err_pipe[2];
  ASSERT_EQ(pipe(err_pipe), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(err_pipe[1], 2);
    close(err_pipe[0]);
    close(err_pipe[1]);
    std::string bin = testing::EmlkitBinary();
    execl(bin.c_str(), bin.c_str(), "train", "--data", ds.c_str(), "--out", model.c_str(),
          "--epochs", "100000", "--patience", "0", nullptr);
    _exit(127);
  }
  close(err_pipe[1]);
  std::string err;
  char buf[4096];
  bool sent = false;
  ssize_t n;
  while ((n = read(err_pipe[0], buf, sizeof buf)) > 0) {
    err.append(buf, static_cast<size_t>(n));
    if (!sent && err.find("epoch 2/") != std::string::npos) {
      kill(pid, SIGINT);
      sent = true;
    }
  }
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(sent) << err;
  ASSERT_TRUE(WIFEXITED(status)) << err;
  EXPECT_EQ(WEXITSTATUS(status), 1) << err;
  EXPECT_NE(err.find("interrupted after epoch"), std::string::npos) << err;
  auto m = tflite::ReadModelFile(model);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  nlohmann::json meta = nlohmann::json::parse(*m->GetMetadata("emlkit"));
  EXPECT_EQ(meta["training"]["stop_reason"], "interrupted");
  EXPECT_LT(meta["training"]["epochs_run"].get<int>(), 1000);
}

}  // namespace
}  // namespace emlkit
