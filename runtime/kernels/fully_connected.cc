#include "kernels/fully_connected.h"

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint8_t kFullyConnectedOptions = 8;  // BuiltinOptions union index
namespace field {
constexpr int kActivation = 0, kWeightsFormat = 1, kQuantizedBiasType = 4;
}

// Checks the operator and fills its record (*out), except for the Eval function.
Status PrepareRecord(PrepareContext& ctx, FullyConnectedRecord** out, bool* is_float_out) {
  EMLKIT_RT_TRY(ctx.CheckArity(2, 3, 1));
  TensorDesc input, weights, bias, output;
  bool has_bias = false;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Input(1, &weights));
  EMLKIT_RT_TRY(ctx.OptionalInput(2, &bias, &has_bias));
  EMLKIT_RT_TRY(ctx.Output(0, &output));

  fb::Table opt;
  bool has_opt = false;
  EMLKIT_RT_TRY(ctx.Options(kFullyConnectedOptions, &opt, &has_opt));
  Activation act = Activation::kNone;
  EMLKIT_RT_TRY(ReadActivation(ctx, opt, has_opt, field::kActivation, &act));
  int8_t weights_format = 0, bias_type = 0;
  EMLKIT_RT_TRY(ctx.Option<int8_t>(opt, has_opt, field::kWeightsFormat, 0, &weights_format));
  EMLKIT_RT_TRY(ctx.Option<int8_t>(opt, has_opt, field::kQuantizedBiasType, 0, &bias_type));
  if (weights_format != 0) {
    return ctx.Fail(Status::kUnsupported, "shuffled FULLY_CONNECTED weights", weights.index);
  }
  if (bias_type != 0 && bias_type != static_cast<int8_t>(TensorType::kInt32)) {
    return ctx.Fail(Status::kUnsupported, "FULLY_CONNECTED bias type other than int32", -1,
                    bias_type);
  }

  // Shapes: weights [output_depth, accum_depth]; input and output are [batches, ...].
  if (weights.rank < 2) {
    return ctx.Fail(Status::kCorruptModel, "FULLY_CONNECTED weights must have 2 dimensions",
                    weights.index, weights.rank, 2);
  }
  if (output.rank < 1) {
    return ctx.Fail(Status::kCorruptModel, "FULLY_CONNECTED output has no dimensions",
                    output.index);
  }
  const int32_t accum_depth = weights.Dim(-1);
  const int32_t output_depth = output.Dim(-1);
  if (accum_depth <= 0 || output_depth <= 0) {
    return ctx.Fail(Status::kCorruptModel, "FULLY_CONNECTED with an empty dimension",
                    weights.index);
  }
  if (output_depth > weights.Dim(-2)) {
    return ctx.Fail(Status::kCorruptModel, "FULLY_CONNECTED output wider than the weights",
                    output.index, output_depth, weights.Dim(-2));
  }
  const uint32_t batches = output.elements / static_cast<uint32_t>(output_depth);
  if (input.elements != batches * static_cast<uint32_t>(accum_depth)) {
    return ctx.Fail(Status::kCorruptModel, "FULLY_CONNECTED input size does not match weights",
                    input.index, input.elements, static_cast<int64_t>(batches) * accum_depth);
  }
  if (has_bias && bias.elements < static_cast<uint32_t>(output_depth)) {
    return ctx.Fail(Status::kCorruptModel, "FULLY_CONNECTED bias shorter than the output",
                    bias.index, bias.elements, output_depth);
  }

  const bool is_float = input.type == TensorType::kFloat32;
  *is_float_out = is_float;
  uint32_t extra = 0;
  bool per_channel = false;
  if (is_float) {
    EMLKIT_RT_TRY(CheckType(ctx, weights, TensorType::kFloat32));
    if (has_bias) EMLKIT_RT_TRY(CheckType(ctx, bias, TensorType::kFloat32));
    EMLKIT_RT_TRY(CheckType(ctx, output, TensorType::kFloat32));
  } else if (input.type == TensorType::kInt8) {
    if (weights.type != TensorType::kInt8) {
      return ctx.Fail(Status::kUnsupported, "FULLY_CONNECTED weights must be int8", weights.index);
    }
    if (has_bias) EMLKIT_RT_TRY(CheckType(ctx, bias, TensorType::kInt32));
    EMLKIT_RT_TRY(CheckType(ctx, output, TensorType::kInt8));
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, input));
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, output));
    if (weights.num_scales == 0) {
      return ctx.Fail(Status::kUnsupported, "int8 weights without quantization", weights.index);
    }
    per_channel = weights.num_scales > 1;
    if (per_channel && (weights.num_scales != static_cast<uint32_t>(weights.Dim(-2)) ||
                        weights.quantized_dimension != 0)) {
      return ctx.Fail(Status::kCorruptModel, "per-channel weight scales do not match the rows",
                      weights.index, weights.num_scales, weights.Dim(-2));
    }
    for (uint32_t c = 0; c < weights.num_zero_points; ++c) {
      if (weights.ZeroPointAt(c) != 0) {
        return ctx.Fail(Status::kUnsupported,
                        "int8 weights must be symmetric (zero point 0), as the spec requires",
                        weights.index, weights.ZeroPointAt(c), 0);
      }
    }
    if (per_channel) extra = static_cast<uint32_t>(output_depth) * 5;
  } else {
    return ctx.Fail(Status::kUnsupported, "FULLY_CONNECTED input type", input.index,
                    static_cast<int64_t>(input.type));
  }

  auto* r = ctx.AllocRecord<FullyConnectedRecord>(nullptr, 5, extra);
  if (r == nullptr) return Status::kArenaTooSmall;
  *out = r;
  r->input = ctx.TensorRef(input.index);
  r->weights = ctx.TensorRef(weights.index);
  r->bias = has_bias ? ctx.TensorRef(bias.index) : kNoRef;
  r->output = ctx.TensorRef(output.index);
  r->scratch = kNoRef;
  r->batches = static_cast<int32_t>(batches);
  r->weights_readable = static_cast<int32_t>(
      weights.is_constant() ? ctx.model_size() - weights.data_pos : weights.bytes);
  r->accum_depth = accum_depth;
  r->output_depth = output_depth;
  if (is_float) return FloatActivationRange(ctx, act, &r->f_act_min, &r->f_act_max);

  r->input_offset = -input.zero_point;
  r->output_offset = output.zero_point;
  const uint32_t scratch = FullyConnectedScratchBytes(*r);
  if (scratch > 0) r->scratch = ctx.ScratchRef(scratch);
  EMLKIT_RT_TRY(QuantizedActivationRange(ctx, act, output, &r->act_min, &r->act_max));
  if (!per_channel) {
    EMLKIT_RT_TRY(ComputeMultiplier(ctx, input.scale, weights.scale, output.scale, 0,
                                    &r->multiplier, &r->shift, weights.index));
    r->max_shift = r->shift;
    return Status::kOk;
  }
  r->per_channel = static_cast<uint32_t>(sizeof(FullyConnectedRecord));
  uint8_t* tail = reinterpret_cast<uint8_t*>(r) + r->per_channel;
  int32_t* multipliers = reinterpret_cast<int32_t*>(tail);
  int8_t* shifts = reinterpret_cast<int8_t*>(tail + 4 * output_depth);
  for (int32_t c = 0; c < output_depth; ++c) {
    const float ws = weights.ScaleAt(static_cast<uint32_t>(c));
    int32_t shift = 0;
    EMLKIT_RT_TRY(ComputeMultiplier(ctx, input.scale, ws, output.scale, 0, &multipliers[c], &shift,
                                    weights.index));
    shifts[c] = static_cast<int8_t>(shift);
    r->max_shift = c == 0 || shift > r->max_shift ? shift : r->max_shift;
  }
  return Status::kOk;
}

}  // namespace

Status PrepareOp_FULLY_CONNECTED(PrepareContext& ctx) {
  FullyConnectedRecord* r = nullptr;
  bool is_float = false;
  EMLKIT_RT_TRY(PrepareRecord(ctx, &r, &is_float));
  r->h.eval.fn = SelectFullyConnectedEval(*r, is_float);
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
