// Host (x86-64, SSE2) DEPTHWISE_CONV_2D kernels, bit-exact with kernels/reference/.
//
// int8 with depth multiplier 1, or a single input channel (any multiplier): eight output
// channels at a time; for each tap inside the image, (input - zero point) and the filter are
// widened to int16 and multiplied exactly (pmullw/pmulhw: |product| <= 255 * 128 fits 16 bits,
// the high half completes it to 32), then summed in int32. Remaining channels and other layouts
// use the portable loop; float keeps TFLite's summation order (portable loop).
#include "kernels/conv.h"
#include "kernels/conv_portable.h"
#include "kernels/host_x86/simd.h"

namespace emlkit {
namespace rt {

uint32_t DepthwiseConvScratchBytes(const ConvRecord&, bool) { return 0; }

void EvalDepthwiseConvInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  const Window2D& w = r.win;
  const portable::ConvTensors t = portable::Tensors(ctx, r);
  const int8_t* input = static_cast<const int8_t*>(t.input);
  const int8_t* filter = static_cast<const int8_t*>(t.filter);
  const int32_t* bias = static_cast<const int32_t*>(t.bias);
  const int32_t* multipliers = ChannelMultipliers(r);
  const int8_t* shifts = ChannelShifts(r);
  const int32_t dm = r.filter_in_c;
  const bool broadcast_input = w.in_c == 1;  // every output channel reads input channel 0
  const int32_t vector_channels = (dm == 1 || broadcast_input) ? (w.out_c & ~7) : 0;
  const __m128i off = _mm_set1_epi16(static_cast<int16_t>(r.input_offset));
  for (int32_t b = 0; b < w.batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        int8_t* y = static_cast<int8_t*>(t.output) + ((b * w.out_h + oy) * w.out_w + ox) * w.out_c;
        for (int32_t c = 0; c < vector_channels; c += 8) {
          __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();
          for (int32_t fy = 0; fy < w.filter_h; ++fy) {
            const int32_t iy = iy0 + w.dilation_h * fy;
            if (iy < 0 || iy >= w.in_h) continue;
            const int8_t* x_row = input + (b * w.in_h + iy) * w.in_w * w.in_c;
            const int8_t* f_row = filter + fy * w.filter_w * w.out_c + c;
            for (int32_t fx = 0; fx < w.filter_w; ++fx) {
              const int32_t ix = ix0 + w.dilation_w * fx;
              if (ix < 0 || ix >= w.in_w) continue;
              const __m128i xv =
                  broadcast_input
                      ? _mm_set1_epi16(static_cast<int16_t>(x_row[ix] + r.input_offset))
                      : _mm_add_epi16(x86::WidenLo(x86::Load8(x_row + ix * w.in_c + c)), off);
              const __m128i fv = x86::WidenLo(x86::Load8(f_row + fx * w.out_c));
              const __m128i pl = _mm_mullo_epi16(xv, fv), ph = _mm_mulhi_epi16(xv, fv);
              lo = _mm_add_epi32(lo, _mm_unpacklo_epi16(pl, ph));
              hi = _mm_add_epi32(hi, _mm_unpackhi_epi16(pl, ph));
            }
          }
          alignas(16) int32_t acc[8];
          _mm_store_si128(reinterpret_cast<__m128i*>(acc), lo);
          _mm_store_si128(reinterpret_cast<__m128i*>(acc + 4), hi);
          for (int32_t j = 0; j < 8; ++j) {
            const int32_t oc = c + j;
            const int32_t v = bias != nullptr ? fx::WrapAdd(acc[j], bias[oc]) : acc[j];
            y[oc] = static_cast<int8_t>(fx::RequantizeClamp(v, multipliers[oc], shifts[oc],
                                                            r.output_offset, r.act_min, r.act_max));
          }
        }
        if (vector_channels < w.out_c) {
          portable::DepthwiseInt8Pixel(r, t, b, oy, ox, vector_channels, w.out_c);
        }
      }
    }
  }
}

void EvalDepthwiseConvFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  portable::DepthwiseFloat(r, portable::Tensors(ctx, r));
}

}  // namespace rt
}  // namespace emlkit
