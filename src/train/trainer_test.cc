// The training loop: early stopping restores the best epoch, divergence keeps the last good
// weights, a stop request ends training after the current epoch.
#include "train/trainer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/rng.h"

namespace emlkit::train {
namespace {

struct Blobs {
  std::vector<float> x;
  std::vector<int32_t> y;
  TrainSet set() const { return {x.data(), static_cast<int64_t>(y.size()), y.data(), nullptr}; }
};

Blobs MakeBlobs(int n, uint64_t seed) {
  Rng rng(seed);
  Blobs b;
  for (int i = 0; i < n; ++i) {
    int c = static_cast<int>(rng.Below(2));
    b.x.push_back(static_cast<float>(c * 2 - 1 + rng.Normal() * 0.8));
    b.x.push_back(static_cast<float>(rng.Normal()));
    b.y.push_back(c);
  }
  return b;
}

Network MakeNet() {
  auto specs = ParseLayers("dense:8:relu,dense:2", "test");
  auto net = Network::Build({2}, *specs, 64);
  EXPECT_TRUE(net.ok());
  net->Init(3);
  return std::move(*net);
}

TEST(TrainingLoop, LearnsAndRestoresTheBestEpoch) {
  Blobs train = MakeBlobs(400, 1), val = MakeBlobs(200, 2);
  Network net = MakeNet();
  LoopOptions o;
  o.epochs = 30;
  o.patience = 5;
  TrainSet v = val.set();
  std::vector<std::vector<float>> weights_after;
  LoopCallbacks cb;
  cb.on_epoch = [&](const EpochStats&) { weights_after.push_back(net.weights()); };
  LoopResult r = RunTrainingLoop(net, train.set(), &v, Loss::CrossEntropy(), o, cb);
  ASSERT_GT(r.best_epoch, 0);
  EXPECT_EQ(net.weights(), weights_after[static_cast<size_t>(r.best_epoch - 1)]);
  const EpochStats& best = r.history[static_cast<size_t>(r.best_epoch - 1)];
  EXPECT_TRUE(best.best);
  for (const EpochStats& s : r.history) EXPECT_GE(s.val_loss, best.val_loss);
  EXPECT_GT(best.val_metric, 0.8);
  EXPECT_EQ(ScoreSplit(net, v, Loss::CrossEntropy(), 1).loss, best.val_loss);
  if (r.reason == StopReason::kEarlyStopping) {
    EXPECT_EQ(static_cast<int>(r.history.size()), r.best_epoch + o.patience);
  }
}

TEST(TrainingLoop, DivergenceKeepsTheLastGoodWeights) {
  Blobs train = MakeBlobs(200, 1);
  Network net = MakeNet();
  LoopOptions o;
  o.epochs = 20;
  o.optimizer.kind = OptimizerKind::kSgd;
  o.lr = 1e-2f;
  o.schedule.kind = ScheduleKind::kStep;  // the learning rate explodes after epoch 2
  o.schedule.step_epochs = 2;
  o.schedule.factor = 1e9f;
  o.restore_best = false;
  std::vector<float> last;
  LoopCallbacks cb;
  cb.on_epoch = [&](const EpochStats&) { last = net.weights(); };
  LoopResult r = RunTrainingLoop(net, train.set(), nullptr, Loss::CrossEntropy(), o, cb);
  EXPECT_EQ(r.reason, StopReason::kDiverged);
  EXPECT_EQ(r.diverged_epoch, 3);
  EXPECT_EQ(r.history.size(), 2u);
  EXPECT_EQ(r.best_epoch, 2);
  EXPECT_EQ(net.weights(), last);
  for (float w : net.weights()) EXPECT_TRUE(std::isfinite(w));
}

TEST(TrainingLoop, StopRequestEndsAfterTheCurrentEpoch) {
  Blobs train = MakeBlobs(100, 1);
  Network net = MakeNet();
  LoopOptions o;
  o.epochs = 50;
  int epochs_seen = 0;
  LoopCallbacks cb;
  cb.on_epoch = [&](const EpochStats&) { ++epochs_seen; };
  cb.stop_requested = [&] { return epochs_seen == 3; };
  LoopResult r = RunTrainingLoop(net, train.set(), nullptr, Loss::CrossEntropy(), o, cb);
  EXPECT_EQ(r.reason, StopReason::kInterrupted);
  EXPECT_EQ(r.history.size(), 3u);
}

TEST(TrainingLoop, SameSeedSameWeights) {
  Blobs train = MakeBlobs(100, 1);
  LoopOptions o;
  o.epochs = 3;
  Network a = MakeNet(), b = MakeNet();
  RunTrainingLoop(a, train.set(), nullptr, Loss::CrossEntropy(), o);
  RunTrainingLoop(b, train.set(), nullptr, Loss::CrossEntropy(), o);
  EXPECT_EQ(a.weights(), b.weights());
  Network c = MakeNet();
  o.seed = 9;  // another shuffle order
  RunTrainingLoop(c, train.set(), nullptr, Loss::CrossEntropy(), o);
  EXPECT_NE(a.weights(), c.weights());
}

}  // namespace
}  // namespace emlkit::train
