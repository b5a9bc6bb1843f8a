// Choosing the real range an activation tensor is quantized to, from calibration statistics
// (calibration.h). Three methods:
//
//   minmax      [min, max] seen over the calibration records: nothing is ever clipped, the
//               rounding step is as coarse as the widest outlier makes it. TFLite's choice.
//   percentile  [P_(100-p), P_p] of the values (p = 99.99 by default): the rare extremes are
//               clipped, everything else gets a finer step.
//   mse         the range that minimizes the expected squared quantization error over the
//               histogram: clipping error of the values outside plus step^2 / 12 for those
//               inside, searched by moving either end inwards one bin at a time.
//
// Every range contains 0 (a requirement of the int8 scheme) and lies within [min, max]
// widened to 0.
#ifndef EMLKIT_OPTIMIZE_RANGE_H_
#define EMLKIT_OPTIMIZE_RANGE_H_

#include <string>

#include "common/status.h"
#include "optimize/calibration.h"

namespace emlkit::optimize {

enum class RangeMethod { kMinMax, kPercentile, kMse };
const char* RangeMethodName(RangeMethod m);  // "minmax", "percentile", "mse"
// Parses a name from RangeMethodName; false if unknown.
bool ParseRangeMethod(const std::string& name, RangeMethod* out);

struct RangeOptions {
  RangeMethod method = RangeMethod::kMinMax;
  double percentile = 99.99;  // percentile method: in (50, 100]
};

struct Range {
  double lo = 0, hi = 0;
};

// The range for one tensor. Percentile and mse need the histogram (TensorStats::hist); without
// one they fall back to min/max.
Range ChooseRange(const TensorStats& stats, const RangeOptions& options);

// Expected squared error per value of quantizing the histogram to 256 levels over [lo, hi]
// (exposed for tests).
double HistogramQuantError(const TensorStats& stats, double lo, double hi);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_RANGE_H_
