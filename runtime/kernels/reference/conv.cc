// Portable CONV_2D kernels.
#include "kernels/conv.h"
#include "kernels/fixed_point.h"

namespace emlkit::rt {

uint32_t ConvScratchBytes(const ConvRecord&, bool) { return 0; }

void EvalConvInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  const Window2D& w = r.win;
  const int8_t* input = ctx.Ptr<const int8_t>(r.input);
  const int8_t* filter = ctx.Ptr<const int8_t>(r.filter);
  const int32_t* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  int8_t* output = ctx.Ptr<int8_t>(r.output);
  const int32_t* multipliers = ChannelMultipliers(r);
  const int8_t* shifts = ChannelShifts(r);
  const int32_t fic = r.filter_in_c;
  const int32_t filters_per_group = w.out_c / (w.in_c / fic);
  const int32_t filter_size = w.filter_h * w.filter_w * fic;
  const int32_t offset = r.input_offset;
  for (int32_t b = 0; b < w.batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        int8_t* y = output + ((b * w.out_h + oy) * w.out_w + ox) * w.out_c;
        for (int32_t oc = 0; oc < w.out_c; ++oc) {
          const int32_t group_offset = (oc / filters_per_group) * fic;
          const int8_t* wrow = filter + oc * filter_size;
          uint32_t acc = 0;  // wraps like int32 without undefined behaviour
          for (int32_t fy = 0; fy < w.filter_h; ++fy) {
            const int32_t iy = iy0 + w.dilation_h * fy;
            if (iy < 0 || iy >= w.in_h) continue;
            for (int32_t fx = 0; fx < w.filter_w; ++fx) {
              const int32_t ix = ix0 + w.dilation_w * fx;
              if (ix < 0 || ix >= w.in_w) continue;
              const int8_t* x = input + ((b * w.in_h + iy) * w.in_w + ix) * w.in_c + group_offset;
              const int8_t* f = wrow + (fy * w.filter_w + fx) * fic;
              for (int32_t ic = 0; ic < fic; ++ic) {
                acc += static_cast<uint32_t>(f[ic] * (x[ic] + offset));
              }
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

void EvalConvFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  const Window2D& w = r.win;
  const float* input = ctx.Ptr<const float>(r.input);
  const float* filter = ctx.Ptr<const float>(r.filter);
  const float* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const float>(r.bias);
  float* output = ctx.Ptr<float>(r.output);
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
          v = v < r.f_act_min ? r.f_act_min : (v > r.f_act_max ? r.f_act_max : v);
          y[oc] = v;
        }
      }
    }
  }
}

}  // namespace emlkit::rt
