// FULLY_CONNECTED for Armv7E-M (Cortex-M4/M7): replaces kernels/reference/fully_connected.cc in
// firmware for cores with the DSP extension. Each input row is copied once, plus the input offset,
// into int16 pairs (SXTAB16) in the order SXTB16 unpacks the weights, so the inner loop is
// 4 weights per load, two multiply-accumulates per SMLAD, four rows per pass sharing the input.
#include "kernels/fully_connected.h"
#include "kernels/arm_dsp/dot.h"
#include "kernels/arm_dsp/fully_connected_folded.h"
#include "kernels/fully_connected_portable.h"

namespace emlkit {
namespace rt {
namespace {

// The dot products of kernels/arm_dsp/dot.h (input layout: groups of 4 as {x0, x2, x1, x3}).
struct DspDot {
  // Outputs summed into a stack array, then requantized in one run.
  static constexpr int32_t kChunk = 64;
  static void Input(const int8_t* x, int32_t depth, int32_t offset, int16_t* xs) {
    dsp::InputVector(x, depth, offset, xs);
  }
  static void Four(const int16_t* xs, const int8_t* w, int32_t depth, int32_t* out) {
    dsp::DotFour(xs, w, depth, out);
  }
  static int32_t One(const int16_t* xs, const int8_t* w, int32_t depth) {
    return dsp::DotOne(xs, w, depth);
  }
  static void Two(const int16_t* xs, const int8_t* w0, const int8_t* w1, int32_t depth, int32_t* d0,
                  int32_t* d1) {
    *d0 = dsp::DotOne(xs, w0, depth);
    *d1 = dsp::DotOne(xs, w1, depth);
  }
};

// Small layers (rows of at most kSmallDepth inputs, at most kSmallOutputs outputs, per-channel
// multipliers below one half, activation range all of int8: e.g. the thermostat MLP's). There
// the calls, the accumulator buffer and the requantization loop cost more than the
// multiply-accumulates, so each pass of 4 rows sums with dsp::DotFour and requantizes in the same
// call, unrolled, clamping with one SSAT.
constexpr int32_t kSmallDepth = 32, kSmallOutputs = 32;

struct SmallFc {
  const int32_t* bias;  // may be null
  const int32_t* multipliers;
  const int8_t* shifts;  // every one <= -1
  int32_t depth, zp;
};

// fx::MultiplyByQuantizedMultiplierRight (the multiply in dsp::HighMul), + zp, clamped to int8.
EMLKIT_RT_INLINE int8_t SmallRequantize(int32_t acc, int32_t m, int32_t shift, int32_t zp) {
  const int32_t h = dsp::HighMul(acc, m);
  return static_cast<int8_t>(dsp::Ssat8(((((h + (h >> 31)) >> (~shift)) + 1) >> 1) + zp));
}

// Outputs o..o+3 of one input row (xs, in dsp::InputVector's layout) into y[0..3].
__attribute__((noinline)) void SmallFour(const int16_t* xs, const int8_t* w, const SmallFc& q,
                                         int32_t o, int8_t* y) {
  int32_t acc[4];
  dsp::DotFour(xs, w, q.depth, acc);
  // Locals: the int8 stores may alias q's fields, which would be reloaded after every store.
  const int32_t* const bias = q.bias;
  const int32_t* const m = q.multipliers + o;
  const int8_t* const s = q.shifts + o;
  const int32_t zp = q.zp;
#pragma GCC unroll 4
  for (int32_t i = 0; i < 4; ++i) {
    const int32_t a = bias != nullptr ? fx::WrapAdd(acc[i], bias[o + i]) : acc[i];
    y[i] = SmallRequantize(a, m[i], s[i], zp);
  }
}

void FullyConnectedSmallEval(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const uint8_t* const tail = reinterpret_cast<const uint8_t*>(&r) + r.per_channel;
  SmallFc q;
  q.bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  q.multipliers = reinterpret_cast<const int32_t*>(tail);
  q.shifts = reinterpret_cast<const int8_t*>(tail + 4 * r.output_depth);
  q.depth = r.accum_depth;
  q.zp = r.output_offset;
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  const int8_t* const weights = ctx.Ptr<const int8_t>(r.weights);
  int16_t* const xs = ctx.Ptr<int16_t>(r.scratch);
  const int8_t* x = ctx.Ptr<const int8_t>(r.input);
  int8_t* y = ctx.Ptr<int8_t>(r.output);
  for (int32_t b = r.batches; b > 0; --b, x += depth, y += outputs) {
    dsp::InputVector(x, depth, r.input_offset, xs);
    const int8_t* w = weights;
    int32_t o = 0;
    for (; o + 4 <= outputs; o += 4, w += 4 * depth) SmallFour(xs, w, q, o, y + o);
    for (; o < outputs; ++o, w += depth) {
      int32_t acc = dsp::DotOne(xs, w, depth);
      if (q.bias != nullptr) acc = fx::WrapAdd(acc, q.bias[o]);
      y[o] = SmallRequantize(acc, q.multipliers[o], q.shifts[o], q.zp);
    }
  }
}

void EvalFullyConnectedFloat(const EvalContext& ctx, const void* record) {
  portable::FullyConnectedFloat(ctx, record);
}

}  // namespace

void FullyConnectedFoldedEval(const EvalContext& ctx, const void* record) {
  FullyConnectedFolded(ctx, record);
}

uint32_t FullyConnectedScratchBytes(const FullyConnectedRecord& r) {
  return portable::ScratchBytesForDepth(r.accum_depth);
}

EvalFn SelectFullyConnectedEval(const FullyConnectedRecord& r, bool is_float) {
  if (is_float) return &EvalFullyConnectedFloat;
  if (r.scratch != kNoRef && r.per_channel != 0 && r.max_shift < 0 &&
      r.accum_depth <= kSmallDepth && r.output_depth <= kSmallOutputs && r.act_min == -128 &&
      r.act_max == 127) {
    return &FullyConnectedSmallEval;
  }
  return portable::SelectFcInt8<DspDot>(r);
}

}  // namespace rt
}  // namespace emlkit
