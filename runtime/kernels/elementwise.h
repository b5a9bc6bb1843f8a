// ADD, SUB and MUL with NumPy-style broadcasting (up to 6 dimensions), float32 and int8, as
// TFLite's reference kernels:
//   int8 ADD/SUB: both inputs rescaled to a common scale with 20 bits of headroom
//     (MultiplyByQuantizedMultiplierSmallerThanOneExp), summed or subtracted, rescaled to the
//     output, + zero point, clamped to the fused activation.
//   int8 MUL: (in1 - zp1) * (in2 - zp2) requantized by s1 * s2 / s_out, + zero point, clamped.
// The rescaled input of int8 ADD/SUB depends on the input byte only, so on large tensors it is
// tabulated once per Invoke (2 x 256 int32 of scratch). Outputs may overwrite a full-size input
// (the planner decides).
#ifndef EMLKIT_RUNTIME_KERNELS_ELEMENTWISE_H_
#define EMLKIT_RUNTIME_KERNELS_ELEMENTWISE_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct BinaryRecord {
  RecordHeader h;
  Ref input1, input2, output;
  Ref lut;            // int8 ADD/SUB on large tensors: int32[2][256] rescaled inputs (scratch)
  uint32_t count;     // output elements
  int32_t broadcast;  // 0: both inputs have the output's shape
  int32_t dims[6];    // output shape, left-padded with 1s
  int32_t stride1[6], stride2[6];  // element strides of each input (0 on broadcast axes)
  int32_t input1_offset, input2_offset, output_offset;
  int32_t left_shift;
  int32_t input1_multiplier, input1_shift, input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
  float f_act_min, f_act_max;
};

void EvalAddInt8(const EvalContext& ctx, const void* record);
void EvalSubInt8(const EvalContext& ctx, const void* record);
void EvalMulInt8(const EvalContext& ctx, const void* record);
void EvalAddFloat(const EvalContext& ctx, const void* record);
void EvalSubFloat(const EvalContext& ctx, const void* record);
void EvalMulFloat(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_ELEMENTWISE_H_
