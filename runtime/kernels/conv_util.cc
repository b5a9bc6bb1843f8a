#include "kernels/conv_util.h"

namespace emlkit {
namespace rt {

Status Check4D(PrepareContext& ctx, const TensorDesc& t) {
  if (t.rank != 4) {
    return ctx.Fail(Status::kUnsupported, "tensor must have 4 dimensions (NHWC)", t.index, t.rank,
                    4);
  }
  return Status::kOk;
}

Status ComputeWindow(PrepareContext& ctx, int8_t padding, const TensorDesc& output, Window2D* w) {
  if (padding != 0 && padding != 1) {
    return ctx.Fail(Status::kCorruptModel, "unknown padding type", -1, padding);
  }
  if (w->stride_h < 1 || w->stride_w < 1 || w->dilation_h < 1 || w->dilation_w < 1 ||
      w->filter_h < 1 || w->filter_w < 1) {
    return ctx.Fail(Status::kCorruptModel, "stride, dilation and filter size must be >= 1");
  }
  auto out_size = [padding](int64_t in, int64_t filter, int64_t stride, int64_t dilation) {
    const int64_t effective = (filter - 1) * dilation + 1;
    const int64_t n =
        padding == 0 ? (in + stride - 1) / stride : (in + stride - effective) / stride;
    return n < 0 ? int64_t{0} : n;
  };
  auto pad = [](int64_t in, int64_t filter, int64_t stride, int64_t dilation, int64_t out) {
    const int64_t effective = (filter - 1) * dilation + 1;
    const int64_t total = (out - 1) * stride + effective - in;
    return static_cast<int32_t>(total > 0 ? total / 2 : 0);
  };
  const int64_t out_h = out_size(w->in_h, w->filter_h, w->stride_h, w->dilation_h);
  const int64_t out_w = out_size(w->in_w, w->filter_w, w->stride_w, w->dilation_w);
  if (output.Dim(1) != out_h || output.Dim(2) != out_w) {
    return ctx.Fail(Status::kCorruptModel,
                    "output height/width do not match the input, filter, stride and padding",
                    output.index, output.Dim(1) * 100000LL + output.Dim(2), out_h * 100000 + out_w);
  }
  w->out_h = static_cast<int32_t>(out_h);
  w->out_w = static_cast<int32_t>(out_w);
  w->pad_h = pad(w->in_h, w->filter_h, w->stride_h, w->dilation_h, out_h);
  w->pad_w = pad(w->in_w, w->filter_w, w->stride_w, w->dilation_w, out_w);
  return Status::kOk;
}

Status PerChannelMultipliers(PrepareContext& ctx, const TensorDesc& input, const TensorDesc& filter,
                             const TensorDesc& output, int32_t channels, int32_t* multiplier,
                             int8_t* shift) {
  if (filter.num_scales != 1 && filter.num_scales != static_cast<uint32_t>(channels)) {
    return ctx.Fail(Status::kCorruptModel, "filter has a scale count other than 1 or channels",
                    filter.index, filter.num_scales, channels);
  }
  for (uint32_t c = 0; c < filter.num_zero_points; ++c) {
    if (filter.ZeroPointAt(c) != 0) {
      return ctx.Fail(Status::kUnsupported,
                      "int8 filters must be symmetric (zero point 0), as the spec requires",
                      filter.index, filter.ZeroPointAt(c), 0);
    }
  }
  for (int32_t c = 0; c < channels; ++c) {
    const float fs = filter.ScaleAt(filter.num_scales == 1 ? 0u : static_cast<uint32_t>(c));
    int32_t s = 0;
    EMLKIT_RT_TRY(
        ComputeMultiplier(ctx, input.scale, fs, output.scale, 0, &multiplier[c], &s, filter.index));
    shift[c] = static_cast<int8_t>(s);
  }
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
