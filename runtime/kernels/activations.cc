#include "kernels/activations.h"

#include <math.h>

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {
namespace {

enum class Kind { kRelu, kRelu6, kLogistic, kTanh };

Status PrepareActivation(PrepareContext& ctx, Kind kind) {
  EMLKIT_RT_TRY(ctx.CheckArity(1, 1, 1));
  TensorDesc input, output;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  EMLKIT_RT_TRY(CheckSameElements(ctx, input, output));
  EMLKIT_RT_TRY(CheckType(ctx, output, input.type));
  const bool quantized = input.type == TensorType::kInt8;
  if (!quantized && input.type != TensorType::kFloat32) {
    return ctx.Fail(Status::kUnsupported, "activation input type", input.index,
                    static_cast<int64_t>(input.type));
  }
  EvalFn eval = nullptr;
  switch (kind) {
    case Kind::kRelu:
      eval = quantized ? &EvalReluInt8 : &EvalReluFloat;
      break;
    case Kind::kRelu6:
      eval = quantized ? &EvalRelu6Int8 : &EvalRelu6Float;
      break;
    case Kind::kLogistic:
      eval = quantized ? &EvalLogisticInt8 : &EvalLogisticFloat;
      break;
    case Kind::kTanh:
      eval = quantized ? &EvalTanhInt8 : &EvalTanhFloat;
      break;
  }
  auto* r = ctx.AllocRecord<ActivationRecord>(eval, 2);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->output = ctx.TensorRef(output.index);
  r->count = input.elements;
  ctx.AllowInPlace(0, 1);
  if (!quantized) return Status::kOk;

  EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, input));
  EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, output));
  r->input_zero_point = input.zero_point;
  r->output_zero_point = output.zero_point;
  switch (kind) {
    case Kind::kRelu: {
      r->act_min = output.zero_point + static_cast<int32_t>(roundf(0.0f / output.scale));
      if (r->act_min < -128) r->act_min = -128;
      r->act_max = 127;
      return ComputeMultiplier(ctx, input.scale, 1.0f, output.scale, 0, &r->multiplier, &r->shift,
                               output.index);
    }
    case Kind::kRelu6: {
      r->act_min = input.zero_point;
      int32_t six = static_cast<int32_t>(roundf(6.0f / input.scale)) + input.zero_point;
      r->act_max = six < -128 ? -128 : (six > 127 ? 127 : six);
      return Status::kOk;
    }
    case Kind::kLogistic:
    case Kind::kTanh: {
      const int32_t want_zp = kind == Kind::kLogistic ? -128 : 0;
      if (output.zero_point != want_zp) {
        return ctx.Fail(Status::kUnsupported,
                        kind == Kind::kLogistic ? "int8 LOGISTIC output zero point must be -128"
                                                : "int8 TANH output zero point must be 0",
                        output.index, output.zero_point, want_zp);
      }
      const float want_scale = kind == Kind::kLogistic ? 1.0f / 256 : 1.0f / 128;
      if (output.scale != want_scale) {
        return ctx.Fail(Status::kUnsupported,
                        kind == Kind::kLogistic ? "int8 LOGISTIC output scale must be 1/256"
                                                : "int8 TANH output scale must be 1/128",
                        output.index);
      }
      // Input rescaled to Q4.27: TFLite takes frexp of scale * 2^27 without normalizing.
      constexpr int kInputIntegerBits = 4;
      const double real = static_cast<double>(input.scale) *
                          static_cast<double>(int32_t{1} << (31 - kInputIntegerBits));
      int exponent = 0;
      const double q = frexp(real, &exponent);
      r->multiplier = static_cast<int32_t>(round(q * static_cast<double>(int64_t{1} << 31)));
      r->shift = exponent;
      if (exponent > 30 || exponent < -31) {
        return ctx.Fail(Status::kUnsupported, "activation input scale out of range", input.index,
                        exponent);
      }
      // TFLite's CalculateInputRadius: 15 * 2^27 / 2^exponent, floored.
      const double radius = ldexp(static_cast<double>((1 << kInputIntegerBits) - 1),
                                  31 - kInputIntegerBits - exponent);
      r->input_range_radius = static_cast<int32_t>(floor(radius));
      return Status::kOk;
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareOp_RELU(PrepareContext& ctx) { return PrepareActivation(ctx, Kind::kRelu); }
Status PrepareOp_RELU6(PrepareContext& ctx) { return PrepareActivation(ctx, Kind::kRelu6); }
Status PrepareOp_LOGISTIC(PrepareContext& ctx) { return PrepareActivation(ctx, Kind::kLogistic); }
Status PrepareOp_TANH(PrepareContext& ctx) { return PrepareActivation(ctx, Kind::kTanh); }

}  // namespace rt
}  // namespace emlkit
