#include "preprocess/preprocess.h"

#include <math.h>
#include <string.h>

// The host's arithmetic has no fused multiply-add (x86-64 without -mfma); the window sums must
// round the same way here, whatever flags the firmware build uses.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace emlkit {
namespace pre {
namespace {

bool IsNan(double x) { return x != x; }
double Nan() { return __builtin_nan(""); }

// An integer that orders as the double x does (x not NaN; -0 and +0 alike): the Hampel filter
// sorts doubles, and on a core without a double-precision FPU an integer compare costs a few
// instructions where a soft-float compare costs a call of ~30.
int64_t OrderKey(double x) {
  int64_t b;
  memcpy(&b, &x, sizeof(b));
  if (b == INT64_MIN) return 0;  // -0 sorts as +0
  return b < 0 ? b ^ INT64_MAX : b;
}

// Sorts v[0..n) ascending (n is a Hampel window: a handful of values; none is NaN).
void InsertionSort(double* v, int32_t n) {
  for (int32_t i = 1; i < n; ++i) {
    const double x = v[i];
    const int64_t key = OrderKey(x);
    int32_t j = i;
    for (; j > 0 && key < OrderKey(v[j - 1]); --j) v[j] = v[j - 1];
    v[j] = x;
  }
}

// The median as the host computes it (src/data/row_steps.cc MedianInPlace): the middle value,
// or lo + (hi - lo) / 2 of the two middle ones. Reorders v.
double Median(double* v, int32_t n) {
  InsertionSort(v, n);
  const int32_t mid = n / 2;
  const double hi = v[mid];
  if (n % 2) return hi;
  const double lo = v[mid - 1];
  return lo + (hi - lo) / 2;
}

// src/data/timestamp.cc SecondsOfDay and Weekday.
double SecondsOfDay(double t) {
  const double r = fmod(t, 86400.0);
  return r < 0 ? r + 86400.0 : r;
}

int Weekday(double t) {
  const int64_t days = static_cast<int64_t>(floor(t / 86400.0));
  const int64_t w = (days + 3) % 7;  // 1970-01-01 was a Thursday
  return static_cast<int>(w < 0 ? w + 7 : w);
}

}  // namespace

void Preprocessor::Init(const Config* config, const Buffers& buffers) {
  c_ = config;
  b_ = buffers;
  has_prev_ = false;
  prev_t_ = 0;
  Reset();
}

void Preprocessor::Reset() {
  const int32_t nc = c_->num_columns;
  for (int32_t k = 0; k < nc; ++k) {
    if (c_->stuck_rows > 0) {
      b_.stuck_last[k] = Nan();
      b_.stuck_run[k] = 0;
    }
    if (c_->hampel_window > 0) b_.hampel_filled[k] = b_.hampel_next[k] = 0;
    b_.held[k] = Nan();
  }
  rs_started_ = false;
  filled_ = next_ = wait_ = 0;
}

void Preprocessor::Clip(double* v) const {
  if (!c_->clip_lo) return;
  for (int32_t k = 0; k < c_->num_columns; ++k) {
    const double lo = c_->clip_lo[k], hi = c_->clip_hi[k];
    if (v[k] < lo || v[k] > hi) v[k] = c_->clip_to_missing ? Nan() : (v[k] < lo ? lo : hi);
  }
}

bool Preprocessor::StuckPass(double* v) {
  if (c_->stuck_rows <= 0) return true;
  bool drop = false;
  for (int32_t k = 0; k < c_->num_columns; ++k) {
    if (IsNan(v[k])) {
      b_.stuck_run[k] = 0;
      b_.stuck_last[k] = v[k];
      continue;
    }
    int32_t& run = b_.stuck_run[k];
    // Saturates just past the limit: only "longer than stuck_rows" matters.
    run = v[k] == b_.stuck_last[k] ? (run > c_->stuck_rows ? run : run + 1) : 1;
    b_.stuck_last[k] = v[k];
    if (run > c_->stuck_rows) {
      if (c_->stuck == Stuck::kMissing) v[k] = Nan();
      if (c_->stuck == Stuck::kDrop) drop = true;
    }
  }
  return !drop;
}

void Preprocessor::Hampel(double* v) {
  const int32_t w = c_->hampel_window;
  if (w <= 0) return;
  for (int32_t k = 0; k < c_->num_columns; ++k) {
    if (IsNan(v[k])) continue;
    double* ring = b_.hampel_ring + static_cast<ptrdiff_t>(k) * w;
    ring[b_.hampel_next[k]] = v[k];
    b_.hampel_next[k] = (b_.hampel_next[k] + 1) % w;
    if (b_.hampel_filled[k] < w) ++b_.hampel_filled[k];
    if (b_.hampel_filled[k] < w) continue;
    double* s = b_.hampel_scratch;
    for (int32_t i = 0; i < w; ++i) s[i] = ring[i];
    const double med = Median(s, w);
    for (int32_t i = 0; i < w; ++i) s[i] = fabs(s[i] - med);
    const double mad = Median(s, w);
    const double robust = 1.4826 * mad;
    const double floor = c_->hampel_min_scale[k];
    if (fabs(v[k] - med) > c_->hampel_threshold * (robust < floor ? floor : robust)) v[k] = med;
  }
}

bool Preprocessor::Missing(double* v) {
  bool keep = true;
  for (int32_t k = 0; k < c_->num_columns; ++k) {
    if (!IsNan(v[k])) {
      b_.held[k] = v[k];
      continue;
    }
    if (c_->missing_hold && !IsNan(b_.held[k]))
      v[k] = b_.held[k];
    else
      keep = false;
  }
  return keep;
}

int Preprocessor::Push(double t, const double* raw, RecordFn on_record, void* user) {
  if (c_->has_timestamp) {
    if (has_prev_) {
      const double step = t - prev_t_;
      if (step == 0 && c_->drop_duplicates) return 0;
      if (step < 0 || (c_->max_gap_s > 0 && step > c_->max_gap_s)) Reset();
    }
    has_prev_ = true;
    prev_t_ = t;
  }
  const int32_t nc = c_->num_columns;
  double* row = b_.row;
  for (int32_t k = 0; k < nc; ++k) row[k] = raw[k];
  Clip(row);
  if (!StuckPass(row)) return 0;
  Hampel(row);
  if (!Missing(row)) return 0;
  if (c_->resample_s <= 0) return Emit(t, row, on_record, user);

  // Resampling (src/data/row_steps.h Resampler): every grid time k * period in (t0, t].
  const double period = c_->resample_s;
  double* v = b_.resample_in;  // the cleaned row: Emit overwrites `row`
  for (int32_t k = 0; k < nc; ++k) v[k] = row[k];
  int n = 0;
  if (!rs_started_) {
    rs_started_ = true;
    rs_next_k_ = static_cast<int64_t>(ceil(t / period));
  } else {
    for (double g = static_cast<double>(rs_next_k_) * period; g < t;
         g = static_cast<double>(++rs_next_k_) * period) {
      for (int32_t k = 0; k < nc; ++k) {
        const double v0 = b_.resample_v0[k];
        b_.resample_out[k] = c_->resample_linear && t > rs_t0_
                                 ? v0 + (v[k] - v0) * ((g - rs_t0_) / (t - rs_t0_))
                                 : v0;
      }
      n += Emit(g, b_.resample_out, on_record, user);
    }
  }
  const double g = static_cast<double>(rs_next_k_) * period;
  if (g == t) {
    n += Emit(g, v, on_record, user);
    ++rs_next_k_;
  }
  rs_t0_ = t;
  for (int32_t k = 0; k < nc; ++k) b_.resample_v0[k] = v[k];
  return n;
}

// Time features, scaling and the window for one (cleaned, resampled) row at time t. Returns 1
// when it completes a record (passed to on_record), else 0.
int Preprocessor::Emit(double t, const double* values, RecordFn on_record, void* user) {
  const int32_t nc = c_->num_columns;
  double* row = b_.row;
  if (values != row)
    for (int32_t k = 0; k < nc; ++k) row[k] = values[k];
  double* out = row + nc;
  for (int32_t i = 0; i < c_->num_time_features; ++i) {
    if (c_->time_features[i] == TimeFeature::kTod) {
      constexpr double kTwoPi = 6.283185307179586476925;
      const double a = kTwoPi * SecondsOfDay(t) / 86400.0;
      *out++ = sin(a);
      *out++ = cos(a);
    } else {
      *out++ = Weekday(t) >= 5 ? 1.0 : 0.0;
    }
  }
  for (int32_t k = 0; k < c_->num_channels; ++k) {
    const float x = static_cast<float>(row[k]);
    const float d = x - c_->offset[k];
    b_.scaled[k] = d * c_->scale[k];
  }
  if (!Window(b_.scaled, b_.record)) return 0;
  if (on_record) on_record(b_.record, user);
  return 1;
}

bool Preprocessor::Window(const float* row, float* record) {
  const int32_t nch = c_->num_channels, size = c_->window_size;
  if (size == 0) {
    for (int32_t k = 0; k < nch; ++k) record[k] = row[k];
    return true;
  }
  float* dst = b_.ring + static_cast<ptrdiff_t>(next_) * nch;
  for (int32_t k = 0; k < nch; ++k) dst[k] = row[k];
  next_ = next_ + 1 == size ? 0 : next_ + 1;
  // Records complete at rows size-1, size-1+stride, ... of the segment.
  if (filled_ < size) {
    if (++filled_ < size) return false;
  } else if (--wait_ > 0) {
    return false;
  }
  wait_ = c_->window_stride;
  const int32_t oldest = next_;  // the slot of the window's first row
  if (c_->window_raw) {
    for (int32_t w = 0; w < size; ++w) {
      const float* r = b_.ring + static_cast<ptrdiff_t>((oldest + w) % size) * nch;
      for (int32_t k = 0; k < nch; ++k) record[static_cast<ptrdiff_t>(w) * nch + k] = r[k];
    }
    return true;
  }
  Statistics(oldest, record);
  return true;
}

// Window statistics per channel, in float, summed in index order (src/data/pipeline.cc Windower).
void Preprocessor::Statistics(int32_t oldest, float* out) {
  const int32_t nch = c_->num_channels, size = c_->window_size;
  const float n = static_cast<float>(size);
  const float ibar = static_cast<float>(size - 1) / 2.0f;
  const float sxx = n * (n * n - 1.0f) / 12.0f;
  for (int32_t ch = 0; ch < nch; ++ch) {
    // x[w]: the channel's w-th oldest value, read in place (no copy: RAM is scarce on an Uno).
    struct Series {
      const float* ring;
      int32_t oldest, size, nch;
      float operator[](int32_t w) const {
        return ring[static_cast<ptrdiff_t>((oldest + w) % size) * nch];
      }
    } const x = {b_.ring + ch, oldest, size, nch};
    float sum = 0, sumsq = 0, mn = x[0], mx = x[0];
    for (int32_t w = 0; w < size; ++w) {
      sum += x[w];
      sumsq += x[w] * x[w];
      mn = x[w] < mn ? x[w] : mn;
      mx = mx < x[w] ? x[w] : mx;
    }
    const float mean = sum / n;
    float var = 0, sxy = 0;
    for (int32_t w = 0; w < size; ++w) {
      const float d = x[w] - mean;
      var += d * d;
      sxy += (static_cast<float>(w) - ibar) * d;
    }
    for (int32_t s = 0; s < c_->num_stats; ++s) {
      switch (c_->stats[s]) {
        case Stat::kMean:
          *out++ = mean;
          break;
        case Stat::kStd:
          *out++ = sqrtf(var / n);
          break;
        case Stat::kMin:
          *out++ = mn;
          break;
        case Stat::kMax:
          *out++ = mx;
          break;
        case Stat::kLast:
          *out++ = x[size - 1];
          break;
        case Stat::kRms:
          *out++ = sqrtf(sumsq / n);
          break;
        case Stat::kSlope:
          *out++ = size > 1 ? sxy / sxx : 0.0f;
          break;
      }
    }
  }
}

void QuantizeInt8(const float* x, int32_t n, float scale, int32_t zero_point, int8_t* out) {
  for (int32_t i = 0; i < n; ++i) {
    const float v = x[i];
    float r = v != v ? 0.0f : roundf(v / scale);
    r = r < -2147483648.0f ? -2147483648.0f : (2147483520.0f < r ? 2147483520.0f : r);
    int64_t q = static_cast<int64_t>(r) + zero_point;
    q = q < -128 ? -128 : (q > 127 ? 127 : q);
    out[i] = static_cast<int8_t>(q);
  }
}

}  // namespace pre
}  // namespace emlkit
