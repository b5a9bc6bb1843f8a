// DEPTHWISE_CONV_2D for Armv7E-M (Cortex-M4/M7): replaces kernels/reference/depthwise_conv.cc in
// firmware for cores with the DSP extension. int8: for each output pixel
// the taps inside the image are listed once (no bounds checks per channel); then four channels
// at a time, held in registers across the taps: 4 inputs and 4 weights per pair of loads,
// unpacked into 16-bit lanes with the input offset added (SXTAB16 / SXTB16), one SMLABB or SMLATT
// per multiply-accumulate (depth multiplier 1; other multipliers sum in plain C over the same tap
// list). More than 64 taps and float use the portable loops.
#include "kernels/arm_dsp/conv_quant.h"
#include "kernels/arm_dsp/dot.h"
#include "kernels/conv.h"
#include "kernels/conv_portable.h"

namespace emlkit {
namespace rt {
namespace {

constexpr int32_t kMaxTaps = 64;
constexpr int32_t kChunk = 64;  // channels requantized per pass (sums on the stack)

// d[j] = sum over the taps of (x_t[c + j] + offset) * w_t[c + j], j < 4; off2 holds the offset in
// both 16-bit halves. Its own function: the loop then has a register for every value it keeps.
__attribute__((noinline)) void SumFourChannels(const int8_t* const* xp, const int8_t* const* wp,
                                               int32_t taps, int32_t c, uint32_t off2, int32_t* d) {
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (; taps > 0; --taps) {
    const uint32_t xv = dsp::Load32(*xp++ + c), wv = dsp::Load32(*wp++ + c);
    const uint32_t xe = dsp::Sxtab16(off2, xv), xo = dsp::Sxtab16Ror8(off2, xv);
    const uint32_t we = dsp::Sxtb16(wv), wo = dsp::Sxtb16Ror8(wv);
    a0 = dsp::Smlabb(xe, we, a0);
    a2 = dsp::Smlatt(xe, we, a2);
    a1 = dsp::Smlabb(xo, wo, a1);
    a3 = dsp::Smlatt(xo, wo, a3);
  }
  d[0] = a0;
  d[1] = a1;
  d[2] = a2;
  d[3] = a3;
}

// d[j] = sum over the taps of (x_t[ic] + offset) * w_t[c + j], j < 4: four output channels that
// read the same input channel (depth multiplier a multiple of 4), the input broadcast to both
// 16-bit halves.
__attribute__((noinline)) void SumFourChannelsOneInput(const int8_t* const* xp,
                                                       const int8_t* const* wp, int32_t taps,
                                                       int32_t ic, int32_t c, int32_t offset,
                                                       int32_t* d) {
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (; taps > 0; --taps) {
    const uint32_t xv = static_cast<uint32_t>((*xp++)[ic] + offset) & 0xFFFFu;
    const uint32_t x2 = xv | (xv << 16);
    const uint32_t wv = dsp::Load32(*wp++ + c);
    const uint32_t we = dsp::Sxtb16(wv), wo = dsp::Sxtb16Ror8(wv);
    a0 = dsp::Smlabb(x2, we, a0);
    a2 = dsp::Smlatt(x2, we, a2);
    a1 = dsp::Smlabb(x2, wo, a1);
    a3 = dsp::Smlatt(x2, wo, a3);
  }
  d[0] = a0;
  d[1] = a1;
  d[2] = a2;
  d[3] = a3;
}

// Depth multiplier m > 1: output channel ic * m + j sums input channel ic over the taps; one
// requantization pass per kChunk channels.
__attribute__((noinline)) void MultiplierSums(const int8_t* const* xt, const int8_t* const* wt,
                                              int32_t taps, int32_t in_c, int32_t m, int32_t offset,
                                              int8_t* y, const dsp::ChannelQuant& q) {
  int32_t sums[kChunk];
  int32_t n = 0, c0 = 0, c = 0;
  for (int32_t ic = 0; ic < in_c; ++ic) {
    int32_t j = 0;
    if ((m & 3) == 0) {
      for (; j < m; j += 4, c += 4) {
        SumFourChannelsOneInput(xt, wt, taps, ic, c, offset, sums + n);
        n += 4;
        if (n == kChunk) {
          dsp::RequantizeChannels(sums, n, q, c0, y + c0);
          c0 += n;
          n = 0;
        }
      }
    }
    for (; j < m; ++j, ++c) {
      uint32_t a = 0;
      for (int32_t t = 0; t < taps; ++t) {
        a += static_cast<uint32_t>((xt[t][ic] + offset) * wt[t][c]);
      }
      sums[n++] = static_cast<int32_t>(a);
      if (n == kChunk) {
        dsp::RequantizeChannels(sums, n, q, c0, y + c0);
        c0 += n;
        n = 0;
      }
    }
  }
  if (n > 0) dsp::RequantizeChannels(sums, n, q, c0, y + c0);
}

void DepthwiseInt8Dsp(const EvalContext& ctx, const ConvRecord& r) {
  const Window2D& w = r.win;
  const int8_t* input = ctx.Ptr<const int8_t>(r.input);
  const int8_t* filter = ctx.Ptr<const int8_t>(r.filter);
  int8_t* y = ctx.Ptr<int8_t>(r.output);
  const dsp::ChannelQuant q = ConvChannelQuant(ctx, r);
  const int32_t channels = w.out_c, in_c = w.in_c, offset = r.input_offset;
  const int32_t multiplier = r.filter_in_c;  // depth multiplier: output c reads input c / m
  const uint32_t off2 = (static_cast<uint32_t>(offset) & 0xFFFFu) * 0x10001u;
  const int8_t* xt[kMaxTaps];  // per valid tap: the input pixel and the filter tap
  const int8_t* wt[kMaxTaps];
  // A pixel whose window lies inside the image (all but the borders) uses every tap: its input
  // pointers are the window's corner plus offsets computed once here.
  const int32_t all_taps = w.filter_h * w.filter_w;
  int32_t x_offset[kMaxTaps];
  for (int32_t fy = 0, t = 0; fy < w.filter_h; ++fy) {
    for (int32_t fx = 0; fx < w.filter_w; ++fx, ++t) {
      x_offset[t] = (fy * w.dilation_h * w.in_w + fx * w.dilation_w) * in_c;
    }
  }
  const int32_t last_iy = w.in_h - 1 - (w.filter_h - 1) * w.dilation_h;
  const int32_t last_ix = w.in_w - 1 - (w.filter_w - 1) * w.dilation_w;
  for (int32_t b = 0; b < w.batches; ++b) {
    const int8_t* image = input + b * w.in_h * w.in_w * in_c;
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      for (int32_t ox = 0; ox < w.out_w; ++ox, y += channels) {
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        int32_t taps = 0;
        if (iy0 >= 0 && iy0 <= last_iy && ix0 >= 0 && ix0 <= last_ix) {
          const int8_t* corner = image + (iy0 * w.in_w + ix0) * in_c;
          for (const int8_t* wp = filter; taps < all_taps; ++taps, wp += channels) {
            xt[taps] = corner + x_offset[taps];
            wt[taps] = wp;
          }
        } else {
          for (int32_t fy = 0; fy < w.filter_h; ++fy) {
            const int32_t iy = iy0 + w.dilation_h * fy;
            if (iy < 0 || iy >= w.in_h) continue;
            for (int32_t fx = 0; fx < w.filter_w; ++fx) {
              const int32_t ix = ix0 + w.dilation_w * fx;
              if (ix < 0 || ix >= w.in_w) continue;
              xt[taps] = image + (iy * w.in_w + ix) * in_c;
              wt[taps] = filter + (fy * w.filter_w + fx) * channels;
              ++taps;
            }
          }
        }
        if (multiplier != 1) {  // plain C: output channel ic * m + j reads input channel ic
          MultiplierSums(xt, wt, taps, in_c, multiplier, offset, y, q);
          continue;
        }
        // Sums for up to kChunk channels, then one requantization pass over them.
        for (int32_t c0 = 0; c0 < channels; c0 += kChunk) {
          const int32_t n = channels - c0 < kChunk ? channels - c0 : kChunk;
          int32_t sums[kChunk];
          int32_t i = 0;
          for (; i + 4 <= n; i += 4) SumFourChannels(xt, wt, taps, c0 + i, off2, sums + i);
          for (; i < n; ++i) {
            uint32_t a = 0;
            for (int32_t t = 0; t < taps; ++t) {
              a += static_cast<uint32_t>((xt[t][c0 + i] + offset) * wt[t][c0 + i]);
            }
            sums[i] = static_cast<int32_t>(a);
          }
          dsp::RequantizeChannels(sums, n, q, c0, y + c0);
        }
      }
    }
  }
}

}  // namespace

uint32_t DepthwiseConvScratchBytes(const ConvRecord&, bool) { return 0; }

void EvalDepthwiseConvInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  if (r.win.in_c * r.filter_in_c == r.win.out_c && r.win.filter_h * r.win.filter_w <= kMaxTaps) {
    DepthwiseInt8Dsp(ctx, r);
    return;
  }
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
