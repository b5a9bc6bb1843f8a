// SVDF (singular value decomposition filter, a rank-R approximation of a fully-connected layer
// over time) as TFLite Micro's reference: each Invoke shifts the state (the variable tensor) left
// by one, writes the feature matmul of the new input into the state's last column, dots the
// state with the time weights, sums `rank` filters per unit, adds bias and rescales.
// int8 input with int16 or int8 state (and time weights of the same type), or float32.
#ifndef EMLKIT_RUNTIME_KERNELS_SVDF_H_
#define EMLKIT_RUNTIME_KERNELS_SVDF_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct SvdfRecord {
  RecordHeader h;
  Ref input, weights_feature, weights_time, bias, state, output, scratch, scratch_output;
  int32_t batches, input_size, filters, units, memory, rank;
  int32_t input_zero_point, state_zero_point, output_zero_point;
  int32_t multiplier1, shift1;  // input * feature weights -> state
  int32_t multiplier2, shift2;  // state * time weights -> output
  float f_act_min, f_act_max;
};

void EvalSvdfInt8Int16State(const EvalContext& ctx, const void* record);
void EvalSvdfInt8Int8State(const EvalContext& ctx, const void* record);
void EvalSvdfFloat(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_SVDF_H_
