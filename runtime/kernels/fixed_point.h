// Integer arithmetic of the TFLite quantization spec, exactly as TFLite (Micro) rounds it.
//
// These follow the published definitions of gemmlowp's fixed-point primitives and TFLite's
// MultiplyByQuantizedMultiplier (the "double rounding" variant TFLite Micro builds by default):
//   SaturatingRoundingDoublingHighMul(a, b) = round-half-away((a * b) / 2^31), saturating
//     INT32_MIN * INT32_MIN to INT32_MAX (ARM VQRDMULH);
//   RoundingDivideByPOT(x, e) = x / 2^e rounded to nearest, ties away from zero;
// and the fixed-point exp / reciprocal approximations the quantized softmax, logistic and tanh
// use. Fixed-point values are raw int32 with a given number of integer bits (Q(I).(31-I)).
// All arithmetic that may wrap is done on unsigned values so it is defined behaviour.
#ifndef EMLKIT_RUNTIME_KERNELS_FIXED_POINT_H_
#define EMLKIT_RUNTIME_KERNELS_FIXED_POINT_H_

#include <stdint.h>

// Forces inlining of the small helpers inner loops call: -Os (what firmware uses) would otherwise
// call them per value.
#define EMLKIT_RT_INLINE inline __attribute__((always_inline))
#define EMLKIT_RT_INLINE_LAMBDA __attribute__((always_inline))

namespace emlkit {
namespace rt {
namespace fx {

constexpr int32_t kInt32Min = -2147483647 - 1;
constexpr int32_t kInt32Max = 2147483647;

inline int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t WrapSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
EMLKIT_RT_INLINE int32_t WrapShl(int32_t a, int s) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) << s);
}

// round((a * b) / 2^31) with ties rounded up, for any a, b but the one overflowing case
// (INT32_MIN * INT32_MIN). gemmlowp's definition adds a sign-dependent nudge and truncates the
// division towards zero; for a negative product truncating (p + 1 - 2^30) / 2^31 towards zero is
// the same as flooring (p + 2^30) / 2^31, so one arithmetic shift gives the identical result.
EMLKIT_RT_INLINE int32_t RoundingDoublingHighMulNoSat(int32_t a, int32_t b) {
  return static_cast<int32_t>((static_cast<int64_t>(a) * b + (int64_t{1} << 30)) >> 31);
}

EMLKIT_RT_INLINE int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == kInt32Min && b == kInt32Min) return kInt32Max;
  return RoundingDoublingHighMulNoSat(a, b);
}

