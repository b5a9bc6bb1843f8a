// Portable DEPTHWISE_CONV_2D kernels.
#include "kernels/conv.h"
#include "kernels/conv_portable.h"

namespace emlkit {
namespace rt {

uint32_t DepthwiseConvScratchBytes(const ConvRecord&, bool) { return 0; }

void EvalDepthwiseConvInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  const portable::ConvTensors t = portable::Tensors(ctx, r);
  for (int32_t b = 0; b < r.win.batches; ++b) {
    for (int32_t oy = 0; oy < r.win.out_h; ++oy) {
      for (int32_t ox = 0; ox < r.win.out_w; ++ox)
        portable::DepthwiseInt8Pixel(r, t, b, oy, ox, 0, r.win.out_c);
    }
  }
}

void EvalDepthwiseConvFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  portable::DepthwiseFloat(r, portable::Tensors(ctx, r));
}

}  // namespace rt
}  // namespace emlkit
