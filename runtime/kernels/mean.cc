#include "kernels/mean.h"

#include "kernels/fixed_point.h"
#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint8_t kReducerOptions = 27;  // BuiltinOptions union index

}  // namespace

Status PrepareOp_MEAN(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(2, 2, 1));
  TensorDesc input, axis, output;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Input(1, &axis));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  fb::Table opt;
  bool has_opt = false;
  EMLKIT_RT_TRY(ctx.Options(kReducerOptions, &opt, &has_opt));
  EMLKIT_RT_TRY(CheckType(ctx, output, input.type));
  if (!axis.is_constant() || axis.type != TensorType::kInt32) {
    return ctx.Fail(Status::kUnsupported, "MEAN axis must be a constant int32 tensor", axis.index);
  }
  // Resolve the axes (negative ones count from the end; duplicates are ignored).
  uint32_t mask = 0;
  const int32_t* axes = reinterpret_cast<const int32_t*>(axis.data);
  for (uint32_t i = 0; i < axis.elements; ++i) {
    int32_t a = axes[i];
    if (a < 0) a += input.rank;
    if (a < 0 || a >= input.rank) {
      return ctx.Fail(Status::kCorruptModel, "MEAN axis out of range", axis.index, axes[i],
                      input.rank);
    }
    mask |= 1u << a;
  }
  const bool quantized = input.type == TensorType::kInt8;
  if (!quantized && input.type != TensorType::kFloat32) {
    return ctx.Fail(Status::kUnsupported, "MEAN input type", input.index,
                    static_cast<int64_t>(input.type));
  }
  auto* r = ctx.AllocRecord<MeanRecord>(quantized ? &EvalMeanInt8 : &EvalMeanFloat, 3);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->output = ctx.TensorRef(output.index);
  const int pad = 6 - input.rank;
  uint32_t out_count = 1, reduced = 1;
  for (int d = 5; d >= 0; --d) {
    const int src = d - pad;
    r->dims[d] = src >= 0 ? input.dims[src] : 1;
    const bool is_reduced = src >= 0 && (mask & (1u << src)) != 0;
    r->out_stride[d] = is_reduced ? 0 : static_cast<int32_t>(out_count);
    if (is_reduced) {
      reduced *= static_cast<uint32_t>(r->dims[d]);
    } else {
      out_count *= static_cast<uint32_t>(r->dims[d]);
    }
  }
  if (output.elements != out_count) {
    return ctx.Fail(Status::kCorruptModel, "MEAN output size does not match the axes", output.index,
                    output.elements, out_count);
  }
  r->in_count = input.elements;
  r->out_count = out_count;
  r->reduced_count = reduced;
  r->scratch = ctx.ScratchRef(out_count * 4);
  if (!quantized) return Status::kOk;

  EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, input));
  EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, output));
  r->input_zero_point = input.zero_point;
  r->output_zero_point = output.zero_point;
  EMLKIT_RT_TRY(ComputeMultiplier(ctx, input.scale, 1.0f, output.scale, 0, &r->multiplier,
                                  &r->shift, output.index));
  if (reduced > 0) {  // fold 1/count into the multiplier, as TFLite's QuantizedMeanOrSum
    int shift = 63 - __builtin_clzll(static_cast<uint64_t>(reduced));
    shift = shift < 32 ? shift : 32;
    shift = shift < 31 + r->shift ? shift : 31 + r->shift;
    r->multiplier = static_cast<int32_t>((static_cast<int64_t>(r->multiplier) << shift) /
                                         static_cast<int64_t>(reduced));
    r->shift -= shift;
  }
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
