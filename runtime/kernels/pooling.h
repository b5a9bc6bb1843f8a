// AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors, as TFLite's reference pooling: the window
// is clipped to the image (padding takes no part); int8 averages round half away from zero;
// input and output share one quantization.
#ifndef EMLKIT_RUNTIME_KERNELS_POOLING_H_
#define EMLKIT_RUNTIME_KERNELS_POOLING_H_

#include <stdint.h>

#include "kernels/conv_util.h"
#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct PoolRecord {
  RecordHeader h;
  Ref input, output;
  Window2D win;
  int32_t act_min, act_max;
  float f_act_min, f_act_max;
};

void EvalAveragePoolInt8(const EvalContext& ctx, const void* record);
void EvalAveragePoolFloat(const EvalContext& ctx, const void* record);
void EvalMaxPoolInt8(const EvalContext& ctx, const void* record);
void EvalMaxPoolFloat(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_POOLING_H_
