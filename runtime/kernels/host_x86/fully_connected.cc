// Host (x86-64, SSE2) FULLY_CONNECTED kernels: four output rows per pass over the input, int8
// widened to int16 and multiplied with pmaddwd. Bit-exact with kernels/reference/; float sums
// in k order one lane per row, so float results are identical to the reference's.
#include "kernels/fully_connected.h"
#include "kernels/fixed_point.h"
#include "kernels/host_x86/simd.h"

#include <immintrin.h>

namespace emlkit::rt {
namespace {

// Eight float rows at once with AVX (chosen at run time; SSE2 below otherwise): lane r of the
// accumulator sums row r strictly in k order, so results stay identical to the reference. No FMA:
// a fused multiply-add would round differently.
__attribute__((target("avx"))) __m256 DotFloatInOrderx8Avx(const float* x, const float* w,
                                                           int32_t depth) {
  const float* r[8];
  for (int j = 0; j < 8; ++j) r[j] = w + j * depth;
  auto pair = [](const float* lo, const float* hi, int32_t k) {  // [lo[k] lo[k+1] hi[k] hi[k+1]]
    return _mm_loadh_pi(_mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(lo + k))),
                        reinterpret_cast<const __m64*>(hi + k));
  };
  __m256 acc = _mm256_setzero_ps();
  int32_t k = 0;
  for (; k + 2 <= depth; k += 2) {
    const __m256 ac =
        _mm256_insertf128_ps(_mm256_castps128_ps256(pair(r[0], r[1], k)), pair(r[4], r[5], k), 1);
    const __m256 bd =
        _mm256_insertf128_ps(_mm256_castps128_ps256(pair(r[2], r[3], k)), pair(r[6], r[7], k), 1);
    acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_broadcast_ss(x + k),
                                           _mm256_shuffle_ps(ac, bd, _MM_SHUFFLE(2, 0, 2, 0))));
    acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_broadcast_ss(x + k + 1),
                                           _mm256_shuffle_ps(ac, bd, _MM_SHUFFLE(3, 1, 3, 1))));
  }
  if (k < depth) {
    acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_broadcast_ss(x + k),
                                           _mm256_setr_ps(r[0][k], r[1][k], r[2][k], r[3][k],
                                                          r[4][k], r[5][k], r[6][k], r[7][k])));
  }
  return acc;
}

__attribute__((target("avx"))) void FloatRowsAvx(const float* x, const float* weights,
                                                 const float* bias, int32_t depth, int32_t rows,
                                                 float act_min, float act_max, float* y) {
  const __m256 lo = _mm256_set1_ps(act_min), hi = _mm256_set1_ps(act_max);
  for (int32_t o = 0; o + 8 <= rows; o += 8) {
    const __m256 total = DotFloatInOrderx8Avx(x, weights + o * depth, depth);
    const __m256 b = bias != nullptr ? _mm256_loadu_ps(bias + o) : _mm256_setzero_ps();
    _mm256_storeu_ps(y + o, _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(total, b), lo), hi));
  }
}

void EvalInt8(const EvalContext& ctx, const FullyConnectedRecord& r, const int32_t* multipliers,
              const int8_t* shifts) {
  const int8_t* input = ctx.Ptr<const int8_t>(r.input);
  const int8_t* weights = ctx.Ptr<const int8_t>(r.weights);
  const int32_t* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  int8_t* output = ctx.Ptr<int8_t>(r.output);
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  for (int32_t b = 0; b < r.batches; ++b) {
    const int8_t* x = input + b * depth;
    int8_t* y = output + b * outputs;
    for (int32_t o = 0; o < outputs; o += 4) {
      const int32_t rows = outputs - o < 4 ? outputs - o : 4;
      const int8_t* w = weights + o * depth;
      const int32_t last = rows - 1;  // rows past the end repeat the last one (ignored)
      alignas(16) int32_t acc[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(acc),
                      x86::DotInt8x4(x, r.input_offset, w, w + (last < 1 ? last : 1) * depth,
                                     w + (last < 2 ? last : 2) * depth,
                                     w + (last < 3 ? last : 3) * depth, depth));
      for (int32_t j = 0; j < rows; ++j) {
        const int32_t v = bias != nullptr ? fx::WrapAdd(acc[j], bias[o + j]) : acc[j];
        const int32_t m = multipliers != nullptr ? multipliers[o + j] : r.multiplier;
        const int32_t s = shifts != nullptr ? shifts[o + j] : r.shift;
        y[o + j] = static_cast<int8_t>(
            fx::RequantizeClamp(v, m, s, r.output_offset, r.act_min, r.act_max));
      }
    }
  }
}

}  // namespace

void EvalFullyConnectedInt8(const EvalContext& ctx, const void* record) {
  EvalInt8(ctx, *static_cast<const FullyConnectedRecord*>(record), nullptr, nullptr);
}

void EvalFullyConnectedInt8PerChannel(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const uint8_t* tail = static_cast<const uint8_t*>(record) + r.per_channel;
  EvalInt8(ctx, r, reinterpret_cast<const int32_t*>(tail),
           reinterpret_cast<const int8_t*>(tail + 4 * r.output_depth));
}

void EvalFullyConnectedFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const float* input = ctx.Ptr<const float>(r.input);
  const float* weights = ctx.Ptr<const float>(r.weights);
  const float* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const float>(r.bias);
  float* output = ctx.Ptr<float>(r.output);
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  const __m128 lo = _mm_set1_ps(r.f_act_min), hi = _mm_set1_ps(r.f_act_max);
  // total + bias, clamped: the reference's exact operation order.
  auto finish = [&](__m128 total, int32_t o) {
    const __m128 b = bias != nullptr ? _mm_loadu_ps(bias + o) : _mm_setzero_ps();
    return _mm_min_ps(_mm_max_ps(_mm_add_ps(total, b), lo), hi);
  };
  for (int32_t b = 0; b < r.batches; ++b) {
    const float* x = input + b * depth;
    float* y = output + b * outputs;
    int32_t o = 0;
    if (__builtin_cpu_supports("avx")) {
      FloatRowsAvx(x, weights, bias, depth, outputs, r.f_act_min, r.f_act_max, y);
      o = outputs & ~7;
    }
    for (; o + 8 <= outputs; o += 8) {
      const float* w = weights + o * depth;
      const x86::FloatRows4 g0{{w, w + depth, w + 2 * depth, w + 3 * depth}};
      const x86::FloatRows4 g1{{w + 4 * depth, w + 5 * depth, w + 6 * depth, w + 7 * depth}};
      __m128 t0, t1;
      x86::DotFloatInOrderx8(x, g0, g1, depth, &t0, &t1);
      _mm_storeu_ps(y + o, finish(t0, o));
      _mm_storeu_ps(y + o + 4, finish(t1, o + 4));
    }
    for (; o + 4 <= outputs; o += 4) {
      const float* w = weights + o * depth;
      const x86::FloatRows4 g{{w, w + depth, w + 2 * depth, w + 3 * depth}};
      _mm_storeu_ps(y + o, finish(x86::DotFloatInOrderx4(x, g, depth), o));
    }
    for (; o < outputs; ++o) {  // last rows one at a time, in order
      const float* w = weights + o * depth;
      float total = 0.0f;
      for (int32_t d = 0; d < depth; ++d) total += x[d] * w[d];
      float v = total + (bias != nullptr ? bias[o] : 0.0f);
      y[o] = v < r.f_act_min ? r.f_act_min : (v > r.f_act_max ? r.f_act_max : v);
    }
  }
}

}  // namespace emlkit::rt
