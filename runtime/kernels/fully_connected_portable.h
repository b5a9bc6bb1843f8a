// The FULLY_CONNECTED driver loops shared by kernels/reference/ and kernels/arm_dsp/ (one
// definition of the arithmetic; the variants differ only in the dot products they plug in).
//
// int8: out[b][o] = clamp(requantize(bias[o] + sum_d (x[b][d] + input_offset) * w[o][d]) + output
// zero point). Each input row is first copied, plus the input offset, into an int16 scratch row
// (the variant's Dot chooses the layout), so the inner loops add no offset per multiply. Sums wrap
// modulo 2^32 like TFLite's int32 accumulator, so the result is TFLite's to the bit.
#ifndef EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_PORTABLE_H_
#define EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_PORTABLE_H_

#include <cstdint>

#include "kernels/fixed_point.h"
#include "kernels/fully_connected.h"

namespace emlkit::rt::portable {

// The record's fields an int8 Eval needs, hoisted into one struct of locals.
struct FcInt8 {
  const int8_t* input;
  const int8_t* weights;
  const int32_t* bias;  // may be null
  int8_t* output;
  int16_t* scratch;            // one input row plus the offset, in the Dot's layout
  const int32_t* multipliers;  // per channel (with shifts), or null
  const int8_t* shifts;
  int32_t multiplier, left, right;  // per tensor
  int32_t batches, depth, outputs;
  int32_t input_offset, output_offset, act_min, act_max;
};

inline FcInt8 FcInt8Args(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const uint8_t* base = static_cast<const uint8_t*>(record);
  FcInt8 a;
  a.input = ctx.Ptr<const int8_t>(r.input);
  a.weights = ctx.Ptr<const int8_t>(r.weights);
  a.bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  a.output = ctx.Ptr<int8_t>(r.output);
  a.scratch = r.scratch == kNoRef ? nullptr : ctx.Ptr<int16_t>(r.scratch);
  a.multipliers = nullptr;
  a.shifts = nullptr;
  if (r.per_channel != 0) {
    a.multipliers = reinterpret_cast<const int32_t*>(base + r.per_channel);
    a.shifts = reinterpret_cast<const int8_t*>(base + r.per_channel + 4 * r.output_depth);
  }
  a.multiplier = r.multiplier;
  a.left = r.shift > 0 ? r.shift : 0;
  a.right = r.shift > 0 ? 0 : -r.shift;
  a.batches = r.batches;
  a.depth = r.accum_depth;
  a.outputs = r.output_depth;
  a.input_offset = r.input_offset;
  a.output_offset = r.output_offset;
  a.act_min = r.act_min;
  a.act_max = r.act_max;
  return a;
}

// Requantizes one accumulator (TFLite's MultiplyByQuantizedMultiplier, + zero point, clamp).
EMLKIT_RT_INLINE int8_t FcRequantize(int32_t acc, int32_t multiplier, int32_t left, int32_t right,
                                     int32_t zp, int32_t lo, int32_t hi) {
  int32_t v = fx::MultiplyByQuantizedMultiplierSplit(acc, multiplier, left, right) + zp;
  v = v < lo ? lo : v;
  v = v > hi ? hi : v;
  return static_cast<int8_t>(v);
}

// Dot: a type with static
//   Input(x, depth, input_offset, xs)  writes x[d] + input_offset (int16) into xs, its layout;
//   Four(xs, w, depth, out[4])          the rows w + r * depth, r < 4;
//   Two(xs, w0, w1, depth, &d0, &d1);  One(xs, w, depth) -> int32;
// all sum_d (x[d] + input_offset) * w[d] wrapping modulo 2^32. Everything the loop reads is
// copied into locals first: the int8 output stores may alias any memory, so fields read through a
// pointer would be reloaded after every store.
template <class Dot, bool kPerChannel>
void FullyConnectedInt8Loop(const FcInt8& a) {
  const int32_t depth = a.depth, outputs = a.outputs, batches = a.batches;
  const int32_t zp = a.output_offset, lo = a.act_min, hi = a.act_max;
  const int32_t* const bias = a.bias;
  const int32_t* const multipliers = a.multipliers;
  const int8_t* const shifts = a.shifts;
  const int32_t multiplier = a.multiplier, left = a.left, right = a.right;
  const int8_t* const weights = a.weights;
  int16_t* const xs = a.scratch;
  const int8_t* x = a.input;
  int8_t* y = a.output;
  auto finish = [&](int32_t o, int32_t dot) EMLKIT_RT_INLINE_LAMBDA {
    const int32_t acc = bias != nullptr ? fx::WrapAdd(dot, bias[o]) : dot;
    if (kPerChannel) {
      const int32_t shift = shifts[o];
      return FcRequantize(acc, multipliers[o], shift > 0 ? shift : 0, shift > 0 ? 0 : -shift, zp,
                          lo, hi);
    }
    return FcRequantize(acc, multiplier, left, right, zp, lo, hi);
  };
  for (int32_t b = 0; b < batches; ++b, x += depth, y += outputs) {
    Dot::Input(x, depth, a.input_offset, xs);
    const int8_t* w = weights;
    int32_t o = 0;
    for (; o + 4 <= outputs; o += 4, w += 4 * depth) {
      int32_t d[4];
      Dot::Four(xs, w, depth, d);
      y[o] = finish(o, d[0]);
      y[o + 1] = finish(o + 1, d[1]);
      y[o + 2] = finish(o + 2, d[2]);
      y[o + 3] = finish(o + 3, d[3]);
    }
    for (; o + 2 <= outputs; o += 2, w += 2 * depth) {
      int32_t d0 = 0, d1 = 0;
      Dot::Two(xs, w, w + depth, depth, &d0, &d1);
      y[o] = finish(o, d0);
      y[o + 1] = finish(o + 1, d1);
    }
    if (o < outputs) y[o] = finish(o, Dot::One(xs, w, depth));
  }
}

// Without scratch (input rows too long for one, see kMaxScratchDepth): the offset is added per
// multiply, one output at a time.
inline void FullyConnectedInt8NoScratch(const FcInt8& a) {
  const int8_t* x = a.input;
  int8_t* y = a.output;
  for (int32_t b = 0; b < a.batches; ++b, x += a.depth) {
    const int8_t* w = a.weights;
    for (int32_t o = 0; o < a.outputs; ++o, w += a.depth) {
      uint32_t acc = a.bias != nullptr ? static_cast<uint32_t>(a.bias[o]) : 0u;
      for (int32_t d = 0; d < a.depth; ++d) {
        acc += static_cast<uint32_t>((x[d] + a.input_offset) * w[d]);
      }
      int32_t multiplier = a.multiplier, left = a.left, right = a.right;
      if (a.multipliers != nullptr) {
        multiplier = a.multipliers[o];
        left = a.shifts[o] > 0 ? a.shifts[o] : 0;
        right = a.shifts[o] > 0 ? 0 : -a.shifts[o];
      }
      *y++ = FcRequantize(static_cast<int32_t>(acc), multiplier, left, right, a.output_offset,
                          a.act_min, a.act_max);
    }
  }
}

// The longest input row copied into scratch (2 bytes per element): longer rows (e.g. a
// FULLY_CONNECTED over a whole feature map) take FullyConnectedInt8NoScratch, so the scratch
// never grows the arena by more than 2 KiB.
constexpr int32_t kMaxScratchDepth = 1024;

inline uint32_t ScratchBytesForDepth(int32_t depth) {
  return depth <= kMaxScratchDepth ? 2 * static_cast<uint32_t>(depth) : 0;
}

template <class Dot>
inline void FullyConnectedInt8(const FcInt8& a) {
  if (a.scratch == nullptr) {
    FullyConnectedInt8NoScratch(a);
  } else if (a.multipliers != nullptr) {
    FullyConnectedInt8Loop<Dot, true>(a);
  } else {
    FullyConnectedInt8Loop<Dot, false>(a);
  }
}

// Float FULLY_CONNECTED, summing in TFLite's order (d ascending, then + bias), no FMA.
inline void FullyConnectedFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const float* input = ctx.Ptr<const float>(r.input);
  const float* weights = ctx.Ptr<const float>(r.weights);
  const float* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const float>(r.bias);
  float* output = ctx.Ptr<float>(r.output);
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  const float lo = r.f_act_min, hi = r.f_act_max;
  for (int32_t b = 0; b < r.batches; ++b) {
    const float* x = input + b * depth;
    const float* w = weights;
    for (int32_t o = 0; o < outputs; ++o, w += depth) {
      float total = 0.0f;
      for (int32_t d = 0; d < depth; ++d) total += x[d] * w[d];
      float v = total + (bias != nullptr ? bias[o] : 0.0f);
      v = v < lo ? lo : v;
      v = v > hi ? hi : v;
      output[b * outputs + o] = v;
    }
  }
}

}  // namespace emlkit::rt::portable

#endif  // EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_PORTABLE_H_
