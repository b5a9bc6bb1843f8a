#include "kernels/pooling.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint8_t kPool2DOptions = 5;  // BuiltinOptions union index
namespace field {
constexpr int kPadding = 0, kStrideW = 1, kStrideH = 2, kFilterW = 3, kFilterH = 4, kActivation = 5;
}

Status PreparePool(PrepareContext& ctx, bool average) {
  EMLKIT_RT_TRY(ctx.CheckArity(1, 1, 1));
  TensorDesc input, output;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  EMLKIT_RT_TRY(Check4D(ctx, input));
  EMLKIT_RT_TRY(Check4D(ctx, output));
  fb::Table opt;
  bool has_opt = false;
  EMLKIT_RT_TRY(ctx.Options(kPool2DOptions, &opt, &has_opt));
  int8_t padding = 0;
  Activation act = Activation::kNone;
  Window2D w{};
  EMLKIT_RT_TRY(ctx.Option<int8_t>(opt, has_opt, field::kPadding, 0, &padding));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kStrideW, 0, &w.stride_w));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kStrideH, 0, &w.stride_h));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kFilterW, 0, &w.filter_w));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kFilterH, 0, &w.filter_h));
  EMLKIT_RT_TRY(ReadActivation(ctx, opt, has_opt, field::kActivation, &act));
  w.dilation_h = w.dilation_w = 1;
  w.batches = input.dims[0];
  w.in_h = input.dims[1];
  w.in_w = input.dims[2];
  w.in_c = input.dims[3];
  w.out_c = output.dims[3];
  if (output.dims[0] != w.batches || w.out_c != w.in_c) {
    return ctx.Fail(Status::kCorruptModel, "pooling changes the batch or channel count",
                    output.index);
  }
  EMLKIT_RT_TRY(ComputeWindow(ctx, padding, output, &w));
  EMLKIT_RT_TRY(CheckType(ctx, output, input.type));

  EvalFn eval = nullptr;
  if (input.type == TensorType::kFloat32) {
    eval = average ? &EvalAveragePoolFloat : &EvalMaxPoolFloat;
  } else if (input.type == TensorType::kInt8) {
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, input));
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, output));
    if (input.scale != output.scale || input.zero_point != output.zero_point) {
      return ctx.Fail(Status::kUnsupported,
                      "int8 pooling needs the same scale and zero point in and out", output.index);
    }
    eval = average ? &EvalAveragePoolInt8 : &EvalMaxPoolInt8;
  } else {
    return ctx.Fail(Status::kUnsupported, "pooling input type", input.index,
                    static_cast<int64_t>(input.type));
  }
  auto* r = ctx.AllocRecord<PoolRecord>(eval, 2);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->output = ctx.TensorRef(output.index);
  r->win = w;
  if (input.type == TensorType::kFloat32) {
    return FloatActivationRange(ctx, act, &r->f_act_min, &r->f_act_max);
  }
  return QuantizedActivationRange(ctx, act, output, &r->act_min, &r->act_max);
}

}  // namespace

Status PrepareOp_AVERAGE_POOL_2D(PrepareContext& ctx) { return PreparePool(ctx, true); }
Status PrepareOp_MAX_POOL_2D(PrepareContext& ctx) { return PreparePool(ctx, false); }

}  // namespace rt
}  // namespace emlkit
