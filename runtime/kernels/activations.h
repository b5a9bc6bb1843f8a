// Element-wise activations: RELU, RELU6, LOGISTIC, TANH (float32 and int8), as TFLite Micro:
//   int8 RELU rescales (input and output may differ in scale) then clamps at the output's zero;
//   int8 RELU6 clamps to [zero point, quantized 6] of the input (no rescale);
//   int8 LOGISTIC / TANH rescale the input to Q4.27 and use the fixed-point logistic / tanh,
//   inputs beyond the saturation radius going straight to the output limits.
#ifndef EMLKIT_RUNTIME_KERNELS_ACTIVATIONS_H_
#define EMLKIT_RUNTIME_KERNELS_ACTIVATIONS_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct ActivationRecord {
  RecordHeader h;
  Ref input, output;
  uint32_t count;
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;   // RELU rescale; LOGISTIC/TANH input multiplier and left shift
  int32_t act_min, act_max;    // RELU/RELU6 bounds
  int32_t input_range_radius;  // LOGISTIC/TANH
};

void EvalReluInt8(const EvalContext& ctx, const void* record);
void EvalRelu6Int8(const EvalContext& ctx, const void* record);
void EvalLogisticInt8(const EvalContext& ctx, const void* record);
void EvalTanhInt8(const EvalContext& ctx, const void* record);
void EvalReluFloat(const EvalContext& ctx, const void* record);
void EvalRelu6Float(const EvalContext& ctx, const void* record);
void EvalLogisticFloat(const EvalContext& ctx, const void* record);
void EvalTanhFloat(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_ACTIVATIONS_H_
