// Portable MEAN kernels.
#include "kernels/mean.h"
#include "kernels/fixed_point.h"

namespace emlkit {
namespace rt {
namespace {

// Adds every input element into sums[its output element], walking the input in order.
template <typename In, typename Acc>
void ReduceSum(const MeanRecord& r, const In* x, Acc* sums) {
  for (uint32_t o = 0; o < r.out_count; ++o) sums[o] = Acc();
  int32_t idx[6] = {0, 0, 0, 0, 0, 0};
  int32_t o = 0;
  for (uint32_t i = 0; i < r.in_count; ++i) {
    sums[o] += static_cast<Acc>(x[i]);  // Acc is uint32_t for integers: wraps like int32
    for (int d = 5; d >= 0; --d) {
      o += r.out_stride[d];
      if (++idx[d] < r.dims[d]) break;
      o -= r.out_stride[d] * r.dims[d];
      idx[d] = 0;
    }
  }
}

}  // namespace

void EvalMeanInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const MeanRecord*>(record);
  uint32_t* sums = ctx.Ptr<uint32_t>(r.scratch);  // int32 sums that wrap without UB
  int8_t* y = ctx.Ptr<int8_t>(r.output);
  if (r.in_count == 0) {
    for (uint32_t o = 0; o < r.out_count; ++o) y[o] = 0;
    return;
  }
  ReduceSum(r, ctx.Ptr<const int8_t>(r.input), sums);
  const int64_t zp_sum = static_cast<int64_t>(r.input_zero_point) * r.reduced_count;
  for (uint32_t o = 0; o < r.out_count; ++o) {
    const int32_t shifted =
        static_cast<int32_t>(static_cast<uint32_t>(static_cast<int64_t>(sums[o]) - zp_sum));
    int32_t v =
        fx::MultiplyByQuantizedMultiplier(shifted, r.multiplier, r.shift) + r.output_zero_point;
    y[o] = static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v));
  }
}

void EvalMeanFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const MeanRecord*>(record);
  float* sums = ctx.Ptr<float>(r.scratch);
  float* y = ctx.Ptr<float>(r.output);
  if (r.in_count == 0) {
    for (uint32_t o = 0; o < r.out_count; ++o) y[o] = 0.0f;
    return;
  }
  ReduceSum(r, ctx.Ptr<const float>(r.input), sums);
  for (uint32_t o = 0; o < r.out_count; ++o) {
    y[o] = sums[o] / static_cast<float>(r.reduced_count);
  }
}

}  // namespace rt
}  // namespace emlkit
