// The portable convolution loops, shared by kernels/reference/ and the host variants' fallbacks
// (one definition of the arithmetic). Inline: they are the inner loops.
#ifndef EMLKIT_RUNTIME_KERNELS_CONV_PORTABLE_H_
#define EMLKIT_RUNTIME_KERNELS_CONV_PORTABLE_H_

#include <cstdint>

#include "kernels/conv.h"
#include "kernels/fixed_point.h"

namespace emlkit::rt::portable {

struct ConvTensors {
  const void* input;
  const void* filter;
  const void* bias;  // may be null
  void* output;
};

// All output channels of CONV_2D output pixel (b, oy, ox), int8: int32 sums of
// filter * (input - zero point) over the taps inside the image, then requantized.
inline void ConvInt8Pixel(const ConvRecord& r, const ConvTensors& t, int32_t b, int32_t oy,
                          int32_t ox) {
  const Window2D& w = r.win;
  const int8_t* input = static_cast<const int8_t*>(t.input);
  const int8_t* filter = static_cast<const int8_t*>(t.filter);
  const int32_t* bias = static_cast<const int32_t*>(t.bias);
  const int32_t fic = r.filter_in_c;
  const int32_t filters_per_group = w.out_c / (w.in_c / fic);
  const int32_t filter_size = w.filter_h * w.filter_w * fic;
  const int32_t iy0 = oy * w.stride_h - w.pad_h, ix0 = ox * w.stride_w - w.pad_w;
  int8_t* y = static_cast<int8_t*>(t.output) + ((b * w.out_h + oy) * w.out_w + ox) * w.out_c;
  for (int32_t oc = 0; oc < w.out_c; ++oc) {
    const int32_t group_offset = (oc / filters_per_group) * fic;
    uint32_t acc = 0;  // wraps like int32 without undefined behaviour
    for (int32_t fy = 0; fy < w.filter_h; ++fy) {
      const int32_t iy = iy0 + w.dilation_h * fy;
      if (iy < 0 || iy >= w.in_h) continue;
      for (int32_t fx = 0; fx < w.filter_w; ++fx) {
        const int32_t ix = ix0 + w.dilation_w * fx;
        if (ix < 0 || ix >= w.in_w) continue;
        const int8_t* x = input + ((b * w.in_h + iy) * w.in_w + ix) * w.in_c + group_offset;
        const int8_t* f = filter + oc * filter_size + (fy * w.filter_w + fx) * fic;
        for (int32_t ic = 0; ic < fic; ++ic) {
          acc += static_cast<uint32_t>(f[ic] * (x[ic] + r.input_offset));
        }
      }
    }
    int32_t v = static_cast<int32_t>(acc);
    if (bias != nullptr) v = fx::WrapAdd(v, bias[oc]);
    y[oc] = static_cast<int8_t>(fx::RequantizeClamp(
        v, ChannelMultipliers(r)[oc], ChannelShifts(r)[oc], r.output_offset, r.act_min, r.act_max));
  }
}

// Float CONV_2D, summing each output in TFLite's order (taps, then input channels).
inline void ConvFloat(const ConvRecord& r, const ConvTensors& t) {
  const Window2D& w = r.win;
  const float* input = static_cast<const float*>(t.input);
  const float* filter = static_cast<const float*>(t.filter);
  const float* bias = static_cast<const float*>(t.bias);
  float* output = static_cast<float*>(t.output);
  const int32_t fic = r.filter_in_c;
  const int32_t filters_per_group = w.out_c / (w.in_c / fic);
  const int32_t filter_size = w.filter_h * w.filter_w * fic;
  for (int32_t b = 0; b < w.batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        float* y = output + ((b * w.out_h + oy) * w.out_w + ox) * w.out_c;
        for (int32_t oc = 0; oc < w.out_c; ++oc) {
          const int32_t group_offset = (oc / filters_per_group) * fic;
          const float* wrow = filter + oc * filter_size;
          float total = 0.0f;
          for (int32_t fy = 0; fy < w.filter_h; ++fy) {
            const int32_t iy = iy0 + w.dilation_h * fy;
            if (iy < 0 || iy >= w.in_h) continue;
            for (int32_t fx = 0; fx < w.filter_w; ++fx) {
              const int32_t ix = ix0 + w.dilation_w * fx;
              if (ix < 0 || ix >= w.in_w) continue;
              const float* x = input + ((b * w.in_h + iy) * w.in_w + ix) * w.in_c + group_offset;
              const float* f = wrow + (fy * w.filter_w + fx) * fic;
              for (int32_t ic = 0; ic < fic; ++ic) total += x[ic] * f[ic];
            }
          }
          float v = total + (bias != nullptr ? bias[oc] : 0.0f);
          y[oc] = v < r.f_act_min ? r.f_act_min : (v > r.f_act_max ? r.f_act_max : v);
        }
      }
    }
  }
}

