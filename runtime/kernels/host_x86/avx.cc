#include "kernels/host_x86/avx.h"

#include <immintrin.h>

namespace emlkit::rt::x86 {
namespace {

bool g_force_sse2 = false;  // constant-initialized; only tests change it

}  // namespace

bool HasAvx() { return !g_force_sse2 && __builtin_cpu_supports("avx"); }
bool HasAvx2() { return !g_force_sse2 && __builtin_cpu_supports("avx2"); }
void ForceSse2ForTesting(bool on) { g_force_sse2 = on; }

namespace {

// [lo[0] lo[1] hi[0] hi[1]]: two consecutive weights of two rows.
inline __m128 Pair(const float* lo, const float* hi) {
  return _mm_loadh_pi(_mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(lo))),
                      reinterpret_cast<const __m64*>(hi));
}

// Eight float rows at once: lane r of the accumulator sums row r strictly in k order, so results
// stay identical to the reference. No FMA: a fused multiply-add would round differently.
// Columns k and k + 1 of rows base..base+7 (stride d): rows 0-3 in the low half, 4-7 in the
// high half of each result.
__attribute__((target("avx"), always_inline)) inline void Columns(const float* base, int32_t d,
                                                                  int32_t k, __m256* c0,
                                                                  __m256* c1) {
  const float* b4 = base + 4 * d;
  const __m256 ac = _mm256_insertf128_ps(_mm256_castps128_ps256(Pair(base + k, base + d + k)),
                                         Pair(b4 + k, b4 + d + k), 1);
  const __m256 bd =
      _mm256_insertf128_ps(_mm256_castps128_ps256(Pair(base + 2 * d + k, base + 3 * d + k)),
                           Pair(b4 + 2 * d + k, b4 + 3 * d + k), 1);
  *c0 = _mm256_shuffle_ps(ac, bd, _MM_SHUFFLE(2, 0, 2, 0));
  *c1 = _mm256_shuffle_ps(ac, bd, _MM_SHUFFLE(3, 1, 3, 1));
}

__attribute__((target("avx"))) __m256 DotFloatInOrderx8(const float* x, const float* w,
                                                        int32_t depth) {
  __m256 acc = _mm256_setzero_ps();
  int32_t k = 0;
  for (; k + 2 <= depth; k += 2) {
    __m256 c0, c1;
    Columns(w, depth, k, &c0, &c1);
    acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_broadcast_ss(x + k), c0));
    acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_broadcast_ss(x + k + 1), c1));
  }
  if (k < depth) {
    const int32_t d = depth;
    acc = _mm256_add_ps(
        acc, _mm256_mul_ps(_mm256_broadcast_ss(x + k),
                           _mm256_setr_ps(w[k], w[d + k], w[2 * d + k], w[3 * d + k], w[4 * d + k],
                                          w[5 * d + k], w[6 * d + k], w[7 * d + k])));
  }
  return acc;
}

// Sixteen rows: two groups of eight sharing each broadcast of x.
__attribute__((target("avx"))) void DotFloatInOrderx16(const float* x, const float* w,
                                                       int32_t depth, __m256* t0, __m256* t1) {
  const int32_t d = depth;
  const float* w8 = w + 8 * d;
  __m256 a = _mm256_setzero_ps(), b = _mm256_setzero_ps();
  int32_t k = 0;
  for (; k + 2 <= depth; k += 2) {
    __m256 c0, c1, e0, e1;
    Columns(w, d, k, &c0, &c1);
    Columns(w8, d, k, &e0, &e1);
    const __m256 x0 = _mm256_broadcast_ss(x + k), x1 = _mm256_broadcast_ss(x + k + 1);
    a = _mm256_add_ps(_mm256_add_ps(a, _mm256_mul_ps(x0, c0)), _mm256_mul_ps(x1, c1));
    b = _mm256_add_ps(_mm256_add_ps(b, _mm256_mul_ps(x0, e0)), _mm256_mul_ps(x1, e1));
  }
  if (k < depth) {
    const __m256 xk = _mm256_broadcast_ss(x + k);
    a = _mm256_add_ps(a, _mm256_mul_ps(xk, _mm256_setr_ps(w[k], w[d + k], w[2 * d + k],
                                                          w[3 * d + k], w[4 * d + k], w[5 * d + k],
                                                          w[6 * d + k], w[7 * d + k])));
    b = _mm256_add_ps(
        b, _mm256_mul_ps(
               xk, _mm256_setr_ps(w8[k], w8[d + k], w8[2 * d + k], w8[3 * d + k], w8[4 * d + k],
                                  w8[5 * d + k], w8[6 * d + k], w8[7 * d + k])));
  }
  *t0 = a;
  *t1 = b;
}

