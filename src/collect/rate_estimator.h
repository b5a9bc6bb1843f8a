// RateEstimator: the sampling rate a board sends at, from the arrival times of its samples.
//
// A least-squares line through (sample index, arrival time) per stretch of uninterrupted data,
// pooled over stretches (common slope, own intercepts): arrival jitter (USB frames, scheduling)
// averages out, so after N samples the period is known to about jitter / (N^1.5 * period)
// relative — exact to the rate the board keeps, at any rate, including below 1 Hz. A pause
// longer than kGapPeriods periods, or Break() (a reconnect), starts a new stretch, so pauses do
// not bend the estimate.
#ifndef EMLKIT_COLLECT_RATE_ESTIMATOR_H_
#define EMLKIT_COLLECT_RATE_ESTIMATOR_H_

#include <cstdint>

namespace emlkit::collect {

class RateEstimator {
 public:
  static constexpr double kGapPeriods = 5.0;

  // One sample arrived at `t` seconds (any monotonic clock).
  void Add(double t);
  // The next sample starts a new stretch.
  void Break() { open_ = false; }

  // Seconds between samples; 0 while fewer than 2 samples of one stretch have come.
  double period_s() const;
  double rate_hz() const {
    double p = period_s();
    return p > 0 ? 1.0 / p : 0.0;
  }
  int64_t samples() const { return samples_; }
  int64_t stretches() const { return stretches_; }
  // A rough period from the stretch so far (first to last arrival), for gap detection before
  // the fit settles.
  double rough_period_s() const;

 private:
  void CloseStretch();
  // Pooled sums of the closed stretches: Sxy and Sxx about each stretch's own means.
  double pooled_sxy_ = 0, pooled_sxx_ = 0;
  // The open stretch, in coordinates relative to its first sample (precision).
  bool open_ = false;
  double t0_ = 0, last_t_ = 0;
  int64_t n_ = 0;
  double sum_x_ = 0, sum_y_ = 0, sum_xx_ = 0, sum_xy_ = 0;
  int64_t samples_ = 0, stretches_ = 0;
};

}  // namespace emlkit::collect

#endif  // EMLKIT_COLLECT_RATE_ESTIMATOR_H_
