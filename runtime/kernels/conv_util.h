// Shared Prepare code for the 2-D windowed operators (CONV_2D, DEPTHWISE_CONV_2D, pooling):
// options, output size and padding exactly as TFLite computes them, and per-channel
// requantization multipliers.
#ifndef EMLKIT_RUNTIME_KERNELS_CONV_UTIL_H_
#define EMLKIT_RUNTIME_KERNELS_CONV_UTIL_H_

#include <stdint.h>

#include "kernels/kernel.h"
#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {

// Geometry of a 2-D window sliding over an NHWC input.
struct Window2D {
  int32_t batches, in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t filter_h, filter_w;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;  // rows/columns of implicit padding before the input
};

// padding: the schema's Padding enum (0 SAME, 1 VALID). Fills out_h/out_w and the padding like
// TFLite's ComputePaddingHeightWidth and checks that the output tensor has that size.
Status ComputeWindow(PrepareContext& ctx, int8_t padding, const TensorDesc& output, Window2D* w);

// Checks `t` is a 4-D tensor (NHWC).
Status Check4D(PrepareContext& ctx, const TensorDesc& t);

// Fills multiplier[c]/shift[c] for `channels` output channels of a per-channel (or per-tensor,
// replicated) quantized filter: input_scale * filter_scale[c] / output_scale.
Status PerChannelMultipliers(PrepareContext& ctx, const TensorDesc& input, const TensorDesc& filter,
                             const TensorDesc& output, int32_t channels, int32_t* multiplier,
                             int8_t* shift);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_CONV_UTIL_H_
