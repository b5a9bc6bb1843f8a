// Host (x86-64, SSE2) FULLY_CONNECTED kernels: four output rows per pass over the input, int8
// widened to int16 and multiplied with pmaddwd. Bit-exact with kernels/reference/; float sums
// in k order one lane per row, so float results are identical to the reference's.
#include "kernels/fully_connected.h"
#include <string.h>

#include "kernels/fixed_point.h"
#include "kernels/host_x86/avx.h"
#include "kernels/host_x86/requantize.h"
#include "kernels/host_x86/simd.h"

namespace emlkit {
namespace rt {
namespace {

// 16 bytes at p, of which only `available` may be read (the rest comes back as zeros).
inline __m128i SafeLoad16(const int8_t* p, int32_t available) {
  if (available >= 16) return x86::Load16(p);
  alignas(16) int8_t tmp[16] = {};
  memcpy(tmp, p, static_cast<size_t>(available > 0 ? available : 0));
  return _mm_load_si128(reinterpret_cast<const __m128i*>(tmp));
}

// Partial sums of one short row (depth <= 16) loaded as 16 bytes: lanes past the row meet
// x + offset == 0. Rows of at most 8 need only the low half.
template <bool kWide>
inline __m128i ShortRow(__m128i v, __m128i xl, __m128i xh) {
  const __m128i lo = _mm_madd_epi16(x86::WidenLo(v), xl);
  return kWide ? _mm_add_epi32(lo, _mm_madd_epi16(x86::WidenHi(v), xh)) : lo;
}

// Eight short rows w, w + depth, ... (16 readable bytes each): their 8 sums.
template <bool kWide>
inline void ShortRows8(const int8_t* w, int32_t depth, __m128i xl, __m128i xh, __m128i* a0,
                       __m128i* a1) {
  *a0 = x86::HorizontalSum4(ShortRow<kWide>(x86::Load16(w), xl, xh),
                            ShortRow<kWide>(x86::Load16(w + depth), xl, xh),
                            ShortRow<kWide>(x86::Load16(w + 2 * depth), xl, xh),
                            ShortRow<kWide>(x86::Load16(w + 3 * depth), xl, xh));
  *a1 = x86::HorizontalSum4(ShortRow<kWide>(x86::Load16(w + 4 * depth), xl, xh),
                            ShortRow<kWide>(x86::Load16(w + 5 * depth), xl, xh),
                            ShortRow<kWide>(x86::Load16(w + 6 * depth), xl, xh),
                            ShortRow<kWide>(x86::Load16(w + 7 * depth), xl, xh));
}

// What every row group of one int8 Eval shares.
struct Int8Layer {
  const FullyConnectedRecord& r;
  const int8_t* weights;
  const int32_t* bias;         // may be null
  const int32_t* multipliers;  // null: per tensor
  const int8_t* shifts;
  x86::UniformRequantizer uniform;
  x86::Int8Narrower narrow;
  bool avx2;

  int32_t Multiplier(int32_t o) const { return multipliers ? multipliers[o] : r.multiplier; }
  int32_t Shift(int32_t o) const { return shifts ? shifts[o] : r.shift; }
  int32_t Readable(int32_t row) const { return r.weights_readable - row * r.accum_depth; }

  // Rows o..o+7 from their 8 accumulators (bias added here) into y[o..o+7].
  __attribute__((always_inline)) void Finish8(__m128i a0, __m128i a1, int32_t o, int8_t* y) const {
    if (bias != nullptr) {
      a0 = _mm_add_epi32(a0, x86::Load16(bias + o));
      a1 = _mm_add_epi32(a1, x86::Load16(bias + o + 4));
    }
    if (avx2) {  // per-lane shifts: AVX2 has variable shifts (chosen at Prepare)
      _mm_storel_epi64(reinterpret_cast<__m128i*>(y + o),
                       x86::RequantizeNarrow8Avx2(a0, a1, multipliers + o, shifts + o, 0, 0,
                                                  r.output_offset, r.act_min, r.act_max));
      return;
    }
    if (multipliers == nullptr) {
      a0 = uniform.Apply(a0);
      a1 = uniform.Apply(a1);
    } else {
      a0 = x86::MultiplyByQuantizedMultiplier4(a0, x86::Load16(multipliers + o),
                                               x86::ShiftFactors(shifts + o));
      a1 = x86::MultiplyByQuantizedMultiplier4(a1, x86::Load16(multipliers + o + 4),
                                               x86::ShiftFactors(shifts + o + 4));
    }
    _mm_storel_epi64(reinterpret_cast<__m128i*>(y + o), narrow.Narrow8(a0, a1));
  }

