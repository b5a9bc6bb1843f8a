#include "kernels/host_x86/avx.h"

#include <immintrin.h>

#include "kernels/fully_connected.h"

namespace emlkit {
namespace rt {
namespace x86 {
namespace {

bool g_force_sse2 = false;  // constant-initialized; only tests change it

}  // namespace

bool HasAvx() { return !g_force_sse2 && __builtin_cpu_supports("avx"); }
bool HasAvx2() { return !g_force_sse2 && __builtin_cpu_supports("avx2"); }
void ForceSse2ForTesting(bool on) { g_force_sse2 = on; }

namespace {

// Float FULLY_CONNECTED keeps the reference's arithmetic exactly: each output is
// ((0 + x[0]*w[0]) + x[1]*w[1]) + ... summed in k order, then + bias, then clamped. Lanes hold
// different rows (never different k of one row), and there is no FMA (it rounds differently).

// Rows o..o+7, columns k..k+3 (row stride d), transposed: c[j] lane i = w[o + i][k + j].
__attribute__((target("avx"), always_inline)) inline void Block8x4(const float* w, int32_t d,
                                                                   __m256 c[4]) {
  const float* w4 = w + 4 * d;
  __m256 a[4];
  for (int i = 0; i < 4; ++i) {
    a[i] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(w + i * d)),
                                _mm_loadu_ps(w4 + i * d), 1);
  }
  const __m256 t0 = _mm256_unpacklo_ps(a[0], a[1]), t1 = _mm256_unpackhi_ps(a[0], a[1]);
  const __m256 t2 = _mm256_unpacklo_ps(a[2], a[3]), t3 = _mm256_unpackhi_ps(a[2], a[3]);
  c[0] = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
  c[1] = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
  c[2] = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
  c[3] = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
}

// Column k of rows o..o+7.
__attribute__((target("avx"), always_inline)) inline __m256 Column8(const float* w, int32_t d) {
  return _mm256_setr_ps(w[0], w[d], w[2 * d], w[3 * d], w[4 * d], w[5 * d], w[6 * d], w[7 * d]);
}

// One float FULLY_CONNECTED record, unpacked.
struct FloatFc {
  const float* x;
  const float* w;
  const float* bias;  // null when absent
  float* y;
  int32_t depth, rows, batches;
  float lo, hi;
};

__attribute__((always_inline)) inline FloatFc Unpack(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  return {ctx.Ptr<const float>(r.input),
          ctx.Ptr<const float>(r.weights),
          r.bias == kNoRef ? nullptr : ctx.Ptr<const float>(r.bias),
          ctx.Ptr<float>(r.output),
          r.accum_depth,
          r.output_depth,
          r.batches,
          r.f_act_min,
          r.f_act_max};
}

// y[0..7] = clamp(total + bias[0..7]) with the reference's clamp (v < lo ? lo : v, then
// v > hi ? hi : v; a NaN passes through).
__attribute__((target("avx"), always_inline)) inline void Store8(__m256 total, const float* bias,
                                                                 __m256 lo, __m256 hi, float* y) {
  if (bias != nullptr) total = _mm256_add_ps(total, _mm256_loadu_ps(bias));
  _mm256_storeu_ps(y, _mm256_min_ps(hi, _mm256_max_ps(lo, total)));
}

// One output the same way.
__attribute__((target("avx"), always_inline)) inline void Store1(float total, const FloatFc& f,
                                                                 int32_t o, float* y) {
  if (f.bias != nullptr) total += f.bias[o];
  y[o] = total < f.lo ? f.lo : (total > f.hi ? f.hi : total);
}

// Row o: products eight at a time, added one by one in k order.
__attribute__((target("avx"), always_inline)) inline float DotInOrder(const float* x,
                                                                      const float* w,
                                                                      int32_t depth) {
  float total = 0.0f;
  int32_t k = 0;
  for (; k + 8 <= depth; k += 8) {
    alignas(32) float p[8];
    _mm256_store_ps(p, _mm256_mul_ps(_mm256_loadu_ps(x + k), _mm256_loadu_ps(w + k)));
    total = (((((((total + p[0]) + p[1]) + p[2]) + p[3]) + p[4]) + p[5]) + p[6]) + p[7];
  }
  for (; k < depth; ++k) total += x[k] * w[k];
  return total;
}

// Rows of 8 and 16 (two groups of eight sharing each broadcast of x) of one batch row; returns
// the rows done.
__attribute__((target("avx"), always_inline)) inline int32_t Rows8(const FloatFc& f, const float* x,
                                                                   __m256 lo, __m256 hi, float* y) {
  const int32_t d = f.depth;
  int32_t o = 0;
  for (; o + 16 <= f.rows; o += 16) {
    const float* w = f.w + o * d;
    __m256 a = _mm256_setzero_ps(), b = _mm256_setzero_ps();
    int32_t k = 0;
    for (; k + 4 <= d; k += 4) {
      __m256 c[4], e[4];
      Block8x4(w + k, d, c);
      Block8x4(w + 8 * d + k, d, e);
      for (int j = 0; j < 4; ++j) {
        const __m256 xk = _mm256_broadcast_ss(x + k + j);
        a = _mm256_add_ps(a, _mm256_mul_ps(xk, c[j]));
        b = _mm256_add_ps(b, _mm256_mul_ps(xk, e[j]));
      }
    }
    for (; k < d; ++k) {
      const __m256 xk = _mm256_broadcast_ss(x + k);
      a = _mm256_add_ps(a, _mm256_mul_ps(xk, Column8(w + k, d)));
      b = _mm256_add_ps(b, _mm256_mul_ps(xk, Column8(w + 8 * d + k, d)));
    }
    Store8(a, f.bias == nullptr ? nullptr : f.bias + o, lo, hi, y + o);
    Store8(b, f.bias == nullptr ? nullptr : f.bias + o + 8, lo, hi, y + o + 8);
  }
  for (; o + 8 <= f.rows; o += 8) {
    const float* w = f.w + o * d;
    __m256 a = _mm256_setzero_ps();
    int32_t k = 0;
    for (; k + 4 <= d; k += 4) {
      __m256 c[4];
      Block8x4(w + k, d, c);
      for (int j = 0; j < 4; ++j) {
        a = _mm256_add_ps(a, _mm256_mul_ps(_mm256_broadcast_ss(x + k + j), c[j]));
      }
    }
    for (; k < d; ++k) {
      a = _mm256_add_ps(a, _mm256_mul_ps(_mm256_broadcast_ss(x + k), Column8(w + k, d)));
    }
    Store8(a, f.bias == nullptr ? nullptr : f.bias + o, lo, hi, y + o);
  }
  return o;
}

// depth > 1, 8 or more rows.
__attribute__((target("avx"))) void EvalRows(const EvalContext& ctx, const void* record) {
  const FloatFc f = Unpack(ctx, record);
  const __m256 lo = _mm256_set1_ps(f.lo), hi = _mm256_set1_ps(f.hi);
  const float* x = f.x;
  float* y = f.y;
  for (int32_t b = 0; b < f.batches; ++b, x += f.depth, y += f.rows) {
    for (int32_t o = Rows8(f, x, lo, hi, y); o < f.rows; ++o) {
      Store1(DotInOrder(x, f.w + o * f.depth, f.depth), f, o, y);
    }
  }
}

// depth > 1, fewer than 8 rows: one row at a time.
__attribute__((target("avx"))) void EvalDots(const EvalContext& ctx, const void* record) {
  const FloatFc f = Unpack(ctx, record);
  const float* x = f.x;
  float* y = f.y;
  for (int32_t b = 0; b < f.batches; ++b, x += f.depth, y += f.rows) {
    for (int32_t o = 0; o < f.rows; ++o) Store1(DotInOrder(x, f.w + o * f.depth, f.depth), f, o, y);
  }
}

// depth == 1: y[o] = clamp((0 + x * w[o]) + bias[o]).
__attribute__((target("avx"))) void EvalDepthOne(const EvalContext& ctx, const void* record) {
  const FloatFc f = Unpack(ctx, record);
  const __m256 lo = _mm256_set1_ps(f.lo), hi = _mm256_set1_ps(f.hi);
  for (int32_t b = 0; b < f.batches; ++b) {
    const float x = f.x[b];
    float* y = f.y + b * f.rows;
    const __m256 xv = _mm256_set1_ps(x);
    int32_t o = 0;
    for (; o + 8 <= f.rows; o += 8) {
      Store8(_mm256_add_ps(_mm256_setzero_ps(), _mm256_mul_ps(xv, _mm256_loadu_ps(f.w + o))),
             f.bias == nullptr ? nullptr : f.bias + o, lo, hi, y + o);
    }
    for (; o < f.rows; ++o) Store1(0.0f + x * f.w[o], f, o, y);
  }
}

}  // namespace

EvalFn FullyConnectedFloatAvx(int32_t depth, int32_t rows) {
  if (depth == 1) return &EvalDepthOne;
  return rows >= 8 ? &EvalRows : &EvalDots;
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

}  // namespace x86
}  // namespace rt
}  // namespace emlkit
