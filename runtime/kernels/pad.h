// PAD with constant paddings: the output is the input surrounded by the pad value (0 for float,
// the zero point for quantized tensors, which share one quantization in and out).
#ifndef EMLKIT_RUNTIME_KERNELS_PAD_H_
#define EMLKIT_RUNTIME_KERNELS_PAD_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct PadRecord {
  RecordHeader h;
  Ref input, output;
  int32_t rank;  // >= 1
  int32_t in_dims[6];
  int32_t out_dims[6];
  int32_t before[6];   // padding before each axis
  uint32_t elem_size;  // 1, 2 or 4 bytes
  uint32_t pad_bits;   // the pad value's bit pattern (low elem_size bytes)
};

void EvalPad(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_PAD_H_
