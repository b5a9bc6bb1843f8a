// QUANTIZE (float -> int8/int16, and requantization between integer types) and DEQUANTIZE
// (int8/uint8/int16 -> float), as TFLite's AffineQuantize, Requantize and Dequantize:
//   float -> q:  q = clamp(round_half_away(x / scale) + zero_point)
//   q -> q':     q' = clamp(MultiplyByQuantizedMultiplier(q - zp, in_scale / out_scale) + zp')
//   q -> float:  x = (float)((double)scale * (q - zero_point))
#ifndef EMLKIT_RUNTIME_KERNELS_QUANTIZE_H_
#define EMLKIT_RUNTIME_KERNELS_QUANTIZE_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct QuantizeRecord {
  RecordHeader h;
  Ref input, output;
  uint32_t count;
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;  // requantization
  float scale;                // output scale (float input) or input scale (dequantize)
  int32_t out_min, out_max;   // the output type's range
};

// Eval functions for every supported (input, output) pair.
void EvalQuantizeFloatToInt8(const EvalContext& ctx, const void* record);
void EvalQuantizeFloatToInt16(const EvalContext& ctx, const void* record);
void EvalRequantizeInt8ToInt8(const EvalContext& ctx, const void* record);
void EvalRequantizeInt8ToInt16(const EvalContext& ctx, const void* record);
void EvalRequantizeInt8ToInt32(const EvalContext& ctx, const void* record);
void EvalRequantizeInt16ToInt8(const EvalContext& ctx, const void* record);
void EvalRequantizeInt16ToInt16(const EvalContext& ctx, const void* record);
void EvalRequantizeInt16ToInt32(const EvalContext& ctx, const void* record);
void EvalRequantizeInt32ToInt8(const EvalContext& ctx, const void* record);
void EvalRequantizeInt32ToInt16(const EvalContext& ctx, const void* record);
void EvalDequantizeInt8(const EvalContext& ctx, const void* record);
void EvalDequantizeUInt8(const EvalContext& ctx, const void* record);
void EvalDequantizeInt16(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_QUANTIZE_H_
