// SSE2 building blocks of the host (x86-64) kernel variants. SSE2 is the x86-64 baseline, so
// these run on every 64-bit PC. Integer results are exact: products and sums wrap modulo 2^32
// exactly like the portable kernels' int32 accumulators, so the variants stay bit-exact.
#ifndef EMLKIT_RUNTIME_KERNELS_HOST_X86_SIMD_H_
#define EMLKIT_RUNTIME_KERNELS_HOST_X86_SIMD_H_

#include <emmintrin.h>
#include <xmmintrin.h>

#include <stdint.h>

namespace emlkit {
namespace rt {
namespace x86 {

inline __m128i Load16(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
inline __m128i Load8(const void* p) { return _mm_loadl_epi64(static_cast<const __m128i*>(p)); }

// Sign-extends int8 lanes 0-7 / 8-15 to int16.
inline __m128i WidenLo(__m128i v) { return _mm_srai_epi16(_mm_unpacklo_epi8(v, v), 8); }
inline __m128i WidenHi(__m128i v) { return _mm_srai_epi16(_mm_unpackhi_epi8(v, v), 8); }

// [sum(a), sum(b), sum(c), sum(d)] of four int32x4 vectors.
inline __m128i HorizontalSum4(__m128i a, __m128i b, __m128i c, __m128i d) {
  const __m128i ab = _mm_add_epi32(_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b));
  const __m128i cd = _mm_add_epi32(_mm_unpacklo_epi32(c, d), _mm_unpackhi_epi32(c, d));
  return _mm_add_epi32(_mm_unpacklo_epi64(ab, cd), _mm_unpackhi_epi64(ab, cd));
}

inline __m128 HorizontalSum4(__m128 a, __m128 b, __m128 c, __m128 d) {
  const __m128 ab = _mm_add_ps(_mm_unpacklo_ps(a, b), _mm_unpackhi_ps(a, b));
  const __m128 cd = _mm_add_ps(_mm_unpacklo_ps(c, d), _mm_unpackhi_ps(c, d));
  return _mm_add_ps(_mm_movelh_ps(ab, cd), _mm_movehl_ps(cd, ab));
}

// Four dot products sum_k w_r[k] * (x[k] + offset) over `depth` int8 values, r = 0..3.
// x + offset must fit int16 (it does for int8 data and zero points). Exact.
inline __m128i DotInt8x4(const int8_t* x, int32_t offset, const int8_t* w0, const int8_t* w1,
                         const int8_t* w2, const int8_t* w3, int32_t depth) {
  const __m128i off = _mm_set1_epi16(static_cast<int16_t>(offset));
  __m128i a0 = _mm_setzero_si128(), a1 = a0, a2 = a0, a3 = a0;
  int32_t k = 0;
  for (; k + 16 <= depth; k += 16) {
    const __m128i xv = Load16(x + k);
    const __m128i xl = _mm_add_epi16(WidenLo(xv), off);
    const __m128i xh = _mm_add_epi16(WidenHi(xv), off);
    __m128i v = Load16(w0 + k);
    a0 = _mm_add_epi32(
        a0, _mm_add_epi32(_mm_madd_epi16(WidenLo(v), xl), _mm_madd_epi16(WidenHi(v), xh)));
    v = Load16(w1 + k);
    a1 = _mm_add_epi32(
        a1, _mm_add_epi32(_mm_madd_epi16(WidenLo(v), xl), _mm_madd_epi16(WidenHi(v), xh)));
    v = Load16(w2 + k);
    a2 = _mm_add_epi32(
        a2, _mm_add_epi32(_mm_madd_epi16(WidenLo(v), xl), _mm_madd_epi16(WidenHi(v), xh)));
    v = Load16(w3 + k);
    a3 = _mm_add_epi32(
        a3, _mm_add_epi32(_mm_madd_epi16(WidenLo(v), xl), _mm_madd_epi16(WidenHi(v), xh)));
  }
  if (k + 8 <= depth) {
    const __m128i xl = _mm_add_epi16(WidenLo(Load8(x + k)), off);
    a0 = _mm_add_epi32(a0, _mm_madd_epi16(WidenLo(Load8(w0 + k)), xl));
    a1 = _mm_add_epi32(a1, _mm_madd_epi16(WidenLo(Load8(w1 + k)), xl));
    a2 = _mm_add_epi32(a2, _mm_madd_epi16(WidenLo(Load8(w2 + k)), xl));
    a3 = _mm_add_epi32(a3, _mm_madd_epi16(WidenLo(Load8(w3 + k)), xl));
    k += 8;
  }
  __m128i sums = HorizontalSum4(a0, a1, a2, a3);
  if (k < depth) {
    uint32_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (; k < depth; ++k) {
      const int32_t xv = x[k] + offset;
      t0 += static_cast<uint32_t>(w0[k] * xv);
      t1 += static_cast<uint32_t>(w1[k] * xv);
      t2 += static_cast<uint32_t>(w2[k] * xv);
      t3 += static_cast<uint32_t>(w3[k] * xv);
    }
    sums = _mm_add_epi32(sums, _mm_setr_epi32(static_cast<int32_t>(t0), static_cast<int32_t>(t1),
                                              static_cast<int32_t>(t2), static_cast<int32_t>(t3)));
  }
  return sums;
}

// Float dot products sum_k w_r[k] * x[k] of 4 rows, each summed strictly in k order like the
// scalar reference (one lane per row), so results are bit-identical to TFLite's sequential float
// sums. Columns of 4 rows are assembled from 64-bit loads of two consecutive k of each row.
struct FloatRows4 {
  const float* w[4];
};

// Adds [w0[k] w1[k] w2[k] w3[k]] * x[k] and the same for k + 1 to acc.
inline __m128 AddColumnPair(__m128 acc, const FloatRows4& r, int32_t k, __m128 xk, __m128 xk1) {
  const __m128 a =
      _mm_loadh_pi(_mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(r.w[0] + k))),
                   reinterpret_cast<const __m64*>(r.w[1] + k));
  const __m128 b =
      _mm_loadh_pi(_mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(r.w[2] + k))),
                   reinterpret_cast<const __m64*>(r.w[3] + k));
  acc = _mm_add_ps(acc, _mm_mul_ps(xk, _mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0))));
  return _mm_add_ps(acc, _mm_mul_ps(xk1, _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1))));
}

inline __m128 Broadcast(__m128 v, int lane) {
  switch (lane) {
    case 0:
      return _mm_castsi128_ps(_mm_shuffle_epi32(_mm_castps_si128(v), 0x00));
    case 1:
      return _mm_castsi128_ps(_mm_shuffle_epi32(_mm_castps_si128(v), 0x55));
    case 2:
      return _mm_castsi128_ps(_mm_shuffle_epi32(_mm_castps_si128(v), 0xAA));
    default:
      return _mm_castsi128_ps(_mm_shuffle_epi32(_mm_castps_si128(v), 0xFF));
  }
}

inline __m128 DotFloatInOrderx4(const float* x, const FloatRows4& g, int32_t depth) {
  __m128 a = _mm_setzero_ps();
  int32_t k = 0;
  for (; k + 2 <= depth; k += 2) {
    a = AddColumnPair(a, g, k, _mm_set1_ps(x[k]), _mm_set1_ps(x[k + 1]));
  }
  if (k < depth) {
    a = _mm_add_ps(
        a, _mm_mul_ps(_mm_set1_ps(x[k]), _mm_setr_ps(g.w[0][k], g.w[1][k], g.w[2][k], g.w[3][k])));
  }
  return a;
}

}  // namespace x86
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_HOST_X86_SIMD_H_
