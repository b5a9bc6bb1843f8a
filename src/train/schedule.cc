#include "train/schedule.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numbers>

#include "train/names.h"

namespace emlkit::train {

namespace {
constexpr const char* kScheduleNames[] = {"constant", "step", "cosine", "plateau"};
static_assert(std::size(kScheduleNames) == static_cast<size_t>(ScheduleKind::kPlateau) + 1);
}  // namespace

const char* ScheduleName(ScheduleKind k) { return kScheduleNames[static_cast<int>(k)]; }
bool ParseScheduleName(const std::string& name, ScheduleKind* out) {
  return ParseName(name, kScheduleNames, out);
}

LrSchedule::LrSchedule(const ScheduleOptions& options, float base_lr, int epochs)
    : o_(options), base_(base_lr), lr_(base_lr), epochs_(std::max(1, epochs)) {}

void LrSchedule::EndEpoch(int epoch, double monitored) {
  const int next = epoch + 1;
  switch (o_.kind) {
    case ScheduleKind::kConstant:
      break;
    case ScheduleKind::kStep:
      lr_ = base_ * std::pow(o_.factor, static_cast<float>(next / std::max(1, o_.step_epochs)));
      break;
    case ScheduleKind::kCosine: {
      double frac = std::min(1.0, static_cast<double>(next) / epochs_);
      lr_ = static_cast<float>(o_.min_lr + (base_ - o_.min_lr) *
                                               (1.0 + std::cos(std::numbers::pi * frac)) / 2.0);
      break;
    }
    case ScheduleKind::kPlateau:
      if (monitored < best_) {
        best_ = monitored;
        bad_epochs_ = 0;
      } else if (++bad_epochs_ >= o_.plateau_patience) {
        lr_ = std::max(o_.min_lr, lr_ * o_.factor);
        bad_epochs_ = 0;
      }
      break;
  }
}

bool EarlyStopping::Update(int epoch, double value) {
  if (value < best_ - min_delta_ || best_epoch_ < 0) {
    best_ = value;
    best_epoch_ = epoch;
    bad_epochs_ = 0;
    return true;
  }
  ++bad_epochs_;
  return false;
}

}  // namespace emlkit::train
