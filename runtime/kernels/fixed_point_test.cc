#include "kernels/fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kernels/quant_util.h"
#include "testing/reference_multiplier.h"

namespace emlkit {
namespace rt {
namespace {

using namespace fx;  // NOLINT: test of the whole namespace

// Like ARM's VQRDMULH: ties round up (towards +infinity).
TEST(FixedPointTest, DoublingHighMulRoundsHalfUpAndSaturates) {
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(kInt32Min, kInt32Min), kInt32Max);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1 << 30, 1 << 30), 1 << 29);  // 0.5 * 0.5
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(3, 1 << 30), 2);              // 1.5 -> 2
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-3, 1 << 30), -1);            // -1.5 -> -1
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1, 1 << 30), 1);              // 0.5 -> 1
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-1, 1 << 30), 0);             // -0.5 -> 0
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-5, 1 << 30), -2);            // -2.5 -> -2
}

TEST(FixedPointTest, RoundingDivideByPotRoundsHalfAwayFromZero) {
  EXPECT_EQ(RoundingDivideByPOT(5, 1), 3);
  EXPECT_EQ(RoundingDivideByPOT(-5, 1), -3);
  EXPECT_EQ(RoundingDivideByPOT(4, 1), 2);
  EXPECT_EQ(RoundingDivideByPOT(-7, 2), -2);  // -1.75
  EXPECT_EQ(RoundingDivideByPOT(-6, 2), -2);  // -1.5 -> -2
  EXPECT_EQ(RoundingDivideByPOT(123, 0), 123);
}

TEST(FixedPointTest, MultiplyByQuantizedMultiplierMatchesRealScaling) {
  int32_t m = 0, s = 0;
  QuantizeMultiplier(0.0078125 * 3.0, &m, &s);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(1000, m, s), 23);  // 23.4375
  QuantizeMultiplier(2.5, &m, &s);
  EXPECT_EQ(s, 2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-3, m, s), -7);  // -7.5: the high mul rounds up
  QuantizeMultiplier(0.3, &m, &s);                         // shift -1: a second rounding
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-5, m, s), -2);  // -1.5 -> -2 (away from zero)
  QuantizeMultiplier(1e-12, &m, &s);                       // below 2^-31: flushed to zero
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
}

TEST(FixedPointTest, QuantizeMultiplierNormalizesToHalfOpenInterval) {
  int32_t m = 0, s = 0;
  QuantizeMultiplier(1.0, &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
  QuantizeMultiplier(0.99999999999, &m, &s);  // rounds up to 2^31: renormalized
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
}

// The textbook definitions (gemmlowp's nudge-and-truncate and mask/threshold forms) that the
// faster formulas in fixed_point.h must reproduce bit for bit.
int32_t TextbookHighMul(int32_t a, int32_t b) {
  if (a == kInt32Min && b == kInt32Min) return kInt32Max;
  const int64_t ab = static_cast<int64_t>(a) * b;
  const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

int32_t TextbookDivideByPot(int32_t x, int e) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << e) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (remainder > threshold ? 1 : 0);
}

TEST(FixedPointTest, FastFormulasMatchTheTextbookDefinitionsExactly) {
  uint64_t state = 12345;
  auto next = [&state] {  // SplitMix64
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  const int32_t edges[] = {0,
                           1,
                           -1,
                           2,
                           -2,
                           kInt32Max,
                           kInt32Min,
                           kInt32Max - 1,
                           kInt32Min + 1,
                           1 << 30,
                           -(1 << 30),
                           (1 << 30) + 1,
                           12345,
                           -12345};
  for (int32_t a : edges) {
    for (int32_t b : edges)
      ASSERT_EQ(SaturatingRoundingDoublingHighMul(a, b), TextbookHighMul(a, b));
    for (int e = 0; e <= 31; ++e) ASSERT_EQ(RoundingDivideByPOT(a, e), TextbookDivideByPot(a, e));
  }
  for (int i = 0; i < 2000000; ++i) {
    const uint64_t r = next();
    // Small magnitudes too, where the ties live.
    const int32_t a = static_cast<int32_t>(r) >> static_cast<int>((r >> 32) % 31);
    const int32_t b = static_cast<int32_t>(r >> 32);
    ASSERT_EQ(SaturatingRoundingDoublingHighMul(a, b), TextbookHighMul(a, b)) << a << " " << b;
    const int e = static_cast<int>((r >> 40) % 32);
    ASSERT_EQ(RoundingDivideByPOT(a, e), TextbookDivideByPot(a, e)) << a << " " << e;
  }
}

// TFLite's MultiplyByQuantizedMultiplier as written: 64-bit saturating high multiply of x shifted
// left, then the 64-bit rounding divide (the form this runtime used before the 32-bit one).
int32_t TextbookMultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  const int64_t high = TextbookHighMul(shifted, multiplier);
  if (right == 0) return static_cast<int32_t>(high);
  const int64_t round = (int64_t{1} << (right - 1)) - 1;
  return static_cast<int32_t>((high + round + (high >= 0 ? 1 : 0)) >> right);
}

