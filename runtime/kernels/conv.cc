#include "kernels/conv.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint8_t kConv2DOptions = 1;  // BuiltinOptions union index
namespace field {
constexpr int kPadding = 0, kStrideW = 1, kStrideH = 2, kActivation = 3, kDilationW = 4,
              kDilationH = 5, kQuantizedBiasType = 6;
}

}  // namespace

Status PrepareConvRecord(PrepareContext& ctx, const TensorDesc& input, const TensorDesc& filter,
                         const TensorDesc* bias, const TensorDesc& output, const Window2D& win,
                         int32_t filter_in_c, int8_t activation_raw, bool depthwise) {
  const int32_t out_c = win.out_c;
  if (bias != nullptr && bias->elements != static_cast<uint32_t>(out_c)) {
    return ctx.Fail(Status::kCorruptModel, "bias size differs from the output channels",
                    bias->index, bias->elements, out_c);
  }
  if (activation_raw < 0 || activation_raw > 3) {
    return ctx.Fail(Status::kUnsupported, "fused activation not supported for this operator", -1,
                    activation_raw);
  }
  const Activation act = static_cast<Activation>(activation_raw);
  const bool quantized = input.type == TensorType::kInt8;
  EvalFn eval = nullptr;
  if (input.type == TensorType::kFloat32) {
    EMLKIT_RT_TRY(CheckType(ctx, filter, TensorType::kFloat32));
    if (bias != nullptr) EMLKIT_RT_TRY(CheckType(ctx, *bias, TensorType::kFloat32));
    EMLKIT_RT_TRY(CheckType(ctx, output, TensorType::kFloat32));
    eval = depthwise ? &EvalDepthwiseConvFloat : &EvalConvFloat;
  } else if (quantized) {
    if (filter.type != TensorType::kInt8) {
      return ctx.Fail(Status::kUnsupported, "int8 convolution needs int8 filters", filter.index);
    }
    if (bias != nullptr) EMLKIT_RT_TRY(CheckType(ctx, *bias, TensorType::kInt32));
    EMLKIT_RT_TRY(CheckType(ctx, output, TensorType::kInt8));
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, input));
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, output));
    eval = depthwise ? &EvalDepthwiseConvInt8 : &EvalConvInt8;
  } else {
    return ctx.Fail(Status::kUnsupported, "convolution input type", input.index,
                    static_cast<int64_t>(input.type));
  }

  const uint32_t extra = quantized ? static_cast<uint32_t>(out_c) * 5 : 0;
  auto* r = ctx.AllocRecord<ConvRecord>(eval, 5, extra);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->filter = ctx.TensorRef(filter.index);
  r->bias = bias != nullptr ? ctx.TensorRef(bias->index) : kNoRef;
  r->output = ctx.TensorRef(output.index);
  r->win = win;
  r->filter_in_c = filter_in_c;
  const uint32_t scratch =
      depthwise ? DepthwiseConvScratchBytes(*r, quantized) : ConvScratchBytes(*r, quantized);
  if (scratch > 0) r->scratch = ctx.ScratchRef(scratch);
  if (!quantized) return FloatActivationRange(ctx, act, &r->f_act_min, &r->f_act_max);

  r->input_offset = -input.zero_point;
  r->output_offset = output.zero_point;
  EMLKIT_RT_TRY(QuantizedActivationRange(ctx, act, output, &r->act_min, &r->act_max));
  r->per_channel = static_cast<uint32_t>(sizeof(ConvRecord));
  uint8_t* tail = reinterpret_cast<uint8_t*>(r) + r->per_channel;
  return PerChannelMultipliers(ctx, input, filter, output, out_c, reinterpret_cast<int32_t*>(tail),
                               reinterpret_cast<int8_t*>(tail + 4 * out_c));
}

Status PrepareOp_CONV_2D(PrepareContext& ctx) {
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
  EMLKIT_RT_TRY(ctx.Options(kConv2DOptions, &opt, &has_opt));
  int8_t padding = 0, act = 0, bias_type = 0;
  Window2D w{};
  EMLKIT_RT_TRY(ctx.Option<int8_t>(opt, has_opt, field::kPadding, 0, &padding));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kStrideW, 0, &w.stride_w));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kStrideH, 0, &w.stride_h));
  EMLKIT_RT_TRY(ctx.Option<int8_t>(opt, has_opt, field::kActivation, 0, &act));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kDilationW, 1, &w.dilation_w));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kDilationH, 1, &w.dilation_h));
  EMLKIT_RT_TRY(ctx.Option<int8_t>(opt, has_opt, field::kQuantizedBiasType, 0, &bias_type));
  if (bias_type != 0 && bias_type != static_cast<int8_t>(TensorType::kInt32)) {
    return ctx.Fail(Status::kUnsupported, "CONV_2D bias type other than int32", -1, bias_type);
  }

  w.batches = input.dims[0];
  w.in_h = input.dims[1];
  w.in_w = input.dims[2];
  w.in_c = input.dims[3];
  w.out_c = output.dims[3];
  w.filter_h = filter.dims[1];
  w.filter_w = filter.dims[2];
  const int32_t filter_in_c = filter.dims[3];
  if (output.dims[0] != w.batches || filter.dims[0] != w.out_c) {
    return ctx.Fail(Status::kCorruptModel, "CONV_2D batch or output channel sizes disagree",
                    output.index, output.dims[0], w.batches);
  }
  if (filter_in_c <= 0 || w.in_c % filter_in_c != 0 || w.out_c % (w.in_c / filter_in_c) != 0) {
    return ctx.Fail(Status::kCorruptModel,
                    "CONV_2D filter depth does not divide the input channels into groups",
                    filter.index, filter_in_c, w.in_c);
  }
  EMLKIT_RT_TRY(ComputeWindow(ctx, padding, output, &w));
  return PrepareConvRecord(ctx, input, filter, has_bias ? &bias : nullptr, output, w, filter_in_c,
                           act, /*depthwise=*/false);
}

}  // namespace rt
}  // namespace emlkit
