// The portable convolution loops, shared by kernels/reference/ and the host variants' fallbacks
// (one definition of the arithmetic). Inline: they are the inner loops.
#ifndef EMLKIT_RUNTIME_KERNELS_CONV_PORTABLE_H_
#define EMLKIT_RUNTIME_KERNELS_CONV_PORTABLE_H_

#include <stdint.h>

#include "kernels/conv.h"
#include "kernels/fixed_point.h"

namespace emlkit {
namespace rt {
namespace portable {

struct ConvTensors {
  const void* input;
  const void* filter;
  const void* bias;  // may be null
  void* output;
};

// Taps [*begin, *end) of one filter axis whose input coordinate origin + dilation * tap lies in
// [0, size). The inside taps are contiguous, so two short scans find them once per pixel.
inline void TapRange(int32_t origin, int32_t dilation, int32_t taps, int32_t size, int32_t* begin,
                     int32_t* end) {
  int32_t lo = 0, hi = taps;
  while (lo < hi && origin + dilation * lo < 0) ++lo;
  while (hi > lo && origin + dilation * (hi - 1) >= size) --hi;
  *begin = lo;
  *end = hi;
}

// Requantizes the int32 sum of output channel `oc` (+ bias) to int8.
inline int8_t ConvRequantize(const ConvRecord& r, const int32_t* bias, const int32_t* multipliers,
                             const int8_t* shifts, int32_t oc, uint32_t acc) {
  int32_t v = static_cast<int32_t>(acc);
  if (bias != nullptr) v = fx::WrapAdd(v, bias[oc]);
  return static_cast<int8_t>(
      fx::RequantizeClamp(v, multipliers[oc], shifts[oc], r.output_offset, r.act_min, r.act_max));
}

// sum_i f[i] * (x[i] + input_offset) for i < n, wrapping modulo 2^32. Not inlined: in its own
// function the loop's values fit in registers (the 8 low registers of a Cortex-M0+).
__attribute__((noinline)) inline uint32_t DotRun(const int8_t* x, const int8_t* f, int32_t n,
                                                 int32_t input_offset) {
  uint32_t acc = 0;
  if (n <= 0) return acc;
  x += n;  // index from -n up to 0: one counter, compared with zero
  f += n;
  int32_t i = -n;
  do {
    acc += static_cast<uint32_t>(f[i] * (x[i] + input_offset));
  } while (++i != 0);
  return acc;
}

// The same sums for two filter rows f0 and f1 sharing each input load: acc[0] += row f0,
// acc[1] += row f1.
__attribute__((noinline)) inline void DotRun2(const int8_t* x, const int8_t* f0, const int8_t* f1,
                                              int32_t n, int32_t input_offset, uint32_t* acc) {
  if (n <= 0) return;
  uint32_t acc0 = 0, acc1 = 0;
  x += n;
  f0 += n;
  f1 += n;
  int32_t i = -n;
  do {
    const int32_t xv = x[i] + input_offset;
    acc0 += static_cast<uint32_t>(f0[i] * xv);
    acc1 += static_cast<uint32_t>(f1[i] * xv);
  } while (++i != 0);
  acc[0] += acc0;
  acc[1] += acc1;
}

// All output channels of CONV_2D output pixel (b, oy, ox), int8: int32 sums of
// filter * (input - zero point) over the taps inside the image, then requantized. The sums wrap
// like int32 (unsigned arithmetic, no undefined behaviour); the order of the integer terms does
// not change the result.
inline void ConvInt8Pixel(const ConvRecord& r, const ConvTensors& t, int32_t b, int32_t oy,
                          int32_t ox) {
  const Window2D& w = r.win;
  const int32_t* bias = static_cast<const int32_t*>(t.bias);
  const int32_t* multipliers = ChannelMultipliers(r);
  const int8_t* shifts = ChannelShifts(r);
  const int32_t fic = r.filter_in_c, in_c = w.in_c, out_c = w.out_c, in_w = w.in_w;
  const int32_t filter_w = w.filter_w, dil_h = w.dilation_h, dil_w = w.dilation_w;
  const int32_t filter_size = w.filter_h * filter_w * fic;
  const int32_t input_offset = r.input_offset;
  const int32_t iy0 = oy * w.stride_h - w.pad_h, ix0 = ox * w.stride_w - w.pad_w;
  int32_t fy_begin, fy_end, fx_begin, fx_end;
  TapRange(iy0, dil_h, w.filter_h, w.in_h, &fy_begin, &fy_end);
  TapRange(ix0, dil_w, filter_w, in_w, &fx_begin, &fx_end);
  const int32_t rows = fy_end - fy_begin, cols = fx_end - fx_begin;
  int8_t* y = static_cast<int8_t*>(t.output) + ((b * w.out_h + oy) * w.out_w + ox) * out_c;
  if (rows <= 0 || cols <= 0) {  // no tap inside the image: every sum is 0
    for (int32_t oc = 0; oc < out_c; ++oc) {
      y[oc] = ConvRequantize(r, bias, multipliers, shifts, oc, 0);
    }
    return;
  }
  // Input of tap (fy_begin, fx_begin) and filter offset of that tap.
  const int8_t* x0 = static_cast<const int8_t*>(t.input) +
                     ((b * w.in_h + iy0 + dil_h * fy_begin) * in_w + ix0 + dil_w * fx_begin) * in_c;
  const int8_t* f0 = static_cast<const int8_t*>(t.filter) + (fy_begin * filter_w + fx_begin) * fic;
  const int32_t x_row_step = dil_h * in_w * in_c, f_row_step = filter_w * fic;
  if (fic == in_c && dil_w == 1) {
    // One group, adjacent columns: each filter row's inside taps are one contiguous run of input
    // and of filter. Two output channels per pass share each input load.
    const int32_t run = cols * in_c;
    const int8_t* f = f0;
    int32_t oc = 0;
    for (; oc + 1 < out_c; oc += 2, f += 2 * filter_size) {
      uint32_t acc[2] = {0, 0};
      const int8_t* xr = x0;
      const int8_t* fr = f;
      for (int32_t row = 0; row < rows; ++row, xr += x_row_step, fr += f_row_step) {
        DotRun2(xr, fr, fr + filter_size, run, input_offset, acc);
      }
      y[oc] = ConvRequantize(r, bias, multipliers, shifts, oc, acc[0]);
      y[oc + 1] = ConvRequantize(r, bias, multipliers, shifts, oc + 1, acc[1]);
    }
    if (oc < out_c) {
      uint32_t acc = 0;
      const int8_t* xr = x0;
      const int8_t* fr = f;
      for (int32_t row = 0; row < rows; ++row, xr += x_row_step, fr += f_row_step) {
        acc += DotRun(xr, fr, run, input_offset);
      }
      y[oc] = ConvRequantize(r, bias, multipliers, shifts, oc, acc);
    }
    return;
  }
  // Groups or dilated columns: groups in the outer loop, each tap's fic channels contiguous.
  const int32_t groups = in_c / fic;
  const int32_t filters_per_group = out_c / groups;
  const int32_t x_col_step = dil_w * in_c;
  for (int32_t g = 0, oc = 0; g < groups; ++g) {
    const int8_t* xg = x0 + g * fic;
    for (int32_t k = 0; k < filters_per_group; ++k, ++oc) {
      uint32_t acc = 0;
      const int8_t* xr = xg;
      const int8_t* fr = f0 + oc * filter_size;
      for (int32_t row = 0; row < rows; ++row) {
        const int8_t* xp = xr;
        const int8_t* fp = fr;
        for (int32_t col = 0; col < cols; ++col) {
          for (int32_t ic = 0; ic < fic; ++ic) {
            acc += static_cast<uint32_t>(fp[ic] * (xp[ic] + input_offset));
          }
          xp += x_col_step;
          fp += fic;
        }
        xr += x_row_step;
        fr += f_row_step;
      }
      y[oc] = ConvRequantize(r, bias, multipliers, shifts, oc, acc);
    }
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
// Output channel oc reads input channel oc / depth_multiplier: input channels in the outer loop,
// the depth multiplier inner, so no division per channel.
inline void DepthwiseInt8Pixel(const ConvRecord& r, const ConvTensors& t, int32_t b, int32_t oy,
                               int32_t ox, int32_t oc_begin, int32_t oc_end) {
  if (oc_begin >= oc_end) return;
  const Window2D& w = r.win;
  const int32_t* bias = static_cast<const int32_t*>(t.bias);
  const int32_t* multipliers = ChannelMultipliers(r);
  const int8_t* shifts = ChannelShifts(r);
  const int32_t depth_multiplier = r.filter_in_c;
  const int32_t in_c = w.in_c, out_c = w.out_c, in_w = w.in_w, filter_w = w.filter_w;
  const int32_t dil_h = w.dilation_h, dil_w = w.dilation_w;
  const int32_t input_offset = r.input_offset;
  const int32_t iy0 = oy * w.stride_h - w.pad_h, ix0 = ox * w.stride_w - w.pad_w;
  int32_t fy_begin, fy_end, fx_begin, fx_end;
  TapRange(iy0, dil_h, w.filter_h, w.in_h, &fy_begin, &fy_end);
  TapRange(ix0, dil_w, filter_w, in_w, &fx_begin, &fx_end);
  const int32_t rows = fy_end - fy_begin, cols = fx_end - fx_begin;
  int8_t* y = static_cast<int8_t*>(t.output) + ((b * w.out_h + oy) * w.out_w + ox) * out_c;
  if (rows <= 0 || cols <= 0) {  // no tap inside the image
    for (int32_t oc = oc_begin; oc < oc_end; ++oc) {
      y[oc] = ConvRequantize(r, bias, multipliers, shifts, oc, 0);
    }
    return;
  }
  // Channel 0 at tap (fy_begin, fx_begin), and the steps between taps.
  const int8_t* x0 = static_cast<const int8_t*>(t.input) +
                     ((b * w.in_h + iy0 + dil_h * fy_begin) * in_w + ix0 + dil_w * fx_begin) * in_c;
  const int8_t* f0 =
      static_cast<const int8_t*>(t.filter) + (fy_begin * filter_w + fx_begin) * out_c;
  const int32_t x_col_step = dil_w * in_c, x_row_step = dil_h * in_w * in_c;
  const int32_t f_col_step = out_c, f_row_step = filter_w * out_c;
  if (depth_multiplier == 1) {
    // Two adjacent channels per pass share the tap walk.
    int32_t oc = oc_begin;
    for (; oc + 1 < oc_end; oc += 2) {
      uint32_t acc0 = 0, acc1 = 0;
      const int8_t* xr = x0 + oc;
      const int8_t* fr = f0 + oc;
      for (int32_t row = 0; row < rows; ++row) {
        const int8_t* xp = xr;
        const int8_t* fp = fr;
        for (int32_t col = 0; col < cols; ++col) {
          acc0 += static_cast<uint32_t>(fp[0] * (xp[0] + input_offset));
          acc1 += static_cast<uint32_t>(fp[1] * (xp[1] + input_offset));
          xp += x_col_step;
          fp += f_col_step;
        }
        xr += x_row_step;
        fr += f_row_step;
      }
      y[oc] = ConvRequantize(r, bias, multipliers, shifts, oc, acc0);
      y[oc + 1] = ConvRequantize(r, bias, multipliers, shifts, oc + 1, acc1);
    }
    if (oc < oc_end) {
      uint32_t acc = 0;
      const int8_t* xr = x0 + oc;
      const int8_t* fr = f0 + oc;
      for (int32_t row = 0; row < rows; ++row) {
        const int8_t* xp = xr;
        const int8_t* fp = fr;
        for (int32_t col = 0; col < cols; ++col) {
          acc += static_cast<uint32_t>(*fp * (*xp + input_offset));
          xp += x_col_step;
          fp += f_col_step;
        }
        xr += x_row_step;
        fr += f_row_step;
      }
      y[oc] = ConvRequantize(r, bias, multipliers, shifts, oc, acc);
    }
    return;
  }
  int32_t ic = oc_begin / depth_multiplier;  // once per pixel
  int32_t m = oc_begin - ic * depth_multiplier;
  for (int32_t oc = oc_begin; oc < oc_end; ++ic, m = 0) {
    const int8_t* xc = x0 + ic;
    for (; m < depth_multiplier && oc < oc_end; ++m, ++oc) {
      uint32_t acc = 0;
      const int8_t* xr = xc;
      const int8_t* fr = f0 + oc;
      for (int32_t row = 0; row < rows; ++row) {
        const int8_t* xp = xr;
        const int8_t* fp = fr;
        for (int32_t col = 0; col < cols; ++col) {
          acc += static_cast<uint32_t>(*fp * (*xp + input_offset));
          xp += x_col_step;
          fp += f_col_step;
        }
        xr += x_row_step;
        fr += f_row_step;
      }
      y[oc] = ConvRequantize(r, bias, multipliers, shifts, oc, acc);
    }
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

}  // namespace portable
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_CONV_PORTABLE_H_
