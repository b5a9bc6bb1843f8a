// Portable DEPTHWISE_CONV_2D kernels.
#include "kernels/conv.h"
#include "kernels/fixed_point.h"

namespace emlkit::rt {

uint32_t DepthwiseConvScratchBytes(const ConvRecord&, bool) { return 0; }

void EvalDepthwiseConvInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  const Window2D& w = r.win;
  const int8_t* input = ctx.Ptr<const int8_t>(r.input);
  const int8_t* filter = ctx.Ptr<const int8_t>(r.filter);
  const int32_t* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  int8_t* output = ctx.Ptr<int8_t>(r.output);
  const int32_t* multipliers = ChannelMultipliers(r);
  const int8_t* shifts = ChannelShifts(r);
  const int32_t depth_multiplier = r.filter_in_c;
  const int32_t offset = r.input_offset;
  for (int32_t b = 0; b < w.batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        int8_t* y = output + ((b * w.out_h + oy) * w.out_w + ox) * w.out_c;
        for (int32_t oc = 0; oc < w.out_c; ++oc) {
          const int32_t ic = oc / depth_multiplier;
          uint32_t acc = 0;
          for (int32_t fy = 0; fy < w.filter_h; ++fy) {
            const int32_t iy = iy0 + w.dilation_h * fy;
            if (iy < 0 || iy >= w.in_h) continue;
            const int8_t* x_row = input + (b * w.in_h + iy) * w.in_w * w.in_c + ic;
            const int8_t* f_row = filter + fy * w.filter_w * w.out_c + oc;
            for (int32_t fx = 0; fx < w.filter_w; ++fx) {
              const int32_t ix = ix0 + w.dilation_w * fx;
              if (ix < 0 || ix >= w.in_w) continue;
              acc += static_cast<uint32_t>(f_row[fx * w.out_c] * (x_row[ix * w.in_c] + offset));
            }
          }
          int32_t v = static_cast<int32_t>(acc);
          if (bias != nullptr) v = fx::WrapAdd(v, bias[oc]);
          v = fx::MultiplyByQuantizedMultiplier(v, multipliers[oc], shifts[oc]) + r.output_offset;
          v = v < r.act_min ? r.act_min : (v > r.act_max ? r.act_max : v);
          y[oc] = static_cast<int8_t>(v);
        }
      }
    }
  }
}

void EvalDepthwiseConvFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  const Window2D& w = r.win;
  const float* input = ctx.Ptr<const float>(r.input);
  const float* filter = ctx.Ptr<const float>(r.filter);
  const float* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const float>(r.bias);
  float* output = ctx.Ptr<float>(r.output);
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
          v = v < r.f_act_min ? r.f_act_min : (v > r.f_act_max ? r.f_act_max : v);
          y[oc] = v;
        }
      }
    }
  }
}

}  // namespace emlkit::rt