// x / 2^exponent rounded to nearest, ties away from zero, exponent in [0, 31]: gemmlowp's
// mask/threshold definition, all in 32 bits (no 64-bit shift by a variable amount, which costs
// ~20 instructions on a 32-bit MCU): (x >> e) + (x mod 2^e > 2^(e-1) - 1 + [x < 0]).
EMLKIT_RT_INLINE int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((uint32_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// The same for exponent in [0, 32] (softmax's final division reaches 32 for rows of 512+ classes).
EMLKIT_RT_INLINE int32_t RoundingDivideByPOTWide(int32_t x, int exponent) {
  if (exponent == 0) return x;
  const int32_t round = static_cast<int32_t>((uint32_t{1} << (exponent - 1)) - 1);
  return static_cast<int32_t>((static_cast<int64_t>(x) + round + (x >= 0 ? 1 : 0)) >> exponent);
}

// round((x * multiplier) / 2^31) with ties up, for multiplier >= 0 (no saturation possible):
// one 32x32->64 multiply and a constant shift.
EMLKIT_RT_INLINE int32_t HighMulNonNegative(int32_t x, int32_t multiplier) {
  // (p + 2^30) >> 31 on the two 32-bit halves of p: 32-bit compilers then emit a 32x32->64
  // multiply and an add with carry instead of keeping the 64-bit constant in two registers.
  const uint64_t p = static_cast<uint64_t>(static_cast<int64_t>(x) * multiplier);
  const uint32_t lo = static_cast<uint32_t>(p), rounded = lo + 0x40000000u;
  const uint32_t hi = static_cast<uint32_t>(p >> 32) + (rounded < lo ? 1u : 0u);
  return static_cast<int32_t>((rounded >> 31) | (hi << 1));
}

// x * multiplier * 2^shift, multiplier a Q0.31 value in [0.5, 1) (or 0), shift in [-31, 30]:
// RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x << left, multiplier), right), TFLite's
// double rounding. The high multiply cannot saturate (multiplier >= 0). Equivalence with the
// 64-bit textbook form over the whole domain: fixed_point_test.cc.
EMLKIT_RT_INLINE int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  if (shift > 0) return HighMulNonNegative(WrapShl(x, shift), multiplier);
  return RoundingDivideByPOT(HighMulNonNegative(x, multiplier), -shift);
}

// MultiplyByQuantizedMultiplier for shift in [-31, -1] (a multiplier below one half: the usual
// case), in 4 instructions after the multiply: with r = -shift and h the high product (never
// INT32_MIN, since multiplier < 2^31), rounding half away from zero of h / 2^r is
// floor((floor((h - [h < 0]) / 2^(r-1)) + 1) / 2), and r - 1 = ~shift. Equivalence over the whole
// domain: fixed_point_test.cc.
EMLKIT_RT_INLINE int32_t MultiplyByQuantizedMultiplierRight(int32_t x, int32_t multiplier,
                                                            int shift) {
  const int32_t h = HighMulNonNegative(x, multiplier);
  return (((h + (h >> 31)) >> (~shift)) + 1) >> 1;
}

// The same with the shift split once, at Prepare, into left = max(shift, 0) and
// right = max(-shift, 0): no branch per value.
EMLKIT_RT_INLINE int32_t MultiplyByQuantizedMultiplierSplit(int32_t x, int32_t multiplier, int left,
                                                            int right) {
  return RoundingDivideByPOT(HighMulNonNegative(WrapShl(x, left), multiplier), right);
}

// The int8 requantization every quantized kernel ends with: rescale the int32 accumulator, add
// the output zero point, clamp to [lo, hi] (the fused activation's bounds).
EMLKIT_RT_INLINE int32_t RequantizeClamp(int32_t acc, int32_t multiplier, int shift,
                                         int32_t zero_point, int32_t lo, int32_t hi) {
  const int32_t v = MultiplyByQuantizedMultiplier(acc, multiplier, shift) + zero_point;
  return v < lo ? lo : (v > hi ? hi : v);
}

// Saturating x * 2^e for e > 0 (gemmlowp's SaturatingRoundingMultiplyByPOT with e > 0).
EMLKIT_RT_INLINE int32_t SaturatingShiftLeft(int32_t x, int e) {
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - e)) - 1);
  if (x > threshold) return kInt32Max;
  if (x < -threshold) return kInt32Min;
  return WrapShl(x, e);
}

// Rescale<to>(x) of a value with `from` integer bits: changes the format keeping the value.
EMLKIT_RT_INLINE int32_t Rescale(int32_t x, int from_bits, int to_bits) {
  const int e = from_bits - to_bits;
  if (e > 0) return SaturatingShiftLeft(x, e);
  if (e < 0) return RoundingDivideByPOT(x, -e);
  return x;
}

// (a + b) / 2 rounded half away from zero.
EMLKIT_RT_INLINE int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// exp(a) for a in [-1/4, 0), Q0.31 in and out.
inline int32_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int32_t a) {
  constexpr int32_t kConstantTerm = 1895147668;  // exp(-1/8)
  constexpr int32_t kOneThird = 715827883;
  const int32_t x = WrapAdd(a, int32_t{1} << 28);  // a + 1/8
  const int32_t x2 = SaturatingRoundingDoublingHighMul(x, x);
  const int32_t x3 = SaturatingRoundingDoublingHighMul(x2, x);
  const int32_t x4 = SaturatingRoundingDoublingHighMul(x2, x2);
  const int32_t x4_over_4 = RoundingDivideByPOT(x4, 2);
  const int32_t poly = RoundingDivideByPOT(
      WrapAdd(SaturatingRoundingDoublingHighMul(WrapAdd(x4_over_4, x3), kOneThird), x2), 1);
  return WrapAdd(kConstantTerm, SaturatingRoundingDoublingHighMul(kConstantTerm, WrapAdd(x, poly)));
}

// exp(a) for a <= 0 given with `kIntegerBits` integer bits; result Q0.31.
template <int kIntegerBits>
int32_t ExpOnNegativeValues(int32_t a) {
  if (a == 0) return kInt32Max;  // exp(0) = 1 (the row maximum in a softmax)
  constexpr int kFractionalBits = 31 - kIntegerBits;
  constexpr int32_t kOneQuarter = int32_t{1} << (kFractionalBits - 2);
  const int32_t a_mod_quarter_minus_one_quarter = WrapSub(a & (kOneQuarter - 1), kOneQuarter);
  int32_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      Rescale(a_mod_quarter_minus_one_quarter, kIntegerBits, 0));
  const int32_t remainder = WrapSub(a_mod_quarter_minus_one_quarter, a);
  // Barrel shifter: multiply by exp(-2^k) for every bit k set in the remainder.
  constexpr int32_t kMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                       39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (kIntegerBits > k) {
      const int shift = kFractionalBits + k;
      if (remainder & (int32_t{1} << shift)) {
        result = SaturatingRoundingDoublingHighMul(result, kMultipliers[k + 2]);
      }
    }
  }
  if (kIntegerBits > 5) {
    const int32_t clamp = -(int32_t{1} << (kIntegerBits > 5 ? 36 - kIntegerBits : 0));
    if (a < clamp) result = 0;
  }
  return result;
}

