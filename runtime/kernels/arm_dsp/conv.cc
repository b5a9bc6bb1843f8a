// CONV_2D for Armv7E-M (Cortex-M4/M7): replaces kernels/reference/conv.cc in firmware for cores
// with the DSP extension. int8 without groups: for each output pixel the receptive field is
// gathered once (im2col) into an int16 scratch vector with the input offset added (0 for padding
// taps, which contribute nothing, as in TFLite), and each output channel is a dot product of its
// filter row (the filter is [out_c][fh][fw][in_c], rows contiguous) with it: four channels per
// pass, two multiply-accumulates per SMLAD (kernels/arm_dsp/dot.h). Grouped convolutions, receptive
// fields over 1,024 values and float use the portable loops.
#include "kernels/conv.h"
#include "kernels/arm_dsp/conv_quant.h"
#include "kernels/arm_dsp/dot.h"
#include "kernels/conv_portable.h"

namespace emlkit {
namespace rt {
namespace {

constexpr int32_t kMaxPatch = 1024;  // scratch: 2 bytes per receptive-field value
constexpr int32_t kChunk = 64;       // channels requantized per pass (sums on the stack)

int32_t PatchSize(const ConvRecord& r) { return r.win.filter_h * r.win.filter_w * r.filter_in_c; }

// Gathers the receptive field of output pixel (b, oy, ox) into xs (plain order, offset added).
void GatherPatch(const ConvRecord& r, const int8_t* input, int32_t b, int32_t oy, int32_t ox,
                 int16_t* xs) {
  const Window2D& w = r.win;
  const int32_t in_c = w.in_c, offset = r.input_offset;
  const int32_t iy0 = oy * w.stride_h - w.pad_h, ix0 = ox * w.stride_w - w.pad_w;
  const int8_t* image = input + b * w.in_h * w.in_w * in_c;
  for (int32_t fy = 0; fy < w.filter_h; ++fy) {
    const int32_t iy = iy0 + w.dilation_h * fy;
    for (int32_t fx = 0; fx < w.filter_w; ++fx) {
      const int32_t ix = ix0 + w.dilation_w * fx;
      if (iy < 0 || iy >= w.in_h || ix < 0 || ix >= w.in_w) {
        for (int32_t c = 0; c < in_c; ++c) *xs++ = 0;
      } else {
        const int8_t* x = image + (iy * w.in_w + ix) * in_c;
        for (int32_t c = 0; c < in_c; ++c) *xs++ = static_cast<int16_t>(x[c] + offset);
      }
    }
  }
}

void ConvInt8Dsp(const EvalContext& ctx, const ConvRecord& r) {
  const Window2D& w = r.win;
  const int8_t* input = ctx.Ptr<const int8_t>(r.input);
  const int8_t* filter = ctx.Ptr<const int8_t>(r.filter);
  int8_t* y = ctx.Ptr<int8_t>(r.output);
  int16_t* xs = ctx.Ptr<int16_t>(r.scratch);
  const dsp::ChannelQuant q = ConvChannelQuant(ctx, r);
  const int32_t k = PatchSize(r), out_c = w.out_c;
  // 1x1 filters with no padding read one input pixel in place: no gather needed.
  const bool pointwise = w.filter_h == 1 && w.filter_w == 1 && w.pad_h == 0 && w.pad_w == 0;
  for (int32_t b = 0; b < w.batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      for (int32_t ox = 0; ox < w.out_w; ++ox, y += out_c) {
        if (pointwise) {
          const int8_t* x =
              input + ((b * w.in_h + oy * w.stride_h) * w.in_w + ox * w.stride_w) * w.in_c;
          dsp::InputVector(x, k, r.input_offset, xs);
        } else {
          GatherPatch(r, input, b, oy, ox, xs);
          dsp::ToDotLayout(xs, k);
        }
        // Sums for up to kChunk channels, then one requantization pass over them.
        const int8_t* row = filter;
        for (int32_t c0 = 0; c0 < out_c; c0 += kChunk) {
          const int32_t n = out_c - c0 < kChunk ? out_c - c0 : kChunk;
          int32_t d[kChunk];
          int32_t i = 0;
          for (; i + 4 <= n; i += 4, row += 4 * k) dsp::DotFour(xs, row, k, d + i);
          for (; i < n; ++i, row += k) d[i] = dsp::DotOne(xs, row, k);
          dsp::RequantizeChannels(d, n, q, c0, y + c0);
        }
      }
    }
  }
}

}  // namespace

uint32_t ConvScratchBytes(const ConvRecord& r, bool quantized) {
  const int32_t k = PatchSize(r);
  if (!quantized || r.filter_in_c != r.win.in_c || k > kMaxPatch) return 0;
  return 2 * static_cast<uint32_t>(k);
}

void EvalConvInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  if (r.scratch != kNoRef) {
    ConvInt8Dsp(ctx, r);
    return;
  }
  const portable::ConvTensors t = portable::Tensors(ctx, r);
  for (int32_t b = 0; b < r.win.batches; ++b) {
    for (int32_t oy = 0; oy < r.win.out_h; ++oy) {
      for (int32_t ox = 0; ox < r.win.out_w; ++ox) portable::ConvInt8Pixel(r, t, b, oy, ox);
    }
  }
}

void EvalConvFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ConvRecord*>(record);
  portable::ConvFloat(r, portable::Tensors(ctx, r));
}

}  // namespace rt
}  // namespace emlkit
