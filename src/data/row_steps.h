// The per-row cleaning steps of the preprocessing pipeline, in the order they run:
//   clip -> stuck -> spikes (Hampel) -> missing values.
// Each causal step is a small streaming object: Push() sees one row (the values of the input
// columns, NaN = missing) after the steps before it, may change values, and returns false to
// drop the row. `data prepare` runs them row by row over each segment and the online
// Preprocessor chains the very same objects, so both give identical bits. Two steps look ahead
// and exist offline only: the centred Hampel filter and linear interpolation of missing values;
// their online stand-ins are the causal Hampel filter and hold-last (see docs/dataset-json.md).
#ifndef EMLKIT_DATA_ROW_STEPS_H_
#define EMLKIT_DATA_ROW_STEPS_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::data {

// Clip: values outside [lo, hi] become the bound (clamp) or NaN (missing).
class ClipStep {
 public:
  // lo/hi per column (+-inf where none).
  ClipStep(std::vector<double> lo, std::vector<double> hi, bool to_missing);
  void Push(double* v);
  int64_t clipped = 0;  // values changed so far

 private:
  std::vector<double> lo_, hi_;
  bool to_missing_;
};

// Stuck sensor: a value equal to the previous `rows` values (unchanged for more than `rows`
// rows) is stuck. Action: report (count only), missing (set NaN) or drop (drop the row).
class StuckStep {
 public:
  StuckStep(int ncols, int rows, std::string action);
  bool Push(double* v);
  void Reset();
  int64_t stuck_values = 0;  // stuck values seen so far

 private:
  int rows_;
  std::string action_;
  std::vector<double> last_;
  std::vector<int64_t> run_;
};

// Causal Hampel filter: the window is the current value and the `window - 1` before it (raw
// values, NaN skipped). Once full, a value further than threshold * max(1.4826 * MAD,
// min_scale[c]) from the window median is replaced by that median. The floor min_scale (the
// column's median non-zero step, see ColumnStepScale) keeps a window whose MAD is 0, common for
// quantized sensors, from flagging every small change while a lone spike is still caught.
class HampelCausalStep {
 public:
  HampelCausalStep(int ncols, int window, double threshold, std::vector<double> min_scale);
  void Push(double* v);
  void Reset();
  int64_t replaced = 0;

 private:
  int window_;
  double threshold_;
  std::vector<double> min_scale_;
  std::vector<std::vector<double>> ring_;  // per column, last `window` raw values
  std::vector<int> filled_, next_;
  std::vector<double> scratch_;
};

// Missing values, online: hold (carry the last value forward; rows before a column's first
// value are dropped) or drop (drop rows with any missing value).
class MissingStep {
 public:
  MissingStep(int ncols, bool hold);
  bool Push(double* v);
  void Reset();
  int64_t filled = 0, dropped = 0;

 private:
  bool hold_;
  std::vector<double> last_;
};

// Resampling to a fixed period P (seconds), after cleaning: grid times are the multiples k*P
// of the period (so prepare and the online pipeline agree on them) from the first row's time on.
// A grid time g between rows (t0, v0) and (t1, v1), t0 < g <= t1, gets
//   linear: v0 + (v1 - v0) * ((g - t0) / (t1 - t0))      last: v0 (v1 when g == t1)
// computed in double. Push() emits every grid time that the new row closes, oldest first.
class Resampler {
 public:
  Resampler(int ncols, double period, bool linear);
  void Reset();
  // Calls emit(double g, const double* values, bool from_new_row) per grid time in (t_prev, t].
  template <typename Emit>
  void Push(double t, const double* v, Emit&& emit);

 private:
  int ncols_;
  double period_;
  bool linear_;
  bool started_ = false;
  double t0_ = 0;
  int64_t next_k_ = 0;
  std::vector<double> v0_, out_;
};

template <typename Emit>
void Resampler::Push(double t, const double* v, Emit&& emit) {
  if (!started_) {
    started_ = true;
    next_k_ = static_cast<int64_t>(std::ceil(t / period_));
  } else {
    for (double g = static_cast<double>(next_k_) * period_; g < t;
         g = static_cast<double>(++next_k_) * period_) {
      for (int c = 0; c < ncols_; ++c) {
        out_[c] = linear_ && t > t0_ ? v0_[c] + (v[c] - v0_[c]) * ((g - t0_) / (t - t0_)) : v0_[c];
      }
      emit(g, out_.data(), false);
    }
  }
  const double g = static_cast<double>(next_k_) * period_;
  if (g == t) {
    emit(g, v, true);
    ++next_k_;
  }
  t0_ = t;
  v0_.assign(v, v + ncols_);
}

// Median of v (reorders it). v must not be empty.
double MedianInPlace(std::vector<double>& v);

// Offline steps over a whole segment: cols[c][i] for rows i in order, t[i] their times (or
// empty: index spacing).
// Centred Hampel filter with `window` rows centred on each value (truncated at the ends).
int64_t HampelCentered(std::vector<std::vector<double>>& cols, int window, double threshold,
                       const std::vector<double>& min_scale);

// The median of the non-zero absolute steps |x[i] - x[i-1]| of a series (NaN skipped), the
// column's resolution as the Hampel floor; 0 if it never changes.
double ColumnStepScale(const std::vector<double>& x);
// Linear interpolation in time of NaN values between valid neighbours; NaN before the first
// or after the last valid value takes that nearest value. A column with no valid value at all
// is left NaN (the caller reports it).
int64_t InterpolateMissing(std::vector<std::vector<double>>& cols, const std::vector<double>& t);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_ROW_STEPS_H_
