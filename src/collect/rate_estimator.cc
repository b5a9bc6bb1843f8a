#include "collect/rate_estimator.h"

namespace emlkit::collect {

void RateEstimator::Add(double t) {
  if (open_ && n_ >= 2) {
    double p = period_s();
    if (p > 0 && t - last_t_ > kGapPeriods * p) CloseStretch();
  }
  if (!open_) {
    open_ = true;
    ++stretches_;
    t0_ = t;
    n_ = 0;
    sum_x_ = sum_y_ = sum_xx_ = sum_xy_ = 0;
  }
  double x = static_cast<double>(n_), y = t - t0_;
  sum_x_ += x;
  sum_y_ += y;
  sum_xx_ += x * x;
  sum_xy_ += x * y;
  ++n_;
  ++samples_;
  last_t_ = t;
}

void RateEstimator::CloseStretch() {
  if (n_ >= 2) {
    double n = static_cast<double>(n_);
    pooled_sxx_ += sum_xx_ - sum_x_ * sum_x_ / n;
    pooled_sxy_ += sum_xy_ - sum_x_ * sum_y_ / n;
  }
  open_ = false;
}

double RateEstimator::period_s() const {
  double sxx = pooled_sxx_, sxy = pooled_sxy_;
  if (open_ && n_ >= 2) {
    double n = static_cast<double>(n_);
    sxx += sum_xx_ - sum_x_ * sum_x_ / n;
    sxy += sum_xy_ - sum_x_ * sum_y_ / n;
  }
  return sxx > 0 && sxy > 0 ? sxy / sxx : 0.0;
}

double RateEstimator::rough_period_s() const {
  return open_ && n_ >= 2 ? (last_t_ - t0_) / static_cast<double>(n_ - 1) : 0.0;
}

}  // namespace emlkit::collect
