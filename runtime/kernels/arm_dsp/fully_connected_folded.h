// FULLY_CONNECTED for small int8 layers in the code `emlkit export --format aot` generates for
// Armv7E-M (Cortex-M4/M7): everything that does not depend on the input is computed at export
// time (FoldFullyConnected, run by runtime/aot/aot_prepare.cc) and appended to the operator's
// record as one FcFoldedGroup per 4 output rows:
//   sum[r]        bias + input_offset * (the row's weight sum): the sums start there, so the loop
//                 multiplies the int8 inputs as they are (no offset per value, no int16 copy);
//   multiplier[r] the requantization multiplier (the row's, or the tensor's);
//   round[r]      2^(e-1) + output_zero_point * 2^e, with e = -shift >= 1;
//   exponent[r]   e.
// Then each output is SMMULR(2 * acc, m) (TFLite's SaturatingRoundingDoublingHighMul while
// |acc| < 2^30), + (h < 0 ? -1 : 0) + round, >> e (its RoundingDivideByPOT, half away from
// zero, with the zero point added exactly since 2^e divides zp * 2^e), SSAT: TFLite's result to
// the bit, as long as the bounds FoldFullyConnected checks hold. About 10 instructions per output
// and 5 per row and group of 4 inputs, with no per-layer setup beyond the record's fields.
// Header-only so that the host tests run the same code (kernels/arm_dsp/dsp.h in plain C).
#ifndef EMLKIT_RUNTIME_KERNELS_ARM_DSP_FULLY_CONNECTED_FOLDED_H_
#define EMLKIT_RUNTIME_KERNELS_ARM_DSP_FULLY_CONNECTED_FOLDED_H_

#include <stddef.h>
#include <stdint.h>

#include "kernels/arm_dsp/dsp.h"
#include "kernels/fixed_point.h"
#include "kernels/fully_connected.h"

