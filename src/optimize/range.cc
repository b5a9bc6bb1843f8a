#include "optimize/range.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace emlkit::optimize {
namespace {

double BinWidth(const TensorStats& s) {
  return (s.hist_hi - s.hist_lo) / static_cast<double>(s.hist.size());
}

Range Widened(double lo, double hi) { return {std::min(lo, 0.0), std::max(hi, 0.0)}; }

// Range clamped into the observed [min, max] (widened to 0) and widened to contain 0.
Range Bounded(const TensorStats& s, double lo, double hi) {
  const Range full = Widened(s.min, s.max);
  return Widened(std::max(lo, full.lo), std::min(hi, full.hi));
}

Range PercentileRange(const TensorStats& s, double p) {
  uint64_t total = 0;
  for (uint64_t c : s.hist) total += c;
  const double w = BinWidth(s);
  const double low_rank = (1.0 - p / 100.0) * static_cast<double>(total);
  const double high_rank = p / 100.0 * static_cast<double>(total);
  double lo = s.hist_lo, hi = s.hist_hi;
  uint64_t cum = 0;
  bool lo_set = false;
  for (size_t b = 0; b < s.hist.size(); ++b) {
    cum += s.hist[b];
    if (!lo_set && static_cast<double>(cum) > low_rank) {
      lo = s.hist_lo + static_cast<double>(b) * w;
      lo_set = true;
    }
    if (static_cast<double>(cum) >= high_rank) {
      hi = s.hist_lo + static_cast<double>(b + 1) * w;
      break;
    }
  }
  return Bounded(s, lo, hi);
}

Range MseRange(const TensorStats& s) {
  const double w = BinWidth(s);
  const int64_t n = static_cast<int64_t>(s.hist.size());
  // The range [lo_bin * w, hi_bin * w] (offset by hist_lo) must keep 0 inside.
  const int64_t max_lo = static_cast<int64_t>(std::floor(-s.hist_lo / w));
  const int64_t min_hi = static_cast<int64_t>(std::ceil(-s.hist_lo / w));
  auto edge = [&](int64_t b) { return s.hist_lo + static_cast<double>(b) * w; };
  int64_t a = 0, b = n;
  double best = HistogramQuantError(s, edge(a), edge(b));
  Range best_range{edge(a), edge(b)};
  while (b - a > 1) {
    const bool can_a = a + 1 <= max_lo && a + 1 < b;
    const bool can_b = b - 1 >= min_hi && b - 1 > a;
    if (!can_a && !can_b) break;
    const double ea = can_a ? HistogramQuantError(s, edge(a + 1), edge(b))
                            : std::numeric_limits<double>::infinity();
    const double eb = can_b ? HistogramQuantError(s, edge(a), edge(b - 1))
                            : std::numeric_limits<double>::infinity();
    if (ea <= eb) {
      ++a;
    } else {
      --b;
    }
    const double e = std::min(ea, eb);
    if (e < best) {
      best = e;
      best_range = {edge(a), edge(b)};
    }
  }
  return Bounded(s, best_range.lo, best_range.hi);
}

}  // namespace

const char* RangeMethodName(RangeMethod m) {
  switch (m) {
    case RangeMethod::kMinMax:
      return "minmax";
    case RangeMethod::kPercentile:
      return "percentile";
    case RangeMethod::kMse:
      return "mse";
  }
  return "?";
}

bool ParseRangeMethod(const std::string& name, RangeMethod* out) {
  for (RangeMethod m : {RangeMethod::kMinMax, RangeMethod::kPercentile, RangeMethod::kMse}) {
    if (name == RangeMethodName(m)) {
      *out = m;
      return true;
    }
  }
  return false;
}

double HistogramQuantError(const TensorStats& s, double lo, double hi) {
  const double w = BinWidth(s);
  const double step = (hi - lo) / 255.0;
  const double inside = step * step / 12.0;
  double err = 0;
  uint64_t total = 0;
  for (size_t b = 0; b < s.hist.size(); ++b) {
    if (s.hist[b] == 0) continue;
    const double c = s.hist_lo + (static_cast<double>(b) + 0.5) * w;
    double e = inside;
    if (c < lo) e = (lo - c) * (lo - c);
    if (c > hi) e = (c - hi) * (c - hi);
    err += e * static_cast<double>(s.hist[b]);
    total += s.hist[b];
  }
  return total > 0 ? err / static_cast<double>(total) : 0.0;
}

Range ChooseRange(const TensorStats& stats, const RangeOptions& options) {
  const bool have_hist = !stats.hist.empty() && stats.hist_hi > stats.hist_lo;
  if (options.method == RangeMethod::kMinMax || !have_hist) return Widened(stats.min, stats.max);
  if (options.method == RangeMethod::kPercentile) {
    return PercentileRange(stats, options.percentile);
  }
  return MseRange(stats);
}

}  // namespace emlkit::optimize
