// The training loop: mini-batch gradient descent over a Network with shuffling, an optimizer,
// a learning-rate schedule, early stopping that restores the best weights, divergence detection
// and a stop request (Ctrl-C) honoured at the end of the current epoch.
//
// Each epoch: shuffle (seeded), run every batch (forward, loss, backward, optimizer step),
// evaluate the validation set, report EpochStats. The monitored value is the validation loss
// (the training loss when there is no validation set). Nothing is allocated per step.
#ifndef EMLKIT_TRAIN_TRAINER_H_
#define EMLKIT_TRAIN_TRAINER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "train/loss.h"
#include "train/network.h"
#include "train/optimizer.h"
#include "train/schedule.h"

namespace emlkit::train {

// A view of a split as the loop consumes it (record-major arrays). Classification reads `labels`;
// the other losses read `targets` [n, target width] (for an autoencoder, the records themselves).
struct TrainSet {
  const float* x = nullptr;  // [n, network input size]
  int64_t n = 0;
  const int32_t* labels = nullptr;
  const float* targets = nullptr;
};

struct LoopOptions {
  int epochs = 100;
  int batch_size = 32;
  float lr = 1e-3f;
  OptimizerOptions optimizer;
  ScheduleOptions schedule;
  int patience = 10;       // epochs without improvement before stopping; 0 = never stop early
  double min_delta = 0.0;  // an improvement must beat the best by more than this
  bool restore_best = true;
  uint64_t seed = 0;       // shuffling
  double mae_scale = 1.0;  // multiplies the MAE reported for non-classification losses
};

struct EpochStats {
  int epoch = 0;                            // 1-based
  double train_loss = 0, val_loss = 0;      // val_loss is NaN without a validation set
  double train_metric = 0, val_metric = 0;  // accuracy (classification) or MAE
  float lr = 0;
  double seconds = 0;  // wall time of the epoch (training + validation)
  bool best = false;   // the monitored value improved (these weights are kept)
};

struct LoopCallbacks {
  std::function<void(const EpochStats&)> on_epoch;  // after each finished epoch
  std::function<bool()> stop_requested;             // polled after each epoch (e.g. Ctrl-C)
  // Around every training batch, for methods that constrain the weights (optimize/): called
  // before the forward pass, after the backward pass (gradients ready, before the optimizer
  // step) and after the optimizer step. Quantization-aware training swaps fake-quantized weights
  // in before the pass and the float ones back before the step (straight-through gradients);
  // magnitude pruning re-applies its mask after the step. Empty: nothing is called.
  std::function<void()> before_batch, after_backward, after_step;
};

enum class StopReason { kEpochs, kEarlyStopping, kInterrupted, kDiverged };
const char* StopReasonName(StopReason r);  // "epochs", "early_stopping", "interrupted", "diverged"

struct LoopResult {
  std::vector<EpochStats> history;  // finished epochs only
  StopReason reason = StopReason::kEpochs;
  int best_epoch = 0;      // 1-based epoch whose weights the network holds; 0: none finished
  int diverged_epoch = 0;  // when reason == kDiverged
};

// Trains `net` in place. On return the network holds the best epoch's weights (restore_best) or
// the last finished epoch's; after divergence, the last good weights (see best_epoch; if no
// epoch finished, best_epoch is 0 and the weights are the initial ones).
// `val` may be null or empty.
LoopResult RunTrainingLoop(Network& net, const TrainSet& train, const TrainSet* val,
                           const Loss& loss, const LoopOptions& options,
                           const LoopCallbacks& callbacks = {});

// Mean loss and metric (accuracy or MAE, see LoopOptions::mae_scale) of `net` on a split.
struct SplitScore {
  double loss = 0, metric = 0;
};
SplitScore ScoreSplit(Network& net, const TrainSet& set, const Loss& loss, double mae_scale);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_TRAINER_H_
