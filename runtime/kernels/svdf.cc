#include "kernels/svdf.h"

#include <math.h>

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint8_t kSvdfOptions = 6;  // BuiltinOptions union index
constexpr int kRankField = 0, kActivationField = 1;

}  // namespace

Status PrepareOp_SVDF(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(5, 5, 1));
  TensorDesc input, wf, wt, bias, state, output;
  bool has_bias = false;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Input(1, &wf));
  EMLKIT_RT_TRY(ctx.Input(2, &wt));
  EMLKIT_RT_TRY(ctx.OptionalInput(3, &bias, &has_bias));
  EMLKIT_RT_TRY(ctx.Input(4, &state));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  fb::Table opt;
  bool has_opt = false;
  EMLKIT_RT_TRY(ctx.Options(kSvdfOptions, &opt, &has_opt));
  int32_t rank = 0;
  Activation act = Activation::kNone;
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, kRankField, 0, &rank));
  EMLKIT_RT_TRY(ReadActivation(ctx, opt, has_opt, kActivationField, &act));

  if (input.rank != 2 || wf.rank != 2 || wt.rank != 2 || state.rank != 2 || output.rank != 2) {
    return ctx.Fail(Status::kCorruptModel, "SVDF tensors must have 2 dimensions");
  }
  const int32_t batches = input.dims[0], input_size = input.dims[1];
  const int32_t filters = wf.dims[0], memory = wt.dims[1];
  if (rank <= 0 || filters % rank != 0) {
    return ctx.Fail(Status::kCorruptModel, "SVDF rank must divide the number of filters", -1, rank,
                    filters);
  }
  const int32_t units = filters / rank;
  if (wf.dims[1] != input_size || wt.dims[0] != filters || output.dims[0] != batches ||
      output.dims[1] != units || state.dims[0] != batches ||
      static_cast<int64_t>(state.dims[1]) != static_cast<int64_t>(memory) * filters || memory < 1 ||
      (has_bias && bias.elements != static_cast<uint32_t>(units))) {
    return ctx.Fail(Status::kCorruptModel, "SVDF tensor shapes disagree", output.index);
  }
  if (!state.is_variable) {
    return ctx.Fail(Status::kCorruptModel, "SVDF state must be a variable tensor", state.index);
  }

  EvalFn eval = nullptr;
  const bool quantized = input.type == TensorType::kInt8;
  if (quantized) {
    EMLKIT_RT_TRY(CheckType(ctx, wf, TensorType::kInt8));
    EMLKIT_RT_TRY(CheckType(ctx, output, TensorType::kInt8));
    if (has_bias) EMLKIT_RT_TRY(CheckType(ctx, bias, TensorType::kInt32));
    if (wt.type != state.type ||
        (state.type != TensorType::kInt16 && state.type != TensorType::kInt8)) {
      return ctx.Fail(Status::kUnsupported,
                      "int8 SVDF needs int16 or int8 state and time weights of the same type",
                      state.index);
    }
    const TensorDesc* quantized_tensors[] = {&input, &wf, &wt, &state, &output};
    for (const TensorDesc* t : quantized_tensors) EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, *t));
    eval = state.type == TensorType::kInt16 ? &EvalSvdfInt8Int16State : &EvalSvdfInt8Int8State;
  } else if (input.type == TensorType::kFloat32) {
    const TensorDesc* float_tensors[] = {&wf, &wt, &state, &output};
    for (const TensorDesc* t : float_tensors)
      EMLKIT_RT_TRY(CheckType(ctx, *t, TensorType::kFloat32));
    if (has_bias) EMLKIT_RT_TRY(CheckType(ctx, bias, TensorType::kFloat32));
    eval = &EvalSvdfFloat;
  } else {
    return ctx.Fail(Status::kUnsupported, "SVDF input type", input.index,
                    static_cast<int64_t>(input.type));
  }

  auto* r = ctx.AllocRecord<SvdfRecord>(eval, 8);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->weights_feature = ctx.TensorRef(wf.index);
  r->weights_time = ctx.TensorRef(wt.index);
  r->bias = has_bias ? ctx.TensorRef(bias.index) : kNoRef;
  r->state = ctx.TensorRef(state.index);
  r->output = ctx.TensorRef(output.index);
  r->scratch = ctx.ScratchRef(static_cast<uint32_t>(batches) * filters * 4);
  r->batches = batches;
  r->input_size = input_size;
  r->filters = filters;
  r->units = units;
  r->memory = memory;
  r->rank = rank;
  if (!quantized) return FloatActivationRange(ctx, act, &r->f_act_min, &r->f_act_max);

  r->scratch_output = ctx.ScratchRef(static_cast<uint32_t>(batches) * units * 4);
  r->input_zero_point = input.zero_point;
  r->state_zero_point = state.zero_point;
  r->output_zero_point = output.zero_point;
  // TFLite Micro computes these two products in float before widening to double.
  const float scale1 = input.scale * wf.scale / state.scale;
  const float scale2 = state.scale * wt.scale / output.scale;
  EMLKIT_RT_TRY(
      ComputeMultiplier(ctx, scale1, 1.0f, 1.0f, 0, &r->multiplier1, &r->shift1, state.index));
  return ComputeMultiplier(ctx, scale2, 1.0f, 1.0f, 0, &r->multiplier2, &r->shift2, output.index);
}

}  // namespace rt
}  // namespace emlkit
