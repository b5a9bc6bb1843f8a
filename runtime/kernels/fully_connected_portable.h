// The FULLY_CONNECTED driver loops shared by kernels/reference/ and kernels/arm_dsp/ (one
// definition of the arithmetic; the variants differ only in the dot products they plug in).
//
// int8: out[b][o] = clamp(requantize(bias[o] + sum_d (x[b][d] + input_offset) * w[o][d]) + output
// zero point). Each input row is first copied, plus the input offset, into an int16 scratch row
// (the variant's Dot chooses the layout), so the inner loops add no offset per multiply. Sums wrap
// modulo 2^32 like TFLite's int32 accumulator, so the result is TFLite's to the bit.
#ifndef EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_PORTABLE_H_
#define EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_PORTABLE_H_

#include <stdint.h>

#include "kernels/fixed_point.h"
#include "kernels/fully_connected.h"

namespace emlkit {
namespace rt {
namespace portable {

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
  bool left_shifts;                 // some shift > 0 (a multiplier above one)
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
  a.left_shifts = r.max_shift > 0;
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

// Dot: a type with a constant kChunk (outputs summed, then requantized in one run; >= 4) and
// static
//   Input(x, depth, input_offset, xs)  writes x[d] + input_offset (int16) into xs, its layout;
//   Four(xs, w, depth, out[4])          the rows w + r * depth, r < 4;
//   Two(xs, w0, w1, depth, &d0, &d1);  One(xs, w, depth) -> int32;
// all sum_d (x[d] + input_offset) * w[d] wrapping modulo 2^32. Everything the loop reads is
// copied into locals first: the int8 output stores may alias any memory, so fields read through a
// pointer would be reloaded after every store.
// Requantization of output o: per tensor, per channel with any shifts, or per channel with every
// shift <= -1 (multipliers below one half: the common case, decided at Prepare from max_shift).
enum class FcQuant { kPerTensor, kPerTensorRight, kPerChannel, kPerChannelRight };

// y[i] = requantize(d[i] + bias[i]) for i < n: outputs o..o+n-1 of the record r. Not inlined:
// in its own function every value it needs fits in registers.
template <FcQuant kQuant>
__attribute__((noinline)) void FcRequantizeRun(const int32_t* d, int32_t n,
                                               const FullyConnectedRecord& r, const int32_t* bias,
                                               int32_t o, int8_t* y) {
  const uint8_t* tail = reinterpret_cast<const uint8_t*>(&r) + r.per_channel;
  const int32_t* multipliers = reinterpret_cast<const int32_t*>(tail) + o;
  const int8_t* shifts = reinterpret_cast<const int8_t*>(tail + 4 * r.output_depth) + o;
  if (bias != nullptr) bias += o;
  const int32_t zp = r.output_offset, lo = r.act_min, hi = r.act_max;
  const int32_t* const end = d + n;
  for (; d != end; ++d, ++y) {
    int32_t acc = *d;
    if (bias != nullptr) acc = fx::WrapAdd(acc, *bias++);
    int32_t v;
    if (kQuant == FcQuant::kPerTensor) {
      v = fx::MultiplyByQuantizedMultiplier(acc, r.multiplier, r.shift);
    } else if (kQuant == FcQuant::kPerTensorRight) {
      v = fx::MultiplyByQuantizedMultiplierRight(acc, r.multiplier, r.shift);
    } else if (kQuant == FcQuant::kPerChannelRight) {
      v = fx::MultiplyByQuantizedMultiplierRight(acc, *multipliers++, *shifts++);
    } else {
      v = fx::MultiplyByQuantizedMultiplier(acc, *multipliers++, *shifts++);
    }
    v += zp;
    v = v < lo ? lo : v;
    v = v > hi ? hi : v;
    *y = static_cast<int8_t>(v);
  }
}

// The int8 Eval for one kind of requantization (chosen at Prepare by SelectFcInt8).
template <class Dot, FcQuant kQuant>
void FullyConnectedInt8Eval(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  const int32_t* const bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  const int8_t* const weights = ctx.Ptr<const int8_t>(r.weights);
  int16_t* const xs = ctx.Ptr<int16_t>(r.scratch);
  const int8_t* x = ctx.Ptr<const int8_t>(r.input);
  int8_t* y = ctx.Ptr<int8_t>(r.output);
  for (int32_t b = r.batches; b > 0; --b, x += depth, y += outputs) {
    Dot::Input(x, depth, r.input_offset, xs);
    const int8_t* w = weights;
    int32_t acc[Dot::kChunk];
    for (int32_t o0 = 0; o0 < outputs; o0 += Dot::kChunk) {
      const int32_t chunk = outputs - o0 < Dot::kChunk ? outputs - o0 : Dot::kChunk;
      for (int32_t i = 0; i < chunk;) {
        int32_t n = chunk - i;
        if (n >= 4) {
          Dot::Four(xs, w, depth, acc + i);
          n = 4;
        } else if (n >= 2) {
          Dot::Two(xs, w, w + depth, depth, &acc[i], &acc[i + 1]);
          n = 2;
        } else {
          acc[i] = Dot::One(xs, w, depth);
        }
        w += n * depth;
        i += n;
      }
      FcRequantizeRun<kQuant>(acc, chunk, r, bias, o0, y + o0);
    }
  }
}

inline void FullyConnectedInt8NoScratchEval(const EvalContext& ctx, const void* record);

template <class Dot>
EvalFn SelectFcInt8(const FullyConnectedRecord& r) {
  if (r.scratch == kNoRef) return &FullyConnectedInt8NoScratchEval;
  if (r.per_channel == 0) {
    return r.shift >= 0 ? &FullyConnectedInt8Eval<Dot, FcQuant::kPerTensor>
                        : &FullyConnectedInt8Eval<Dot, FcQuant::kPerTensorRight>;
  }
  if (r.max_shift >= 0) return &FullyConnectedInt8Eval<Dot, FcQuant::kPerChannel>;
  return &FullyConnectedInt8Eval<Dot, FcQuant::kPerChannelRight>;
}

// Reads the weights and bias where they are: RAM (or memory-mapped flash) here; AVR's flash in
// reference/fully_connected.cc.
struct LoadFromRam {
  EMLKIT_RT_INLINE static int8_t Weight(const int8_t* p) { return *p; }
  EMLKIT_RT_INLINE static int32_t Bias(const int32_t* p) { return *p; }
};

// Without scratch (input rows too long for one, see kMaxScratchDepth): the offset is added per
// multiply, one output at a time.
template <class Load = LoadFromRam>
void FullyConnectedInt8NoScratch(const FcInt8& a) {  // NOLINT
  const int8_t* x = a.input;
  int8_t* y = a.output;
  for (int32_t b = 0; b < a.batches; ++b, x += a.depth) {
    const int8_t* w = a.weights;
    for (int32_t o = 0; o < a.outputs; ++o, w += a.depth) {
      uint32_t acc = a.bias != nullptr ? static_cast<uint32_t>(Load::Bias(a.bias + o)) : 0u;
      for (int32_t d = 0; d < a.depth; ++d) {
        acc += static_cast<uint32_t>((x[d] + a.input_offset) * Load::Weight(w + d));
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

inline void FullyConnectedInt8NoScratchEval(const EvalContext& ctx, const void* record) {
  FullyConnectedInt8NoScratch(FcInt8Args(ctx, record));
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

}  // namespace portable
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_PORTABLE_H_