namespace emlkit {
namespace rt {

struct FcFoldedGroup {
  int32_t sum[4];
  int32_t multiplier[4];
  int32_t round[4];
  uint8_t exponent[4];
};
static_assert(sizeof(FcFoldedGroup) == 52 && offsetof(FcFoldedGroup, multiplier) == 16 &&
                  offsetof(FcFoldedGroup, round) == 32 && offsetof(FcFoldedGroup, exponent) == 48,
              "FcFoldedGroup is written into generated records and read by offset in assembly");

// The layers folded: the small-layer sizes of kernels/arm_dsp/fully_connected.cc (larger rows
// run faster from the int16 copy of the input, which one LDRD reads per 4 values).
constexpr int32_t kFoldedMaxDepth = 32, kFoldedMaxOutputs = 32;

inline uint32_t FoldedBytes(const FullyConnectedRecord& r) {
  return static_cast<uint32_t>((r.output_depth + 3) / 4) * sizeof(FcFoldedGroup);
}

// Fills FoldedBytes(r) bytes at `out` for the int8 record r, whose weights are
// [output_depth][accum_depth] and bias null or int32[output_depth]. False (out unspecified)
// when the folded kernel would not be exact or not apply: float, sizes above the limits, an
// activation range narrower than int8, a multiplier above one half (shift >= 0), or a row whose
// sum could reach 2^30 in magnitude for some input.
inline bool FoldFullyConnected(const FullyConnectedRecord& r, const int8_t* weights,
                               const int32_t* bias, FcFoldedGroup* out) {
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  if (depth < 1 || depth > kFoldedMaxDepth || outputs < 1 || outputs > kFoldedMaxOutputs ||
      r.batches < 1 || r.act_min != -128 || r.act_max != 127) {
    return false;
  }
  const uint8_t* tail = reinterpret_cast<const uint8_t*>(&r) + r.per_channel;
  const int64_t kLimit = int64_t{1} << 30;
  for (int32_t o = 0; o < (outputs + 3) / 4 * 4; ++o) {
    FcFoldedGroup& g = out[o / 4];
    const int32_t i = o % 4;
    if (o >= outputs) {  // padding of the last group: computed, never stored
      g.sum[i] = g.multiplier[i] = g.round[i] = 0;
      g.exponent[i] = 1;
      continue;
    }
    int32_t m = r.multiplier, shift = r.shift;
    if (r.per_channel != 0) {
      m = reinterpret_cast<const int32_t*>(tail)[o];
      shift = reinterpret_cast<const int8_t*>(tail + 4 * outputs)[o];
    }
    if (m < 0 || shift > -1 || shift < -31) return false;
    int64_t sum = bias != nullptr ? bias[o] : 0, magnitude = 0;
    for (int32_t d = 0; d < depth; ++d) {
      const int32_t w = weights[o * depth + d];
      sum += int64_t{r.input_offset} * w;
      magnitude += w < 0 ? -w : w;
    }
    // Inputs are in [-128, 127]: |sum + sum_d x_d w_d| <= |sum| + 128 * sum_d |w_d|.
    if ((sum < 0 ? -sum : sum) + 128 * magnitude >= kLimit) return false;
    const int32_t e = -shift;
    const int64_t round = (int64_t{1} << (e - 1)) + int64_t{r.output_offset} * (int64_t{1} << e);
    if (round >= kLimit || round <= -kLimit) return false;
    g.sum[i] = static_cast<int32_t>(sum);
    g.multiplier[i] = m;
    g.round[i] = static_cast<int32_t>(round);
    g.exponent[i] = static_cast<uint8_t>(e);
  }
  return true;
}

// Output i of group g from its sum.
EMLKIT_RT_INLINE int8_t RequantizeFolded(int32_t acc, const FcFoldedGroup& g, int32_t i) {
  const int32_t h = dsp::Smmulr(acc * 2, g.multiplier[i]);
  return static_cast<int8_t>(dsp::Ssat8((h + (h >> 31) + g.round[i]) >> g.exponent[i]));
}

// Requantizes the sums a0, a1 of outputs kI, kI + 1 of group g in place (to int8 values).
template <int kI>
EMLKIT_RT_INLINE void RequantizeFoldedPair(int32_t& a0, int32_t& a1, const FcFoldedGroup* g) {
#ifdef EMLKIT_ARM_DSP_NATIVE
  // The compiler would reload g from the stack for every field: one block keeps it in a register
  // and reads two multipliers and two rounding terms per LDRD.
  int32_t p, q;
  __asm(
      "ldrd %[p], %[q], [%[g], %[om]]\n"
      "lsl %[a0], %[a0], #1\n"
      "smmulr %[a0], %[a0], %[p]\n"
      "lsl %[a1], %[a1], #1\n"
      "smmulr %[a1], %[a1], %[q]\n"
      "ldrd %[p], %[q], [%[g], %[orr]]\n"
      "add %[a0], %[a0], %[a0], asr #31\n"
      "add %[a0], %[a0], %[p]\n"
      "add %[a1], %[a1], %[a1], asr #31\n"
      "add %[a1], %[a1], %[q]\n"
      "ldrb %[p], [%[g], %[oe0]]\n"
      "ldrb %[q], [%[g], %[oe1]]\n"
      "asr %[a0], %[a0], %[p]\n"
      "asr %[a1], %[a1], %[q]\n"
      "ssat %[a0], #8, %[a0]\n"
      "ssat %[a1], #8, %[a1]\n"
      : [a0] "+r"(a0), [a1] "+r"(a1), [p] "=&r"(p), [q] "=&r"(q)
      : [g] "r"(g), [om] "i"(16 + 4 * kI), [orr] "i"(32 + 4 * kI), [oe0] "i"(48 + kI),
        [oe1] "i"(49 + kI));
#else
  a0 = RequantizeFolded(a0, *g, kI);
  a1 = RequantizeFolded(a1, *g, kI + 1);
#endif
}

// Outputs of one group of 4 rows from w, of one input row x, into y[0..3].
__attribute__((noinline)) inline void FoldedPass(const int8_t* x, const int8_t* w, int32_t depth,
                                                 const FcFoldedGroup& g, int8_t* y) {
  const int8_t* w0 = w;
  const int8_t* w1 = w0 + depth;
  const int8_t* w2 = w1 + depth;
  const int8_t* w3 = w2 + depth;
  int32_t acc[4] = {g.sum[0], g.sum[1], g.sum[2], g.sum[3]};
  if (depth >= 4) dsp::Dot4RowsInt8Blocks(x, w0, w1, w2, w3, depth >> 2, acc);
  for (int32_t k = depth & 3; k > 0; --k) {  // no overflow: FoldFullyConnected bounds the sums
    const int32_t xv = *x++;
    acc[0] += xv * *w0++;
    acc[1] += xv * *w1++;
    acc[2] += xv * *w2++;
    acc[3] += xv * *w3++;
  }
  RequantizeFoldedPair<0>(acc[0], acc[1], &g);
  RequantizeFoldedPair<2>(acc[2], acc[3], &g);
  y[0] = static_cast<int8_t>(acc[0]);
  y[1] = static_cast<int8_t>(acc[1]);
  y[2] = static_cast<int8_t>(acc[2]);
  y[3] = static_cast<int8_t>(acc[3]);
}

// The last n < 4 outputs, two rows at a time (a second copy of the 4-row assembly loop does not
// fit the registers in some builds); an odd last row is summed twice, stored once.
__attribute__((noinline)) inline void FoldedRest(const int8_t* x, const int8_t* w, int32_t depth,
                                                 int32_t n, const FcFoldedGroup& g, int8_t* y) {
  for (int32_t i = 0; i < n; i += 2, w += 2 * depth) {
    const int8_t* wa = w;
    const int8_t* wb = i + 1 < n ? w + depth : w;
    const int8_t* xp = x;
    int32_t acc[2] = {g.sum[i], g.sum[i + 1]};
    if (depth >= 4) dsp::Dot2RowsInt8Blocks(xp, wa, wb, depth >> 2, acc);
    for (int32_t k = depth & 3; k > 0; --k) {
      const int32_t xv = *xp++;
      acc[0] += xv * *wa++;
      acc[1] += xv * *wb++;
    }
    const int32_t a = acc[0], b = acc[1];
    y[i] = RequantizeFolded(a, g, i);
    if (i + 1 < n) y[i + 1] = RequantizeFolded(b, g, i + 1);
  }
}

// The Eval (FullyConnectedFoldedEval) for a record with r.folded set.
inline void FullyConnectedFolded(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const FcFoldedGroup* const groups =
      reinterpret_cast<const FcFoldedGroup*>(reinterpret_cast<const uint8_t*>(record) + r.folded);
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  const int8_t* const weights = ctx.Ptr<const int8_t>(r.weights);
  const int8_t* x = ctx.Ptr<const int8_t>(r.input);
  int8_t* y = ctx.Ptr<int8_t>(r.output);
  for (int32_t b = r.batches; b > 0; --b, x += depth) {
    const int8_t* w = weights;
    const FcFoldedGroup* g = groups;
    int32_t n = outputs;
    for (; n >= 4; n -= 4, w += 4 * depth, y += 4, ++g) FoldedPass(x, w, depth, *g, y);
    if (n > 0) FoldedRest(x, w, depth, n, *g, y);
    y += n;
  }
}

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_ARM_DSP_FULLY_CONNECTED_FOLDED_H_