// Output channels [oc_begin, oc_end) of DEPTHWISE_CONV_2D output pixel (b, oy, ox), int8.
inline void DepthwiseInt8Pixel(const ConvRecord& r, const ConvTensors& t, int32_t b, int32_t oy,
                               int32_t ox, int32_t oc_begin, int32_t oc_end) {
  const Window2D& w = r.win;
  const int8_t* input = static_cast<const int8_t*>(t.input);
  const int8_t* filter = static_cast<const int8_t*>(t.filter);
  const int32_t* bias = static_cast<const int32_t*>(t.bias);
  const int32_t depth_multiplier = r.filter_in_c;
  const int32_t iy0 = oy * w.stride_h - w.pad_h, ix0 = ox * w.stride_w - w.pad_w;
  int8_t* y = static_cast<int8_t*>(t.output) + ((b * w.out_h + oy) * w.out_w + ox) * w.out_c;
  for (int32_t oc = oc_begin; oc < oc_end; ++oc) {
    const int32_t ic = oc / depth_multiplier;
    uint32_t acc = 0;
    for (int32_t fy = 0; fy < w.filter_h; ++fy) {
      const int32_t iy = iy0 + w.dilation_h * fy;
      if (iy < 0 || iy >= w.in_h) continue;
      for (int32_t fx = 0; fx < w.filter_w; ++fx) {
        const int32_t ix = ix0 + w.dilation_w * fx;
        if (ix < 0 || ix >= w.in_w) continue;
        acc += static_cast<uint32_t>(
            filter[(fy * w.filter_w + fx) * w.out_c + oc] *
            (input[((b * w.in_h + iy) * w.in_w + ix) * w.in_c + ic] + r.input_offset));
      }
    }
    int32_t v = static_cast<int32_t>(acc);
    if (bias != nullptr) v = fx::WrapAdd(v, bias[oc]);
    y[oc] = static_cast<int8_t>(fx::RequantizeClamp(
        v, ChannelMultipliers(r)[oc], ChannelShifts(r)[oc], r.output_offset, r.act_min, r.act_max));
  }
}

// Float DEPTHWISE_CONV_2D in TFLite's summation order.
inline void DepthwiseFloat(const ConvRecord& r, const ConvTensors& t) {
  const Window2D& w = r.win;
  const float* input = static_cast<const float*>(t.input);
  const float* filter = static_cast<const float*>(t.filter);
  const float* bias = static_cast<const float*>(t.bias);
  float* output = static_cast<float*>(t.output);
  const int32_t depth_multiplier = r.filter_in_c;
  for (int32_t b = 0; b < w.batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        float* y = output + ((b * w.out_h + oy) * w.out_w + ox) * w.out_c;
        for (int32_t oc = 0; oc < w.out_c; ++oc) {
          const int32_t ic = oc / depth_multiplier;
          float total = 0.0f;
          for (int32_t fy = 0; fy < w.filter_h; ++fy) {
            const int32_t iy = iy0 + w.dilation_h * fy;
            if (iy < 0 || iy >= w.in_h) continue;
            for (int32_t fx = 0; fx < w.filter_w; ++fx) {
              const int32_t ix = ix0 + w.dilation_w * fx;
              if (ix < 0 || ix >= w.in_w) continue;
              total += input[((b * w.in_h + iy) * w.in_w + ix) * w.in_c + ic] *
                       filter[(fy * w.filter_w + fx) * w.out_c + oc];
            }
          }
          float v = total + (bias != nullptr ? bias[oc] : 0.0f);
          y[oc] = v < r.f_act_min ? r.f_act_min : (v > r.f_act_max ? r.f_act_max : v);
        }
      }
    }
  }
}

inline ConvTensors Tensors(const EvalContext& ctx, const ConvRecord& r) {
  return ConvTensors{ctx.Ptr<const void>(r.input), ctx.Ptr<const void>(r.filter),
                     r.bias == kNoRef ? nullptr : ctx.Ptr<const void>(r.bias),
                     ctx.Ptr<void>(r.output)};
}

}  // namespace emlkit::rt::portable

#endif  // EMLKIT_RUNTIME_KERNELS_CONV_PORTABLE_H_
