// Portable STRIDED_SLICE kernel: five nested loops writing the output in order.
#include <string.h>

#include "kernels/strided_slice.h"

namespace emlkit {
namespace rt {
namespace {

inline bool Done(int32_t i, int32_t stop, int32_t stride) {
  return stride > 0 ? i >= stop : i <= stop;
}

}  // namespace

void EvalStridedSlice(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const StridedSliceRecord*>(record);
  const uint8_t* x = ctx.Ptr<const uint8_t>(r.input);
  uint8_t* y = ctx.Ptr<uint8_t>(r.output);
  const uint32_t e = r.elem_size;
  const int32_t* d = r.dims;
  for (int32_t i0 = r.start[0]; !Done(i0, r.stop[0], r.stride[0]); i0 += r.stride[0]) {
    for (int32_t i1 = r.start[1]; !Done(i1, r.stop[1], r.stride[1]); i1 += r.stride[1]) {
      for (int32_t i2 = r.start[2]; !Done(i2, r.stop[2], r.stride[2]); i2 += r.stride[2]) {
        for (int32_t i3 = r.start[3]; !Done(i3, r.stop[3], r.stride[3]); i3 += r.stride[3]) {
          const int32_t base = (((i0 * d[1] + i1) * d[2] + i2) * d[3] + i3) * d[4];
          for (int32_t i4 = r.start[4]; !Done(i4, r.stop[4], r.stride[4]); i4 += r.stride[4]) {
            memcpy(y, x + static_cast<uint32_t>(base + i4) * e, e);
            y += e;
          }
        }
      }
    }
  }
}

}  // namespace rt
}  // namespace emlkit
