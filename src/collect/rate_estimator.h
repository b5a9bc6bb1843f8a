// RateEstimator: the sampling rate a board sends at, from the arrival times of its samples.
//
// A sample can arrive late (USB frames, the host busy elsewhere, reads that bunch lines
// together), never early. So the send times lie on a line t = t0 + i * period that runs below
// every point (sample number i, arrival time t): the estimate is the line below all the points
// that is closest to them on average — the edge of the points' lower convex hull over the mean
// sample number (the linear-programming estimate of clock skew from one-way delays). Delays that
// come and go, bursts of late reads included, do not bend it as they bend a least-squares fit;
// only the samples that arrived with the least delay count. The hull is kept incrementally
// (samples come in order), a few points per stretch.
//
// A pause longer than kGapPeriods periods, or Break() (a reconnect), starts a new stretch; the
// stretches' periods are pooled, weighted by the square of the hull edge's length.
#ifndef EMLKIT_COLLECT_RATE_ESTIMATOR_H_
#define EMLKIT_COLLECT_RATE_ESTIMATOR_H_

#include <cstdint>
#include <vector>

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

 private:
  struct Point {
    double x, y;  // sample number and arrival time, relative to the stretch's first sample
  };
  // The open stretch's estimate: period and weight (0 when it has fewer than 2 samples).
  void StretchEstimate(double* period, double* weight) const;
  void CloseStretch();
  double closed_sum_ = 0, closed_weight_ = 0;  // pooled over closed stretches
  bool open_ = false;
  double t0_ = 0, last_t_ = 0;
  int64_t n_ = 0;
  std::vector<Point> hull_;  // lower hull of the open stretch, in x order
  int64_t samples_ = 0, stretches_ = 0;
};

}  // namespace emlkit::collect

#endif  // EMLKIT_COLLECT_RATE_ESTIMATOR_H_
