#include "kernels/pad.h"

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {

Status PrepareOp_PAD(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(2, 2, 1));
  TensorDesc input, paddings, output;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Input(1, &paddings));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  EMLKIT_RT_TRY(CheckType(ctx, output, input.type));
  if (!paddings.is_constant() ||
      (paddings.type != TensorType::kInt32 && paddings.type != TensorType::kInt64)) {
    return ctx.Fail(Status::kUnsupported, "PAD paddings must be a constant int32/int64 tensor",
                    paddings.index);
  }
  if (input.rank < 1 || input.rank > 6 || output.rank != input.rank ||
      paddings.elements != static_cast<uint32_t>(2 * input.rank)) {
    return ctx.Fail(Status::kCorruptModel, "PAD paddings must be [rank, 2] for the input's rank",
                    paddings.index, paddings.elements, 2 * input.rank);
  }
  const uint32_t elem = TensorTypeSize(input.type);
  if (elem != 1 && elem != 2 && elem != 4) {
    return ctx.Fail(Status::kUnsupported, "PAD type", input.index,
                    static_cast<int64_t>(input.type));
  }
  auto* r = ctx.AllocRecord<PadRecord>(&EvalPad, 2);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->output = ctx.TensorRef(output.index);
  r->rank = input.rank;
  r->elem_size = elem;
  for (int32_t d = 0; d < input.rank; ++d) {
    int64_t before = 0, after = 0;
    if (paddings.type == TensorType::kInt32) {
      before = reinterpret_cast<const int32_t*>(paddings.data)[2 * d];
      after = reinterpret_cast<const int32_t*>(paddings.data)[2 * d + 1];
    } else {
      before = reinterpret_cast<const int64_t*>(paddings.data)[2 * d];
      after = reinterpret_cast<const int64_t*>(paddings.data)[2 * d + 1];
    }
    if (before < 0 || after < 0 || input.dims[d] + before + after != output.dims[d]) {
      return ctx.Fail(Status::kCorruptModel, "PAD paddings do not match the output shape",
                      output.index, output.dims[d], input.dims[d] + before + after);
    }
    r->in_dims[d] = input.dims[d];
    r->out_dims[d] = output.dims[d];
    r->before[d] = static_cast<int32_t>(before);
  }
  if (input.type == TensorType::kInt8 || input.type == TensorType::kInt16 ||
      input.type == TensorType::kUInt8) {
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, output));
    if (input.scale != output.scale || input.zero_point != output.zero_point) {
      return ctx.Fail(Status::kUnsupported, "quantized PAD must keep scale and zero point",
                      output.index);
    }
    r->pad_bits = static_cast<uint32_t>(output.zero_point);
  }
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