// y[o..o+7] = clamp(total + bias[o..o+7]).
__attribute__((target("avx"), always_inline)) inline void StoreRows(__m256 total, const float* bias,
                                                                    int32_t o, __m256 lo, __m256 hi,
                                                                    float* y) {
  const __m256 b = bias != nullptr ? _mm256_loadu_ps(bias + o) : _mm256_setzero_ps();
  _mm256_storeu_ps(y + o, _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(total, b), lo), hi));
}

}  // namespace

__attribute__((target("avx"))) void FloatRowsAvx(const float* x, const float* weights,
                                                 const float* bias, int32_t depth, int32_t rows,
                                                 float act_min, float act_max, float* y) {
  const __m256 lo = _mm256_set1_ps(act_min), hi = _mm256_set1_ps(act_max);
  int32_t o = 0;
  for (; o + 16 <= rows; o += 16) {  // 16 rows sharing the broadcasts of x
    __m256 t0, t1;
    DotFloatInOrderx16(x, weights + o * depth, depth, &t0, &t1);
    StoreRows(t0, bias, o, lo, hi, y);
    StoreRows(t1, bias, o + 8, lo, hi, y);
  }
  for (; o + 8 <= rows; o += 8) {
    StoreRows(DotFloatInOrderx8(x, weights + o * depth, depth), bias, o, lo, hi, y);
  }
}

// MultiplyByQuantizedMultiplier on 8 lanes (shifts <= 0), then + zero point and clamp:
//   high = (acc * m + 2^30) >> 31         signed 64-bit products (vpmuldq), bits 31..62
//   out  = (high >> r) + (remainder > threshold)   RoundingDivideByPOT, per-lane r (vpsravd)
__attribute__((target("avx2"))) __m128i RequantizeNarrow8Avx2(
    __m128i acc_lo, __m128i acc_hi, const int32_t* multipliers, const int8_t* shifts,
    int32_t multiplier, int32_t shift, int32_t zero_point, int32_t act_min, int32_t act_max) {
  const __m256i acc = _mm256_set_m128i(acc_hi, acc_lo);
  __m256i m, r;
  if (multipliers != nullptr) {
    m = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(multipliers));
    r = _mm256_sub_epi32(
        _mm256_setzero_si256(),
        _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(shifts))));
  } else {
    m = _mm256_set1_epi32(multiplier);
    r = _mm256_set1_epi32(-shift);
  }
  const __m256i half = _mm256_set1_epi64x(int64_t{1} << 30);
  const __m256i even = _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(acc, m), half), 31);
  const __m256i odd = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(acc, 32), _mm256_srli_epi64(m, 32)), half);
  // Odd results: bits 31..62 moved to the high dword of each 64-bit lane (shift left by 1).
  const __m256i high = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 1), 0xAA);
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, r), one);
  const __m256i remainder = _mm256_and_si256(high, mask);
  const __m256i threshold =
      _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), _mm256_srai_epi32(high, 31));
  const __m256i out =
      _mm256_sub_epi32(_mm256_srav_epi32(high, r), _mm256_cmpgt_epi32(remainder, threshold));
  __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(out), _mm256_extracti128_si256(out, 1));
  w = _mm_adds_epi16(w, _mm_set1_epi16(static_cast<int16_t>(zero_point)));
  w = _mm_min_epi16(_mm_max_epi16(w, _mm_set1_epi16(static_cast<int16_t>(act_min))),
                    _mm_set1_epi16(static_cast<int16_t>(act_max)));
  return _mm_packs_epi16(w, w);
}

}  // namespace emlkit::rt::x86
