#include "data/row_steps.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace emlkit::data {

ClipStep::ClipStep(std::vector<double> lo, std::vector<double> hi, bool to_missing)
    : lo_(std::move(lo)), hi_(std::move(hi)), to_missing_(to_missing) {}

void ClipStep::Push(double* v) {
  for (size_t c = 0; c < lo_.size(); ++c) {
    if (v[c] < lo_[c] || v[c] > hi_[c]) {
      v[c] = to_missing_ ? std::numeric_limits<double>::quiet_NaN()
                         : (v[c] < lo_[c] ? lo_[c] : hi_[c]);
      ++clipped;
    }
  }
}

StuckStep::StuckStep(int ncols, int rows, std::string action)
    : rows_(rows), action_(std::move(action)) {
  last_.assign(static_cast<size_t>(ncols), std::numeric_limits<double>::quiet_NaN());
  run_.assign(static_cast<size_t>(ncols), 0);
}

void StuckStep::Reset() {
  std::fill(last_.begin(), last_.end(), std::numeric_limits<double>::quiet_NaN());
  std::fill(run_.begin(), run_.end(), 0);
}

bool StuckStep::Push(double* v) {
  if (rows_ <= 0) return true;
  bool drop = false;
  for (size_t c = 0; c < last_.size(); ++c) {
    if (std::isnan(v[c])) {
      run_[c] = 0;
      last_[c] = v[c];
      continue;
    }
    run_[c] = v[c] == last_[c] ? run_[c] + 1 : 1;
    last_[c] = v[c];
    if (run_[c] > rows_) {
      ++stuck_values;
      if (action_ == "missing") v[c] = std::numeric_limits<double>::quiet_NaN();
      if (action_ == "drop") drop = true;
    }
  }
  return !drop;
}

Resampler::Resampler(int ncols, double period, bool linear)
    : ncols_(ncols), period_(period), linear_(linear) {
  v0_.assign(static_cast<size_t>(ncols), 0.0);
  out_.assign(static_cast<size_t>(ncols), 0.0);
}

void Resampler::Reset() { started_ = false; }

double MedianInPlace(std::vector<double>& v) {
  size_t n = v.size(), mid = n / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  double hi = v[mid];
  if (n % 2) return hi;
  double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return lo + (hi - lo) / 2;
}

namespace {

// The Hampel decision for value x against window values w (reordered). Returns the value to
// keep: x or the window median.
double HampelValue(double x, std::vector<double>& w, double threshold, double min_scale,
                   bool* replaced) {
  double med = MedianInPlace(w);
  for (double& d : w) d = std::fabs(d - med);
  double mad = MedianInPlace(w);
  *replaced = std::fabs(x - med) > threshold * std::max(1.4826 * mad, min_scale);
  return *replaced ? med : x;
}

}  // namespace

HampelCausalStep::HampelCausalStep(int ncols, int window, double threshold,
                                   std::vector<double> min_scale)
    : window_(window), threshold_(threshold), min_scale_(std::move(min_scale)) {
  ring_.assign(static_cast<size_t>(ncols), std::vector<double>(static_cast<size_t>(window)));
  filled_.assign(static_cast<size_t>(ncols), 0);
  next_.assign(static_cast<size_t>(ncols), 0);
}

void HampelCausalStep::Reset() {
  std::fill(filled_.begin(), filled_.end(), 0);
  std::fill(next_.begin(), next_.end(), 0);
}

void HampelCausalStep::Push(double* v) {
  for (size_t c = 0; c < ring_.size(); ++c) {
    if (std::isnan(v[c])) continue;
    ring_[c][static_cast<size_t>(next_[c])] = v[c];
    next_[c] = (next_[c] + 1) % window_;
    if (filled_[c] < window_) ++filled_[c];
    if (filled_[c] < window_) continue;
    scratch_.assign(ring_[c].begin(), ring_[c].end());
    bool rep;
    v[c] = HampelValue(v[c], scratch_, threshold_, min_scale_[c], &rep);
    replaced += rep;
  }
}

MissingStep::MissingStep(int ncols, bool hold) : hold_(hold) {
  last_.assign(static_cast<size_t>(ncols), std::numeric_limits<double>::quiet_NaN());
}

void MissingStep::Reset() {
  std::fill(last_.begin(), last_.end(), std::numeric_limits<double>::quiet_NaN());
}

bool MissingStep::Push(double* v) {
  bool keep = true;
  for (size_t c = 0; c < last_.size(); ++c) {
    if (!std::isnan(v[c])) {
      last_[c] = v[c];
      continue;
    }
    if (hold_ && !std::isnan(last_[c])) {
      v[c] = last_[c];
      ++filled;
    } else {
      keep = false;
    }
  }
  if (!keep) ++dropped;
  return keep;
}

int64_t HampelCentered(std::vector<std::vector<double>>& cols, int window, double threshold,
                       const std::vector<double>& min_scale) {
  int64_t replaced = 0;
  const int half = window / 2;
  std::vector<double> w;
  for (size_t c = 0; c < cols.size(); ++c) {
    std::vector<double>& col = cols[c];
    const std::vector<double> raw = col;
    const int64_t n = static_cast<int64_t>(raw.size());
    for (int64_t i = 0; i < n; ++i) {
      if (std::isnan(raw[i])) continue;
      w.clear();
      for (int64_t k = std::max<int64_t>(0, i - half); k <= std::min(n - 1, i + half); ++k)
        if (!std::isnan(raw[k])) w.push_back(raw[k]);
      if (w.size() < 3) continue;
      bool rep;
      col[i] = HampelValue(raw[i], w, threshold, min_scale[c], &rep);
      replaced += rep;
    }
  }
  return replaced;
}

double ColumnStepScale(const std::vector<double>& x) {
  std::vector<double> steps;
  for (size_t i = 1; i < x.size(); ++i) {
    double d = std::fabs(x[i] - x[i - 1]);
    if (d > 0) steps.push_back(d);  // NaN compares false: skipped
  }
  return steps.empty() ? 0.0 : MedianInPlace(steps);
}

int64_t InterpolateMissing(std::vector<std::vector<double>>& cols, const std::vector<double>& t) {
  int64_t filled = 0;
  for (std::vector<double>& col : cols) {
    const int64_t n = static_cast<int64_t>(col.size());
    int64_t prev = -1;
    for (int64_t i = 0; i <= n; ++i) {
      if (i < n && std::isnan(col[i])) continue;
      // Rows prev+1 .. i-1 are missing, between valid rows prev and i (either may be absent).
      for (int64_t k = prev + 1; k < i; ++k) {
        if (prev < 0 && i == n) break;  // no valid value at all
        if (prev < 0) {
          col[k] = col[i];
        } else if (i == n) {
          col[k] = col[prev];
        } else {
          double x0 = t.empty() ? static_cast<double>(prev) : t[prev];
          double x1 = t.empty() ? static_cast<double>(i) : t[i];
          double x = t.empty() ? static_cast<double>(k) : t[k];
          double f = x1 > x0 ? (x - x0) / (x1 - x0) : 0.0;
          col[k] = col[prev] + (col[i] - col[prev]) * f;
        }
        ++filled;
      }
      prev = i;
    }
  }
  return filled;
}

}  // namespace emlkit::data
