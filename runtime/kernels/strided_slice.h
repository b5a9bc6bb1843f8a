// STRIDED_SLICE with constant begin/end/strides, begin/end/shrink-axis masks and `offset`, as
// TFLite's reference (indices clamped per axis, negative indices counted from the end, shapes
// padded to 5 dimensions). Ellipsis and new-axis masks are not supported (TFLite Micro refuses
// them too).
#ifndef EMLKIT_RUNTIME_KERNELS_STRIDED_SLICE_H_
#define EMLKIT_RUNTIME_KERNELS_STRIDED_SLICE_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct StridedSliceRecord {
  RecordHeader h;
  Ref input, output;
  int32_t dims[5];  // input shape padded to 5 dimensions
  int32_t start[5], stop[5], stride[5];
  uint32_t elem_size;
};

void EvalStridedSlice(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_STRIDED_SLICE_H_
