// Host (x86-64, SSE2) CONV_2D kernels, bit-exact with kernels/reference/conv.cc.
//
// int8: every output pixel is a set of dot products between the input patch and the filter rows
// (four output channels per pass, pmaddwd on int16). Pointwise (1x1, stride 1, ungrouped)
// convolutions read the input pixel directly; others first gather the patch into a small stack
// buffer, writing the input zero point where the window leaves the image, so that padded taps
// contribute (zp - zp) * w = 0 exactly as the reference skips them. Patches larger than the buffer
// fall back to the portable loop. float uses the portable loop (sums must keep TFLite's order).
#include <string.h>

#include "kernels/conv.h"
#include "kernels/conv_portable.h"
#include "kernels/fixed_point.h"
#include "kernels/host_x86/simd.h"

namespace emlkit {
namespace rt {
namespace {

constexpr int32_t kMaxPatch = 4096;  // bytes of stack for one im2col patch

// Output channels [0, out_c) of one pixel from a patch of `depth` int8 values; `filter` rows are
// `depth` long (channel oc's row starts at oc * depth).
inline void ChannelsFromPatch(const ConvRecord& r, const int8_t* patch, const int8_t* filter,
                              int32_t depth, const int32_t* bias, int8_t* y) {
  const int32_t* multipliers = ChannelMultipliers(r);
  const int8_t* shifts = ChannelShifts(r);
  const int32_t out_c = r.win.out_c;
  for (int32_t oc = 0; oc < out_c; oc += 4) {
    const int32_t last = out_c - oc < 4 ? out_c - oc - 1 : 3;
    const int8_t* w = filter + oc * depth;
    alignas(16) int32_t acc[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(acc),
                    x86::DotInt8x4(patch, r.input_offset, w, w + (last < 1 ? last : 1) * depth,
                                   w + (last < 2 ? last : 2) * depth,
                                   w + (last < 3 ? last : 3) * depth, depth));
    for (int32_t j = 0; j <= last; ++j) {
      const int32_t v = bias != nullptr ? fx::WrapAdd(acc[j], bias[oc + j]) : acc[j];
      y[oc + j] = static_cast<int8_t>(fx::RequantizeClamp(v, multipliers[oc + j], shifts[oc + j],
                                                          r.output_offset, r.act_min, r.act_max));
    }
  }
}

}  // namespace

uint32_t ConvScratchBytes(const ConvRecord&, bool) { return 0; }

void EvalConvInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  const Window2D& w = r.win;
  const int8_t* input = ctx.Ptr<const int8_t>(r.input);
  const int8_t* filter = ctx.Ptr<const int8_t>(r.filter);
  const int32_t* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  int8_t* output = ctx.Ptr<int8_t>(r.output);
  const int32_t fic = r.filter_in_c;
  const bool grouped = fic != w.in_c;
  const int32_t patch_size = w.filter_h * w.filter_w * fic;

  if (!grouped && w.filter_h == 1 && w.filter_w == 1 && w.stride_h == 1 && w.stride_w == 1 &&
      w.pad_h == 0 && w.pad_w == 0) {
    const int32_t pixels = w.batches * w.out_h * w.out_w;
    for (int32_t p = 0; p < pixels; ++p) {
      ChannelsFromPatch(r, input + p * w.in_c, filter, w.in_c, bias, output + p * w.out_c);
    }
    return;
  }
  alignas(16) int8_t patch[kMaxPatch];
  const int8_t pad_value = static_cast<int8_t>(-r.input_offset);  // the input zero point
  for (int32_t b = 0; b < w.batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        if (grouped || patch_size > kMaxPatch) {
          portable::ConvInt8Pixel(r, portable::Tensors(ctx, r), b, oy, ox);
          continue;
        }
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        int8_t* dst = patch;
        for (int32_t fy = 0; fy < w.filter_h; ++fy) {
          const int32_t iy = iy0 + w.dilation_h * fy;
          for (int32_t fx = 0; fx < w.filter_w; ++fx, dst += fic) {
            const int32_t ix = ix0 + w.dilation_w * fx;
            if (iy < 0 || iy >= w.in_h || ix < 0 || ix >= w.in_w) {
              memset(dst, pad_value, static_cast<size_t>(fic));
            } else {
              memcpy(dst, input + ((b * w.in_h + iy) * w.in_w + ix) * w.in_c,
                     static_cast<size_t>(fic));
            }
          }
        }
        ChannelsFromPatch(r, patch, filter, patch_size, bias,
                          output + ((b * w.out_h + oy) * w.out_w + ox) * w.out_c);
      }
    }
  }
}

void EvalConvFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  portable::ConvFloat(r, portable::Tensors(ctx, r));
}

}  // namespace rt
}  // namespace emlkit
