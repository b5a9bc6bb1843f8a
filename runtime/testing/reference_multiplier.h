// Tests only: TFLite's QuantizeMultiplier as TFLite writes it (frexp and round in double), the
// definition the runtime's integer-only QuantizeScaleRatio is checked against.
#ifndef EMLKIT_RUNTIME_TESTING_REFERENCE_MULTIPLIER_H_
#define EMLKIT_RUNTIME_TESTING_REFERENCE_MULTIPLIER_H_

#include <cmath>
#include <cstdint>

namespace emlkit::rt {

// m = q * 2^shift with q in [0.5, 1) as Q0.31, rounded half away from zero (0 for m == 0;
// multipliers below 2^-31 flush to 0).
inline void QuantizeMultiplier(double m, int32_t* multiplier, int32_t* shift) {
  if (m == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double q = std::frexp(m, &exponent);
  int64_t q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {
    q_fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    exponent = 0;
    q_fixed = 0;
  }
  *multiplier = static_cast<int32_t>(q_fixed);
  *shift = exponent;
}

}  // namespace emlkit::rt

#endif  // EMLKIT_RUNTIME_TESTING_REFERENCE_MULTIPLIER_H_
