// MEAN over constant axes (any subset of up to 6 dimensions), as TFLite's reference Mean and
// QuantizedMeanOrSum: int8 sums in int32, subtracts zero_point * count, and requantizes with the
// input/output scale ratio folded with 1/count (the multiplier TFLite derives); float divides
// the float sum by the count.
#ifndef EMLKIT_RUNTIME_KERNELS_MEAN_H_
#define EMLKIT_RUNTIME_KERNELS_MEAN_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct MeanRecord {
  RecordHeader h;
  Ref input, output, scratch;  // scratch: int32/float sums, one per output element
  uint32_t in_count, out_count, reduced_count;
  int32_t dims[6];        // input shape, left-padded with 1s
  int32_t out_stride[6];  // output element stride per input axis (0 when reduced)
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;
};

void EvalMeanInt8(const EvalContext& ctx, const void* record);
void EvalMeanFloat(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_MEAN_H_