// 1 / (1 + a) for a in [0, 1), Q0.31 in and out (Newton-Raphson, 3 iterations).
inline int32_t OneOverOnePlusXForXIn01(int32_t a) {
  const int32_t half_denominator = RoundingHalfSum(a, kInt32Max);
  constexpr int32_t k48Over17 = 1515870810;      // Q2.29
  constexpr int32_t kNeg32Over17 = -1010580540;  // Q2.29
  constexpr int32_t kOneQ2 = int32_t{1} << 29;
  int32_t x = WrapAdd(k48Over17, SaturatingRoundingDoublingHighMul(half_denominator, kNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = SaturatingRoundingDoublingHighMul(half_denominator, x);
    const int32_t one_minus = WrapSub(kOneQ2, half_denominator_times_x);
    x = WrapAdd(x, Rescale(SaturatingRoundingDoublingHighMul(x, one_minus), 4, 2));
  }
  return Rescale(x, 1, 0);  // x / 2 as Q1.30, then to Q0.31
}

// (1 - a) / (1 + a) for a in [0, 1), Q0.31 in and out.
inline int32_t OneMinusXOverOnePlusXForXIn01(int32_t a) {
  const int32_t half_denominator = RoundingHalfSum(a, kInt32Max);
  constexpr int32_t k48Over17 = 1515870810;
  constexpr int32_t kNeg32Over17 = -1010580540;
  constexpr int32_t kOneQ2 = int32_t{1} << 29;
  int32_t x = WrapAdd(k48Over17, SaturatingRoundingDoublingHighMul(half_denominator, kNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = SaturatingRoundingDoublingHighMul(half_denominator, x);
    const int32_t one_minus = WrapSub(kOneQ2, half_denominator_times_x);
    x = WrapAdd(x, Rescale(SaturatingRoundingDoublingHighMul(x, one_minus), 4, 2));
  }
  return Rescale(WrapSub(x, kOneQ2), 2, 0);
}

// (__builtin_clz takes an unsigned int, which has 16 bits on AVR: unsigned long has 32 there.)
inline int CountLeadingZeros32(uint32_t x) {
  return x == 0 ? 32
         : sizeof(unsigned) >= 4
             ? __builtin_clz(static_cast<unsigned>(x))
             : __builtin_clzl(x) - static_cast<int>(8 * sizeof(unsigned long) - 32);
}

// The reciprocal of x (a positive value with `integer_digits` integer bits) as a Q0.31 value
// scaled by 2^-num_bits_over_unit (TFLite's GetReciprocal).
inline int32_t GetReciprocal(int32_t x, int integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(x));
  *num_bits_over_unit = integer_digits - headroom_plus_one;
  const int32_t shifted_sum_minus_one = static_cast<int32_t>(
      (static_cast<uint32_t>(x) << headroom_plus_one) - (static_cast<uint32_t>(1) << 31));
  return OneOverOnePlusXForXIn01(shifted_sum_minus_one);
}

// logistic(a) for a with kIntegerBits integer bits; Q0.31 result.
template <int kIntegerBits>
int32_t Logistic(int32_t a) {
  if (a == 0) return int32_t{1} << 30;  // 0.5
  const bool positive = a > 0;
  const int32_t abs_a = positive ? a : WrapSub(0, a);
  const int32_t on_positive =
      OneOverOnePlusXForXIn01(ExpOnNegativeValues<kIntegerBits>(WrapSub(0, abs_a)));
  return positive ? on_positive : WrapSub(kInt32Max, on_positive);
}

// tanh(a) for a with kIntegerBits integer bits; Q0.31 result.
template <int kIntegerBits>
int32_t Tanh(int32_t a) {
  if (a == 0) return 0;
  const bool negative = a < 0;
  const int32_t n = negative ? a : WrapSub(0, a);  // -|a|
  // exp(2n): the same raw value read with one more integer bit.
  const int32_t t = OneMinusXOverOnePlusXForXIn01(ExpOnNegativeValues<kIntegerBits + 1>(n));
  return negative ? WrapSub(0, t) : t;
}

}  // namespace fx
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_FIXED_POINT_H_
