// CONV_2D and DEPTHWISE_CONV_2D over NHWC tensors.
//
// int8 follows TFLite's ConvPerChannel / DepthwiseConvPerChannel: int32 sums of
// filter * (input - input_zero_point) over the taps inside the image (padding contributes
// nothing), + bias, requantized per output channel, + output zero point, clamped. float32 sums in
// float. CONV_2D filters are [out_c, filter_h, filter_w, in_c / groups]; DEPTHWISE_CONV_2D
// filters are [1, filter_h, filter_w, in_c * depth_multiplier].
//
// Prepare (conv.cc, depthwise_conv.cc) is shared; Eval lives in kernels/reference/ or a host
// variant, which also says how much scratch memory it wants (ConvScratchBytes...).
#ifndef EMLKIT_RUNTIME_KERNELS_CONV_H_
#define EMLKIT_RUNTIME_KERNELS_CONV_H_

#include <stdint.h>

#include "kernels/conv_util.h"
#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct ConvRecord {
  RecordHeader h;
  Ref input, filter, bias, output, scratch;  // bias, scratch may be kNoRef
  Window2D win;
  int32_t filter_in_c;   // CONV_2D: filter input channels; DEPTHWISE: depth multiplier
  int32_t input_offset;  // -input zero point
  int32_t output_offset;
  int32_t act_min, act_max;
  float f_act_min, f_act_max;
  uint32_t per_channel;  // offset of int32 multiplier[out_c] then int8 shift[out_c]
};

inline const int32_t* ChannelMultipliers(const ConvRecord& r) {
  return reinterpret_cast<const int32_t*>(reinterpret_cast<const uint8_t*>(&r) + r.per_channel);
}
inline const int8_t* ChannelShifts(const ConvRecord& r) {
  return reinterpret_cast<const int8_t*>(reinterpret_cast<const uint8_t*>(&r) + r.per_channel +
                                         4 * r.win.out_c);
}

void EvalConvInt8(const EvalContext& ctx, const void* record);
void EvalConvFloat(const EvalContext& ctx, const void* record);
void EvalDepthwiseConvInt8(const EvalContext& ctx, const void* record);
void EvalDepthwiseConvFloat(const EvalContext& ctx, const void* record);
// Scratch bytes the Eval variant of this build needs (0 for the portable kernels).
uint32_t ConvScratchBytes(const ConvRecord& r, bool quantized);
uint32_t DepthwiseConvScratchBytes(const ConvRecord& r, bool quantized);

// Shared Prepare of both ops: checks tensors and quantization, allocates and fills the record
// (everything but the operator-specific window fields, which `win` must already hold).
Status PrepareConvRecord(PrepareContext& ctx, const TensorDesc& input, const TensorDesc& filter,
                         const TensorDesc* bias, const TensorDesc& output, const Window2D& win,
                         int32_t filter_in_c, int8_t activation_raw, bool depthwise);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_CONV_H_
