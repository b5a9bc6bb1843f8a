// FULLY_CONNECTED: output[b][o] = act(sum_d input[b][d] * weights[o][d] + bias[o]).
//
// int8 follows TFLite's quantized FullyConnected / FullyConnectedPerChannel: int32 accumulation of
// weight * (input - input_zero_point), + bias, requantized with MultiplyByQuantizedMultiplier
// (per tensor or per output channel), + output zero point, clamped to the fused activation.
// float32 accumulates in float in TFLite's order (k ascending, then + bias), so results are
// bit-identical to TFLite's reference kernel.
//
// The record is prepared once (fully_connected.cc); the Eval functions live in
// kernels/reference/fully_connected.cc (portable), kernels/arm_dsp/ (Cortex-M4/M7) or a
// host-optimized file of the same name.
#ifndef EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_H_
#define EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct FullyConnectedRecord {
  RecordHeader h;
  Ref input, weights, bias, output;  // bias may be kNoRef
  Ref scratch;           // kNoRef, or FullyConnectedScratchBytes() for this build's int8 kernel
  int32_t batches;       // rows of input/output
  int32_t accum_depth;   // inputs per row (weights columns)
  int32_t output_depth;  // outputs per row (weights rows used)
  int32_t input_offset;  // -input zero point
  int32_t output_offset;
  int32_t act_min, act_max;
  int32_t multiplier, shift;  // per-tensor requantization
  uint32_t per_channel;       // offset (from the record start) of int32 multiplier[output_depth]
                              // followed by int8 shift[output_depth]; 0 when per tensor
  int32_t max_shift;          // largest requantization shift (> 0: some multiplier above one)
  int32_t weights_readable;   // bytes readable from the weights' start (to the end of the model
                              // bytes for constant weights): lets SIMD loads run past a row
  float f_act_min, f_act_max;
  uint32_t folded;  // offset (from the record start) of the FcFoldedGroup blocks that generated
                    // code for Armv7E-M appends (kernels/arm_dsp/fully_connected_folded.h); else 0
};

// The Eval for a prepared record (float or int8, per tensor or per channel). The portable build
// has one per case; a host build may pick a variant for the record's shape and the CPU.
EvalFn SelectFullyConnectedEval(const FullyConnectedRecord& r, bool is_float);
// Scratch bytes this build's int8 Eval needs during the operator (0: none). The portable and
// arm_dsp kernels copy one input row, plus the input offset, into int16 there, so that their
// inner loops add no offset per multiply-accumulate.
uint32_t FullyConnectedScratchBytes(const FullyConnectedRecord& r);

// The Eval for records with `folded` set: defined by kernels/arm_dsp/fully_connected.cc only;
// generated code calls it directly (SelectFullyConnectedEval never returns it).
void FullyConnectedFoldedEval(const EvalContext& ctx, const void* record);

#if defined(__AVR__)
// The int8 Eval when the weights and bias are in flash (PROGMEM) and the record in RAM: what the
// code `emlkit export` generates calls on AVR (int8 only: it refuses float layers there).
EvalFn SelectFullyConnectedFlashEval(const FullyConnectedRecord& r);
#endif

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_H_
