#include "kernels/quantize.h"

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {
namespace {

EvalFn RequantizeFn(TensorType in, TensorType out) {
  using T = TensorType;
  if (in == T::kInt8 && out == T::kInt8) return &EvalRequantizeInt8ToInt8;
  if (in == T::kInt8 && out == T::kInt16) return &EvalRequantizeInt8ToInt16;
  if (in == T::kInt8 && out == T::kInt32) return &EvalRequantizeInt8ToInt32;
  if (in == T::kInt16 && out == T::kInt8) return &EvalRequantizeInt16ToInt8;
  if (in == T::kInt16 && out == T::kInt16) return &EvalRequantizeInt16ToInt16;
  if (in == T::kInt16 && out == T::kInt32) return &EvalRequantizeInt16ToInt32;
  if (in == T::kInt32 && out == T::kInt8) return &EvalRequantizeInt32ToInt8;
  if (in == T::kInt32 && out == T::kInt16) return &EvalRequantizeInt32ToInt16;
  return nullptr;
}

}  // namespace

Status PrepareOp_QUANTIZE(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(1, 1, 1));
  TensorDesc input, output;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  EMLKIT_RT_TRY(CheckSameElements(ctx, input, output));
  EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, output));
  if (output.num_scales != 1) {
    return ctx.Fail(Status::kUnsupported, "per-channel QUANTIZE output", output.index);
  }
  EvalFn eval = nullptr;
  if (input.type == TensorType::kFloat32) {
    if (output.type == TensorType::kInt8) eval = &EvalQuantizeFloatToInt8;
    if (output.type == TensorType::kInt16) eval = &EvalQuantizeFloatToInt16;
  } else {
    eval = RequantizeFn(input.type, output.type);
    if (eval != nullptr) EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, input));
  }
  if (eval == nullptr) {
    return ctx.Fail(Status::kUnsupported, "QUANTIZE between these types", output.index,
                    static_cast<int64_t>(input.type), static_cast<int64_t>(output.type));
  }
  auto* r = ctx.AllocRecord<QuantizeRecord>(eval, 2);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->output = ctx.TensorRef(output.index);
  r->count = input.elements;
  r->input_zero_point = input.zero_point;
  r->output_zero_point = output.zero_point;
  r->scale = output.scale;
  r->out_min = TypeMin(output.type);
  r->out_max = TypeMax(output.type);
  if (TensorTypeSize(output.type) <= TensorTypeSize(input.type)) ctx.AllowInPlace(0, 1);
  if (input.type == TensorType::kFloat32) return Status::kOk;
  return ComputeMultiplier(ctx, input.scale, 1.0f, output.scale, 0, &r->multiplier, &r->shift,
                           output.index);
}

Status PrepareOp_DEQUANTIZE(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(1, 1, 1));
  TensorDesc input, output;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  EMLKIT_RT_TRY(CheckSameElements(ctx, input, output));
  EMLKIT_RT_TRY(CheckType(ctx, output, TensorType::kFloat32));
  EvalFn eval = nullptr;
  if (input.type == TensorType::kInt8) eval = &EvalDequantizeInt8;
  if (input.type == TensorType::kUInt8) eval = &EvalDequantizeUInt8;
  if (input.type == TensorType::kInt16) eval = &EvalDequantizeInt16;
  if (eval == nullptr) {
    return ctx.Fail(Status::kUnsupported, "DEQUANTIZE input type", input.index,
                    static_cast<int64_t>(input.type));
  }
  EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, input));
  if (input.num_scales != 1) {
    return ctx.Fail(Status::kUnsupported, "per-channel DEQUANTIZE input", input.index);
  }
  auto* r = ctx.AllocRecord<QuantizeRecord>(eval, 2);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->output = ctx.TensorRef(output.index);
  r->count = input.elements;
  r->input_zero_point = input.zero_point;
  r->scale = input.scale;
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
