#include "kernels/host_x86/requantize.h"

#include <gtest/gtest.h>

#include "kernels/fixed_point.h"

namespace emlkit {
namespace rt {
namespace {

uint64_t Next(uint64_t& state) {  // SplitMix64
  state += 0x9E3779B97F4A7C15ull;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

TEST(HostRequantizeTest, FourLanesMatchTheScalarRequantizationExactly) {
  uint64_t state = 99;
  for (int iter = 0; iter < 500000; ++iter) {
    int32_t acc[4], mult[4], shift[4];
    int8_t shift8[4];
    for (int i = 0; i < 4; ++i) {
      const uint64_t r = Next(state);
      // Accumulators of every magnitude, multipliers in [2^30, 2^31) (or 0), shifts in [-31, 0].
      acc[i] = static_cast<int32_t>(r) >> static_cast<int>((r >> 32) % 32);
      mult[i] =
          (r >> 40) % 50 == 0 ? 0 : static_cast<int32_t>((1u << 30) | ((r >> 34) & 0x3FFFFFFF));
      shift[i] = -static_cast<int32_t>((r >> 58) % 32);
      shift8[i] = static_cast<int8_t>(shift[i]);
    }
    alignas(16) int32_t got[4];
    _mm_store_si128(
        reinterpret_cast<__m128i*>(got),
        x86::MultiplyByQuantizedMultiplier4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(acc)),
                                            _mm_loadu_si128(reinterpret_cast<const __m128i*>(mult)),
                                            x86::ShiftFactors(shift8)));
    const x86::UniformRequantizer uniform(mult[0], shift[0]);
    alignas(16) int32_t got_uniform[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(got_uniform),
                    uniform.Apply(_mm_loadu_si128(reinterpret_cast<const __m128i*>(acc))));
    for (int i = 0; i < 4; ++i) {
      ASSERT_EQ(got[i], fx::MultiplyByQuantizedMultiplier(acc[i], mult[i], shift[i]))
          << acc[i] << " * " << mult[i] << " >> " << -shift[i];
      ASSERT_EQ(got_uniform[i], fx::MultiplyByQuantizedMultiplier(acc[i], mult[0], shift[0]))
          << acc[i] << " * " << mult[0] << " >> " << -shift[0];
    }
  }
}

TEST(HostRequantizeTest, ZeroPointAndClampNarrowToInt8) {
  const __m128i v = _mm_setr_epi32(100000, -100000, 5, -3);
  const uint32_t packed = static_cast<uint32_t>(x86::Int8Narrower(-10, -128, 100).Narrow(v));
  EXPECT_EQ(static_cast<int8_t>(packed & 0xFF), 100);
  EXPECT_EQ(static_cast<int8_t>((packed >> 8) & 0xFF), -128);
  EXPECT_EQ(static_cast<int8_t>((packed >> 16) & 0xFF), -5);
  EXPECT_EQ(static_cast<int8_t>(packed >> 24), -13);
}

}  // namespace
}  // namespace rt
}  // namespace emlkit