  // One row's accumulator (bias included) requantized into y[o].
  void FinishOne(int32_t acc, int32_t o, int8_t* y) const {
    if (bias != nullptr) acc = fx::WrapAdd(acc, bias[o]);
    y[o] = static_cast<int8_t>(
        fx::RequantizeClamp(acc, Multiplier(o), Shift(o), r.output_offset, r.act_min, r.act_max));
  }
};

int32_t Sum4(__m128i v) {
  alignas(16) int32_t lane[4];
  _mm_store_si128(reinterpret_cast<__m128i*>(lane), v);
  return fx::WrapAdd(fx::WrapAdd(lane[0], lane[1]), fx::WrapAdd(lane[2], lane[3]));
}

// kAvx2: per-channel requantization with AVX2 (only when every shift is <= 0).
template <bool kAvx2>
void EvalInt8(const EvalContext& ctx, const FullyConnectedRecord& r, const int32_t* multipliers,
              const int8_t* shifts) {
  const int8_t* input = ctx.Ptr<const int8_t>(r.input);
  int8_t* output = ctx.Ptr<int8_t>(r.output);
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  const bool vector_requant = r.max_shift <= 0;  // else a multiplier above one: scalar only
  const Int8Layer layer{r,
                        ctx.Ptr<const int8_t>(r.weights),
                        r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias),
                        multipliers,
                        shifts,
                        x86::UniformRequantizer(r.multiplier, vector_requant ? r.shift : 0),
                        x86::Int8Narrower(r.output_offset, r.act_min, r.act_max),
                        kAvx2};
  const int8_t* weights = layer.weights;
  const __m128i off = _mm_set1_epi16(static_cast<int16_t>(r.input_offset));
  for (int32_t b = 0; b < r.batches; ++b) {
    const int8_t* x = input + b * depth;
    int8_t* y = output + b * outputs;
    int32_t o = 0;
    if (depth <= 16) {
      // Short rows: the input widened once; one 16-byte load per row, whose lanes past the row
      // meet the zero point (x + offset == 0) and so add nothing.
      __m128i xv;
      if (depth == 16) {
        xv = x86::Load16(x);
      } else {
        alignas(16) int8_t xb[16];
        memset(xb, -r.input_offset, sizeof(xb));
        memcpy(xb, x, static_cast<size_t>(depth));
        xv = _mm_load_si128(reinterpret_cast<const __m128i*>(xb));
      }
      const __m128i xl = _mm_add_epi16(x86::WidenLo(xv), off);
      const __m128i xh = _mm_add_epi16(x86::WidenHi(xv), off);
      if (vector_requant) {
        for (; o + 8 <= outputs && layer.Readable(o + 7) >= 16; o += 8) {
          __m128i a0, a1;
          if (depth > 8) {
            ShortRows8<true>(weights + o * depth, depth, xl, xh, &a0, &a1);
          } else {
            ShortRows8<false>(weights + o * depth, depth, xl, xh, &a0, &a1);
          }
          layer.Finish8(a0, a1, o, y);
        }
      }
      for (; o < outputs; ++o) {  // the rest one row at a time
        layer.FinishOne(
            Sum4(ShortRow<true>(SafeLoad16(weights + o * depth, layer.Readable(o)), xl, xh)), o, y);
      }
      continue;
    }
    // Long rows: four at a time through the input.
    for (; o < outputs; o += 4) {
      const int32_t rows = outputs - o < 4 ? outputs - o : 4;
      const int8_t* w = weights + o * depth;
      const int32_t last = rows - 1;  // rows past the end repeat the last one (ignored)
      alignas(16) int32_t acc[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(acc),
                      x86::DotInt8x4(x, r.input_offset, w, w + (last < 1 ? last : 1) * depth,
                                     w + (last < 2 ? last : 2) * depth,
                                     w + (last < 3 ? last : 3) * depth, depth));
      for (int32_t j = 0; j < rows; ++j) layer.FinishOne(acc[j], o + j, y);
    }
  }
}

// One batch row of a float FULLY_CONNECTED.
struct FloatRows {
  const float* x;
  const float* weights;
  const float* bias;  // may be null
  float* y;
  int32_t depth;
  float act_min, act_max;
};

// One product per row: y = clamp((0 + x * w) + bias), the reference's exact operations. Returns
// the rows done (a multiple of 4).
__attribute__((noinline)) int32_t FloatDepthOne(const FloatRows& r, int32_t outputs) {
  const __m128 lo = _mm_set1_ps(r.act_min), hi = _mm_set1_ps(r.act_max);
  const __m128 xv = _mm_set1_ps(r.x[0]);
  int32_t o = 0;
  for (; o + 4 <= outputs; o += 4) {
    __m128 v = _mm_add_ps(_mm_setzero_ps(), _mm_mul_ps(xv, _mm_loadu_ps(r.weights + o)));
    v = _mm_add_ps(v, r.bias != nullptr ? _mm_loadu_ps(r.bias + o) : _mm_setzero_ps());
    _mm_storeu_ps(r.y + o, _mm_min_ps(_mm_max_ps(v, lo), hi));
  }
  return o;
}

// Four rows at a time with SSE2 (each summed in k order). Returns the rows done.
__attribute__((noinline)) int32_t FloatRowsSse(const FloatRows& r, int32_t outputs) {
  const __m128 lo = _mm_set1_ps(r.act_min), hi = _mm_set1_ps(r.act_max);
  const int32_t depth = r.depth;
  int32_t o = 0;
  for (; o + 4 <= outputs; o += 4) {
    const float* w = r.weights + o * depth;
    const x86::FloatRows4 g{{w, w + depth, w + 2 * depth, w + 3 * depth}};
    const __m128 total = x86::DotFloatInOrderx4(r.x, g, depth);
    const __m128 bv = r.bias != nullptr ? _mm_loadu_ps(r.bias + o) : _mm_setzero_ps();
    _mm_storeu_ps(r.y + o, _mm_min_ps(_mm_max_ps(_mm_add_ps(total, bv), lo), hi));
  }
  return o;
}

// Rows [begin, end) one at a time, in order: products four at a time, added one by one.
__attribute__((noinline)) void FloatRowsScalar(const FloatRows& r, int32_t begin, int32_t end) {
  for (int32_t o = begin; o < end; ++o) {
    const float* w = r.weights + o * r.depth;
    float total = 0.0f;
    int32_t d = 0;
    for (; d + 4 <= r.depth; d += 4) {
      alignas(16) float p[4];
      _mm_store_ps(p, _mm_mul_ps(_mm_loadu_ps(r.x + d), _mm_loadu_ps(w + d)));
      total = (((total + p[0]) + p[1]) + p[2]) + p[3];
    }
    for (; d < r.depth; ++d) total += r.x[d] * w[d];
    const float v = total + (r.bias != nullptr ? r.bias[o] : 0.0f);
    r.y[o] = v < r.act_min ? r.act_min : (v > r.act_max ? r.act_max : v);
  }
}

void EvalFullyConnectedInt8(const EvalContext& ctx, const void* record) {
  EvalInt8<false>(ctx, *static_cast<const FullyConnectedRecord*>(record), nullptr, nullptr);
}

template <bool kAvx2>
void EvalFullyConnectedInt8PerChannel(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const uint8_t* tail = static_cast<const uint8_t*>(record) + r.per_channel;
  EvalInt8<kAvx2>(ctx, r, reinterpret_cast<const int32_t*>(tail),
                  reinterpret_cast<const int8_t*>(tail + 4 * r.output_depth));
}

void EvalFullyConnectedFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const float* input = ctx.Ptr<const float>(r.input);
  const float* weights = ctx.Ptr<const float>(r.weights);
  const float* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const float>(r.bias);
  float* output = ctx.Ptr<float>(r.output);
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  for (int32_t b = 0; b < r.batches; ++b) {
    const FloatRows rows{input + b * depth, weights,    bias, output + b * outputs, depth,
                         r.f_act_min,       r.f_act_max};
    int32_t o = 0;
    if (depth == 1) {
      o = FloatDepthOne(rows, outputs);
    } else {
      o = FloatRowsSse(rows, outputs);
    }
    if (o < outputs) FloatRowsScalar(rows, o, outputs);
  }
}

}  // namespace

uint32_t FullyConnectedScratchBytes(const FullyConnectedRecord&) { return 0; }

EvalFn SelectFullyConnectedEval(const FullyConnectedRecord& r, bool is_float) {
  if (is_float) {
    if (x86::HasAvx()) return x86::FullyConnectedFloatAvx(r.accum_depth, r.output_depth);
    return &EvalFullyConnectedFloat;
  }
  if (r.per_channel == 0) return &EvalFullyConnectedInt8;
  if (r.max_shift <= 0 && x86::HasAvx2()) return &EvalFullyConnectedInt8PerChannel<true>;
  return &EvalFullyConnectedInt8PerChannel<false>;
}

}  // namespace rt
}  // namespace emlkit
