// FULLY_CONNECTED: output[b][o] = act(sum_d input[b][d] * weights[o][d] + bias[o]).
//
// int8 follows TFLite's quantized FullyConnected / FullyConnectedPerChannel: int32 accumulation of
// weight * (input - input_zero_point), + bias, requantized with MultiplyByQuantizedMultiplier
// (per tensor or per output channel), + output zero point, clamped to the fused activation.
// float32 accumulates in float (summation order may differ from TFLite in the last bits).
//
// The record is prepared once (fully_connected.cc); the Eval functions live in
// kernels/reference/fully_connected.cc (portable) or a host-optimized file of the same name.
#ifndef EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_H_
#define EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_H_

#include <cstdint>

#include "kernels/kernel.h"

namespace emlkit::rt {

struct FullyConnectedRecord {
  RecordHeader h;
  Ref input, weights, bias, output;  // bias may be kNoRef
  int32_t batches;                   // rows of input/output
  int32_t accum_depth;               // inputs per row (weights columns)
  int32_t output_depth;              // outputs per row (weights rows used)
  int32_t input_offset;              // -input zero point
  int32_t output_offset;
  int32_t act_min, act_max;
  int32_t multiplier, shift;  // per-tensor requantization
  uint32_t per_channel;       // offset (from the record start) of int32 multiplier[output_depth]
                              // followed by int8 shift[output_depth]; 0 when per tensor
  float f_act_min, f_act_max;
};

void EvalFullyConnectedFloat(const EvalContext& ctx, const void* record);
void EvalFullyConnectedInt8(const EvalContext& ctx, const void* record);
void EvalFullyConnectedInt8PerChannel(const EvalContext& ctx, const void* record);

}  // namespace emlkit::rt

#endif  // EMLKIT_RUNTIME_KERNELS_FULLY_CONNECTED_H_