// The 32-bit requantization must equal the textbook one over the whole domain QuantizeMultiplier
// produces: multiplier 0 or in [2^30, 2^31), shift in [-31, 30], any int32 x. Every shift with
// edge multipliers and edge/tie inputs, plus 8 million random triples.
TEST(FixedPointTest, ThirtyTwoBitRequantizationEqualsTextbookOverTheWholeDomain) {
  uint64_t state = 777;
  auto next = [&state] {  // SplitMix64
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  auto check = [](int32_t x, int32_t m, int shift) {
    const int32_t want = TextbookMultiplyByQuantizedMultiplier(x, m, shift);
    ASSERT_EQ(MultiplyByQuantizedMultiplier(x, m, shift), want) << x << " " << m << " " << shift;
    ASSERT_EQ(
        MultiplyByQuantizedMultiplierSplit(x, m, shift > 0 ? shift : 0, shift > 0 ? 0 : -shift),
        want)
        << x << " " << m << " " << shift;
  };
  const int32_t multipliers[] = {0, 1 << 30, (1 << 30) + 1, 1518500250, kInt32Max - 1, kInt32Max};
  const int32_t xs[] = {0,
                        1,
                        -1,
                        2,
                        -2,
                        3,
                        -3,
                        127,
                        -128,
                        1 << 15,
                        -(1 << 15),
                        1 << 20,
                        kInt32Max,
                        kInt32Min,
                        kInt32Max - 1,
                        kInt32Min + 1,
                        1 << 30,
                        -(1 << 30)};
  for (int shift = -31; shift <= 30; ++shift) {
    for (int32_t m : multipliers) {
      for (int32_t x : xs) check(x, m, shift);
      // Exhaustive over a window of small accumulators, where every rounding tie lives.
      for (int32_t x = -70000; x <= 70000; x += (shift < -20 ? 1 : 7)) check(x, m, shift);
    }
  }
  for (int i = 0; i < 8000000; ++i) {
    const uint64_t r = next();
    const int32_t x = static_cast<int32_t>(r) >> static_cast<int>((r >> 32) % 32);
    const int shift = static_cast<int>((r >> 37) % 62) - 31;
    const int32_t m = (r >> 43) % 64 == 0 ? 0 : static_cast<int32_t>((1u << 30) | (r >> 34));
    check(x, m, shift);
  }
}

TEST(FixedPointTest, ExpOnNegativeValuesIsAccurate) {
  EXPECT_EQ(ExpOnNegativeValues<5>(0), kInt32Max);
  for (double x : {-0.01, -0.25, -1.0, -2.5, -7.0, -15.9}) {
    const int32_t raw = static_cast<int32_t>(std::lround(x * (1 << 26)));
    const double got = ExpOnNegativeValues<5>(raw) / 2147483648.0;
    EXPECT_NEAR(got, std::exp(x), 5e-7) << x;
  }
}

TEST(FixedPointTest, ReciprocalLogisticAndTanhAreAccurate) {
  for (double a : {0.0, 0.1, 0.5, 0.9}) {
    const int32_t raw = static_cast<int32_t>(a * 2147483647.0);
    EXPECT_NEAR(OneOverOnePlusXForXIn01(raw) / 2147483648.0, 1.0 / (1.0 + a), 1e-8) << a;
  }
  for (double x : {-7.5, -1.0, -0.1, 0.1, 1.0, 3.0}) {
    const int32_t raw = static_cast<int32_t>(x * (1 << 27));  // Q4.27
    EXPECT_NEAR(Logistic<4>(raw) / 2147483648.0, 1.0 / (1.0 + std::exp(-x)), 1e-7) << x;
    EXPECT_NEAR(Tanh<4>(raw) / 2147483648.0, std::tanh(x), 1e-7) << x;
  }
  int bits = 0;
  const int32_t r = GetReciprocal(3 << 19, 12, &bits);  // 3.0 in Q12.19
  EXPECT_NEAR(std::ldexp(r / 2147483648.0, -bits), 1.0 / 3.0, 1e-8);
}

}  // namespace
}  // namespace rt
}  // namespace emlkit
