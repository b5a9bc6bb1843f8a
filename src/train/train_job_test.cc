// The closing hint of `emlkit train` (issue 15): a run that hit its epoch limit with the last
// epoch the best gets "train longer"; early stopping, or a best epoch before the last, does not.
#include "train/train_job.h"

#include <gtest/gtest.h>

namespace emlkit::train {
namespace {

FittedModel WithHistory(int epochs, int best, StopReason reason) {
  FittedModel m;
  for (int e = 1; e <= epochs; ++e) {
    EpochStats s;
    s.epoch = e;
    m.loop.history.push_back(s);
  }
  m.loop.best_epoch = best;
  m.loop.reason = reason;
  return m;
}

TEST(TrainJob, HintWhenTheBestEpochIsTheLast) {
  const std::string hint = LastEpochHint(WithHistory(40, 40, StopReason::kEpochs));
  EXPECT_NE(hint.find("best epoch is the last one (40)"), std::string::npos) << hint;
  EXPECT_NE(hint.find("--epochs 80"), std::string::npos) << hint;
  EXPECT_EQ(LastEpochHint(WithHistory(40, 31, StopReason::kEpochs)), "");
  EXPECT_EQ(LastEpochHint(WithHistory(40, 40, StopReason::kInterrupted)), "");
  EXPECT_EQ(LastEpochHint(WithHistory(30, 20, StopReason::kEarlyStopping)), "");
}

}  // namespace
}  // namespace emlkit::train
