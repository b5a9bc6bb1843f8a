#include "kernels/quant_util.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "testing/reference_multiplier.h"

namespace emlkit {
namespace rt {
namespace {

float FromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

// The integer QuantizeScaleRatio against TFLite's double computation for a * b / c * 2^pow2.
void ExpectSame(float a, float b, float c, int pow2) {
  int32_t want_m = 0, want_s = 0, got_m = 0, got_s = 0;
  const double real =
      std::ldexp(static_cast<double>(a) * static_cast<double>(b) / static_cast<double>(c), pow2);
  QuantizeMultiplier(real, &want_m, &want_s);
  QuantizeScaleRatio(a, b, c, pow2, &got_m, &got_s);
  ASSERT_EQ(got_m, want_m) << a << " * " << b << " / " << c << " * 2^" << pow2;
  ASSERT_EQ(got_s, want_s) << a << " * " << b << " / " << c << " * 2^" << pow2;
}

// Every positive finite float as a single scale (b = c = 1): all 2^31 - 2^23 bit patterns.
// The result depends on the significand and, through the flush below 2^-31 only, on the
// exponent, so every significand is also run with every exponent in a sampled set.
TEST(QuantUtilTest, SingleScaleEqualsDoubleForEverySignificand) {
  const uint32_t exponents[] = {0, 1, 2, 60, 95, 96, 97, 120, 126, 127, 128, 150, 157, 158, 254};
  for (uint32_t e : exponents) {
    for (uint32_t frac = 0; frac < (1u << 23); ++frac) {
      if (e == 0 && frac == 0) continue;
      ExpectSame(FromBits((e << 23) | frac), 1.0f, 1.0f, 0);
    }
  }
  for (uint32_t e = 0; e < 255; ++e) {  // every exponent with edge significands
    for (uint32_t frac : {0u, 1u, 0x3fffffu, 0x400000u, 0x7fff80u, 0x7fffc0u, 0x7fffffu}) {
      if (e == 0 && frac == 0) continue;
      ExpectSame(FromBits((e << 23) | frac), 1.0f, 1.0f, 0);
    }
  }
}

// a * b / c with random bit patterns (uniform over positive finite floats and over the range
// model scales live in), with powers of two as ADD and SOFTMAX use.
TEST(QuantUtilTest, RatioEqualsDoubleForRandomScales) {
  std::mt19937 rng(1234);
  auto any = [&] {
    for (;;) {
      const uint32_t bits = rng() & 0x7fffffffu;
      if (bits != 0 && bits < 0x7f800000u) return FromBits(bits);
    }
  };
  auto scale = [&] {  // [2^-24, 2^4): where quantization scales are
    return FromBits(((103u + rng() % 28u) << 23) | (rng() & 0x7fffffu));
  };
  for (int i = 0; i < 4000000; ++i) {
    ExpectSame(scale(), scale(), scale(), 0);
    ExpectSame(any(), any(), any(), static_cast<int>(rng() % 41) - 20);
  }
  // Few significant bits (exact quotients, ties at 31 bits, ties in the double division).
  for (int i = 0; i < 2000000; ++i) {
    auto sparse = [&] {
      uint32_t frac = (rng() & 0x7fffffu) & ~((1u << (rng() % 24)) - 1);
      return FromBits(((110u + rng() % 20u) << 23) | frac);
    };
    ExpectSame(sparse(), sparse(), sparse(), static_cast<int>(rng() % 9) - 4);
  }
}

// Cases close to the rounding boundaries: a * b equal to c times a 31-bit tie or just off it.
TEST(QuantUtilTest, RatioEqualsDoubleNearTies) {
  std::mt19937 rng(99);
  for (int i = 0; i < 1000000; ++i) {
    const float c = FromBits((127u << 23) | (rng() & 0x7fffffu));
    const float a = FromBits((127u << 23) | (rng() & 0x7fffffu));
    // b is a chosen so a * b / c lands near a multiple of 2^-31 times a power of two.
    const float b =
        FromBits((127u << 23) | (((rng() & 0xffffu) << 7) | (rng() % 3 == 0 ? 0x40 : 0)));
    ExpectSame(a, b, c, 0);
    ExpectSame(c, a, c, 0);
    ExpectSame(a, c, a, -3);
  }
}

TEST(QuantUtilTest, KnownValues) {
  int32_t m = 0, s = 0;
  QuantizeScaleRatio(1.0f, 1.0f, 1.0f, 0, &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
  QuantizeScaleRatio(3.0f, 1.0f, 128.0f, 0, &m, &s);  // 0.0234375 = 0.75 * 2^-5
  EXPECT_EQ(m, 3 << 29);
  EXPECT_EQ(s, -5);
  QuantizeScaleRatio(1e-30f, 1e-30f, 1.0f, 0, &m, &s);  // below 2^-31: flushed to zero
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
}

}  // namespace
}  // namespace rt
}  // namespace emlkit
