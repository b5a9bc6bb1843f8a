// Learning-rate schedules (updated once per epoch) and early stopping.
//
//   constant  lr
//   step      lr * factor^floor(epoch / step_epochs)
//   cosine    min_lr + (lr - min_lr) * (1 + cos(pi * epoch / epochs)) / 2
//   plateau   multiply by `factor` when the monitored value has not improved for
//             `plateau_patience` epochs (never below min_lr)
#ifndef EMLKIT_TRAIN_SCHEDULE_H_
#define EMLKIT_TRAIN_SCHEDULE_H_

#include <limits>
#include <string>

namespace emlkit::train {

enum class ScheduleKind { kConstant, kStep, kCosine, kPlateau };
const char* ScheduleName(ScheduleKind k);  // "constant", "step", "cosine", "plateau"
bool ParseScheduleName(const std::string& name, ScheduleKind* out);

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::kConstant;
  int step_epochs = 10;      // step
  float factor = 0.5f;       // step, plateau: multiplier per decay
  float min_lr = 0.0f;       // cosine, plateau
  int plateau_patience = 5;  // plateau
};

class LrSchedule {
 public:
  LrSchedule(const ScheduleOptions& options, float base_lr, int epochs);
  // The learning rate for the coming epoch.
  float lr() const { return lr_; }
  // Call after epoch `epoch` (0-based) with the monitored value (lower is better).
  void EndEpoch(int epoch, double monitored);

 private:
  ScheduleOptions o_;
  float base_, lr_;
  int epochs_;
  double best_ = std::numeric_limits<double>::infinity();
  int bad_epochs_ = 0;
};

// Tracks the best monitored value (lower is better). An epoch improves when its value is below
// best - min_delta. With patience > 0, ShouldStop() turns true after `patience` epochs without
// improvement; patience 0 never stops (the best epoch is still tracked).
class EarlyStopping {
 public:
  EarlyStopping(int patience, double min_delta) : patience_(patience), min_delta_(min_delta) {}
  // Returns true if `value` is a new best.
  bool Update(int epoch, double value);
  bool ShouldStop() const { return patience_ > 0 && bad_epochs_ >= patience_; }
  int best_epoch() const { return best_epoch_; }
  double best() const { return best_; }

 private:
  int patience_;
  double min_delta_;
  double best_ = std::numeric_limits<double>::infinity();
  int best_epoch_ = -1;
  int bad_epochs_ = 0;
};

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_SCHEDULE_H_
