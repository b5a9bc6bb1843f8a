// Four-lane SSE2 requantization, bit-exact with fx::MultiplyByQuantizedMultiplier for shifts
// <= 0 (multipliers below one, the only kind quantized FULLY_CONNECTED layers meet in practice;
// callers fall back to the scalar code otherwise).
//
// SSE2 has no signed 32x32->64 multiply and no per-lane shifts, so both steps are written as
// unsigned multiplies (pmuludq) with a sign correction:
//   high = floor((x * m + 2^30) / 2^31)                 (the rounding doubling high multiply)
//   out  = floor((high * c + 2^30 - n * c) / 2^31)      with c = 2^(31 - r), r = -shift:
// the second line is RoundingDivideByPOT(high, r) = floor((high + 2^(r-1) - n) / 2^r) scaled by
// 2^(31-r), where n = 1 for negative high when r > 0 (ties away from zero), else 0. Every result
// fits 32 bits, so taking bits 31..62 of the 64-bit sums is exact.
#ifndef EMLKIT_RUNTIME_KERNELS_HOST_X86_REQUANTIZE_H_
#define EMLKIT_RUNTIME_KERNELS_HOST_X86_REQUANTIZE_H_

#include <emmintrin.h>

#include <stdint.h>

namespace emlkit {
namespace rt {
namespace x86 {

// floor((a * b + add) / 2^31) per lane for signed a, unsigned b <= 2^31 and 64-bit addends
// (add_even for lanes 0 and 2, add_odd for lanes 1 and 3, each zero-extended in its 64-bit lane).
inline __m128i MulShift31(__m128i a, __m128i b, __m128i add_even, __m128i add_odd) {
  const __m128i lo_dwords = _mm_set_epi32(0, -1, 0, -1);
  const __m128i corr = _mm_and_si128(_mm_srai_epi32(a, 31), b);  // b where a < 0
  __m128i even = _mm_mul_epu32(a, b);
  even = _mm_sub_epi64(_mm_add_epi64(even, add_even), _mm_slli_epi64(corr, 32));
  __m128i odd = _mm_mul_epu32(_mm_srli_epi64(a, 32), _mm_srli_epi64(b, 32));
  odd = _mm_sub_epi64(_mm_add_epi64(odd, add_odd), _mm_andnot_si128(lo_dwords, corr));
  return _mm_or_si128(_mm_and_si128(_mm_srli_epi64(even, 31), lo_dwords),
                      _mm_slli_epi64(_mm_srli_epi64(odd, 31), 32));
}

// MultiplyByQuantizedMultiplier(acc[i], multiplier[i], shift[i]) for shift[i] <= 0, given
// c[i] = 2^(31 + shift[i]) as unsigned lanes.
inline __m128i MultiplyByQuantizedMultiplier4(__m128i acc, __m128i multiplier, __m128i c) {
  const __m128i half = _mm_set_epi32(0, 1 << 30, 0, 1 << 30);
  const __m128i high = MulShift31(acc, multiplier, half, half);
  // n * c: c where high < 0 and r > 0 (c < 2^31).
  const __m128i r_positive = _mm_cmpeq_epi32(_mm_srli_epi32(c, 31), _mm_setzero_si128());
  const __m128i nc = _mm_and_si128(_mm_and_si128(_mm_srai_epi32(high, 31), r_positive), c);
  const __m128i lo_dwords = _mm_set_epi32(0, -1, 0, -1);
  const __m128i add_even = _mm_sub_epi64(half, _mm_and_si128(nc, lo_dwords));
  const __m128i add_odd = _mm_sub_epi64(half, _mm_srli_epi64(nc, 32));
  return MulShift31(high, c, add_even, add_odd);
}

// c = 2^(31 + shift) lanes for four shifts <= 0 stored as int8, computed with float exponent
// arithmetic (2^31 converts to 0x80000000, which is 2^31 read as unsigned).
inline __m128i ShiftFactors(const int8_t* shifts) {
  int32_t packed;
  __builtin_memcpy(&packed, shifts, 4);
  __m128i s = _mm_cvtsi32_si128(packed);
  s = _mm_unpacklo_epi8(s, s);
  s = _mm_srai_epi32(_mm_unpacklo_epi16(s, s), 24);
  const __m128i exponent = _mm_add_epi32(s, _mm_set1_epi32(127 + 31));
  return _mm_cvttps_epi32(_mm_castsi128_ps(_mm_slli_epi32(exponent, 23)));
}

// MultiplyByQuantizedMultiplier for four lanes sharing one multiplier and one shift <= 0: the
// high multiply as above, then RoundingDivideByPOT in its mask/threshold form with a uniform
// shift count (no overflow possible).
struct UniformRequantizer {
  __m128i multiplier, mask, half_mask;
  __m128i right;  // shift count in the low 64 bits

  UniformRequantizer(int32_t m, int32_t shift)
      : multiplier(_mm_set1_epi32(m)),
        mask(_mm_set1_epi32(static_cast<int32_t>((int64_t{1} << -shift) - 1))),
        half_mask(_mm_srai_epi32(mask, 1)),
        right(_mm_cvtsi32_si128(-shift)) {}

  __m128i Apply(__m128i acc) const {
    const __m128i half = _mm_set_epi32(0, 1 << 30, 0, 1 << 30);
    const __m128i high = MulShift31(acc, multiplier, half, half);
    const __m128i remainder = _mm_and_si128(high, mask);
    const __m128i threshold = _mm_sub_epi32(half_mask, _mm_srai_epi32(high, 31));
    return _mm_sub_epi32(_mm_sra_epi32(high, right), _mm_cmpgt_epi32(remainder, threshold));
  }
};

// + zero point, clamp to [lo, hi] (within int8), narrow to int8 (low 4 bytes), with the
// constants prepared once. Saturating narrowing to int16 first does not change the clamped
// result.
struct Int8Narrower {
  __m128i zero_point, lo, hi;

  Int8Narrower(int32_t zp, int32_t min, int32_t max)
      : zero_point(_mm_set1_epi16(static_cast<int16_t>(zp))),
        lo(_mm_set1_epi16(static_cast<int16_t>(min))),
        hi(_mm_set1_epi16(static_cast<int16_t>(max))) {}

  int32_t Narrow(__m128i v) const { return _mm_cvtsi128_si32(Narrow8(v, v)); }

  // Lanes of a then b as 8 int8 bytes in the low 64 bits.
  __m128i Narrow8(__m128i a, __m128i b) const {
    __m128i w = _mm_adds_epi16(_mm_packs_epi32(a, b), zero_point);
    w = _mm_min_epi16(_mm_max_epi16(w, lo), hi);
    return _mm_packs_epi16(w, w);
  }
};

}  // namespace x86
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_HOST_X86_REQUANTIZE_H_
