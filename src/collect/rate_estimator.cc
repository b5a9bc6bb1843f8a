#include "collect/rate_estimator.h"

#include <cstddef>

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
    hull_.clear();
  }
  Point q{static_cast<double>(n_), t - t0_};
  // Monotone chain: drop the last hull point while it lies on or above the segment from the
  // one before it to the new point.
  while (hull_.size() >= 2) {
    const Point& a = hull_[hull_.size() - 2];
    const Point& b = hull_.back();
    double cross = (b.x - a.x) * (q.y - a.y) - (b.y - a.y) * (q.x - a.x);
    if (cross > 0) break;  // a -> b -> q turns left: b stays
    hull_.pop_back();
  }
  hull_.push_back(q);
  ++n_;
  ++samples_;
  last_t_ = t;
}

void RateEstimator::StretchEstimate(double* period, double* weight) const {
  *period = 0;
  *weight = 0;
  if (!open_ || n_ < 2 || hull_.size() < 2) return;
  // Samples that arrived together after a stall (a burst) lie on a flat stretch of the hull at
  // its start: they say nothing about the rate, so the search starts after them.
  const double rough = (last_t_ - t0_) / static_cast<double>(n_ - 1);
  size_t first = 0;
  while (first + 2 < hull_.size()) {
    const Point& a = hull_[first];
    const Point& b = hull_[first + 1];
    if ((b.y - a.y) >= 0.25 * rough * (b.x - a.x)) break;
    ++first;
  }
  // The hull edge over the mean sample number of the rest.
  double mid = (hull_[first].x + static_cast<double>(n_ - 1)) / 2.0;
  std::size_t k = first + 1;
  while (k + 1 < hull_.size() && hull_[k].x < mid) ++k;
  const Point& a = hull_[k - 1];
  const Point& b = hull_[k];
  double span = b.x - a.x;
  if (span <= 0) return;
  *period = (b.y - a.y) / span;
  *weight = span * span;
}

void RateEstimator::CloseStretch() {
  double p = 0, w = 0;
  StretchEstimate(&p, &w);
  // A stretch whose samples came at under half the period of the rest is a burst of late
  // samples after a stall, not a pause in the board's sending: it tells nothing about the rate.
  double others = closed_weight_ > 0 ? closed_sum_ / closed_weight_ : 0;
  if (others > 0 && p < 0.5 * others) w = 0;
  if (w > 0 && p > 0) {
    closed_sum_ += p * w;
    closed_weight_ += w;
  }
  open_ = false;
}

double RateEstimator::period_s() const {
  double p = 0, w = 0;
  StretchEstimate(&p, &w);
  double sum = closed_sum_, weight = closed_weight_;
  if (weight > 0 && p < 0.5 * sum / weight) w = 0;  // a burst, as in CloseStretch
  if (w > 0 && p > 0) {
    sum += p * w;
    weight += w;
  }
  return weight > 0 ? sum / weight : 0.0;
}

}  // namespace emlkit::collect
