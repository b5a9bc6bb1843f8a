#include "kernels/conv.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint8_t kDepthwiseConv2DOptions = 2;  // BuiltinOptions union index
namespace field {
constexpr int kPadding = 0, kStrideW = 1, kStrideH = 2, kDepthMultiplier = 3, kActivation = 4,
              kDilationW = 5, kDilationH = 6;
}

}  // namespace

Status PrepareOp_DEPTHWISE_CONV_2D(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(2, 3, 1));
  TensorDesc input, filter, bias, output;
  bool has_bias = false;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Input(1, &filter));
  EMLKIT_RT_TRY(ctx.OptionalInput(2, &bias, &has_bias));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  EMLKIT_RT_TRY(Check4D(ctx, input));
  EMLKIT_RT_TRY(Check4D(ctx, filter));
  EMLKIT_RT_TRY(Check4D(ctx, output));

  fb::Table opt;
  bool has_opt = false;
  EMLKIT_RT_TRY(ctx.Options(kDepthwiseConv2DOptions, &opt, &has_opt));
  int8_t padding = 0, act = 0;
  int32_t depth_multiplier_option = 0;
  Window2D w{};
  EMLKIT_RT_TRY(ctx.Option<int8_t>(opt, has_opt, field::kPadding, 0, &padding));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kStrideW, 0, &w.stride_w));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kStrideH, 0, &w.stride_h));
  EMLKIT_RT_TRY(
      ctx.Option<int32_t>(opt, has_opt, field::kDepthMultiplier, 0, &depth_multiplier_option));
  EMLKIT_RT_TRY(ctx.Option<int8_t>(opt, has_opt, field::kActivation, 0, &act));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kDilationW, 1, &w.dilation_w));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kDilationH, 1, &w.dilation_h));

  w.batches = input.dims[0];
  w.in_h = input.dims[1];
  w.in_w = input.dims[2];
  w.in_c = input.dims[3];
  w.out_c = output.dims[3];
  w.filter_h = filter.dims[1];
  w.filter_w = filter.dims[2];
  if (output.dims[0] != w.batches || filter.dims[0] != 1 || filter.dims[3] != w.out_c) {
    return ctx.Fail(Status::kCorruptModel,
                    "DEPTHWISE_CONV_2D filter must be [1, h, w, output channels]", filter.index);
  }
  if (w.in_c <= 0 || w.out_c % w.in_c != 0) {
    return ctx.Fail(Status::kCorruptModel,
                    "DEPTHWISE_CONV_2D output channels are not a multiple of the input's",
                    output.index, w.out_c, w.in_c);
  }
  const int32_t depth_multiplier = w.out_c / w.in_c;
  if (depth_multiplier_option != 0 && depth_multiplier_option != depth_multiplier) {
    return ctx.Fail(Status::kCorruptModel, "depth_multiplier disagrees with the tensor shapes", -1,
                    depth_multiplier_option, depth_multiplier);
  }
  EMLKIT_RT_TRY(ComputeWindow(ctx, padding, output, &w));
  return PrepareConvRecord(ctx, input, filter, has_bias ? &bias : nullptr, output, w,
                           depth_multiplier, act, /*depthwise=*/true);
}

}  // namespace rt
}  // namespace emlkit
