// The per-channel requantization of a CONV_2D / DEPTHWISE_CONV_2D record in the form the
// Armv7E-M dot products take (dot.h), shared by both kernels.
#ifndef EMLKIT_RUNTIME_KERNELS_ARM_DSP_CONV_QUANT_H_
#define EMLKIT_RUNTIME_KERNELS_ARM_DSP_CONV_QUANT_H_

#include "kernels/arm_dsp/dot.h"
#include "kernels/conv.h"

namespace emlkit {
namespace rt {

inline dsp::ChannelQuant ConvChannelQuant(const EvalContext& ctx, const ConvRecord& r) {
  const int32_t* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  return dsp::ChannelQuant{bias,
                           ChannelMultipliers(r),
                           ChannelShifts(r),
                           r.output_offset,
                           r.act_min,
                           r.act_max,
                           dsp::RightShiftsOnly(ChannelShifts(r), r.win.out_c)};
}

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_ARM_DSP_CONV_QUANT_H_
