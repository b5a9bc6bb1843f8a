#include "kernels/concatenation.h"

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint8_t kConcatenationOptions = 10;  // BuiltinOptions union index
constexpr int kAxisField = 0, kActivationField = 1;
constexpr int32_t kMaxInputs = 64;

}  // namespace

Status PrepareOp_CONCATENATION(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(1, kMaxInputs, 1));
  TensorDesc output;
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  fb::Table opt;
  bool has_opt = false;
  EMLKIT_RT_TRY(ctx.Options(kConcatenationOptions, &opt, &has_opt));
  int32_t axis = 0;
  Activation act = Activation::kNone;
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, kAxisField, 0, &axis));
  EMLKIT_RT_TRY(ReadActivation(ctx, opt, has_opt, kActivationField, &act));
  if (act != Activation::kNone) {
    return ctx.Fail(Status::kUnsupported, "CONCATENATION with a fused activation", -1,
                    static_cast<int64_t>(act));
  }
  if (axis < 0) axis += output.rank;
  if (axis < 0 || axis >= output.rank) {
    return ctx.Fail(Status::kCorruptModel, "CONCATENATION axis out of range", output.index, axis,
                    output.rank);
  }
  const uint32_t elem = TensorTypeSize(output.type);
  if (elem == 0) return ctx.Fail(Status::kUnsupported, "CONCATENATION type", output.index);
  uint32_t outer = 1, inner = elem;
  for (int32_t d = 0; d < axis; ++d) outer *= static_cast<uint32_t>(output.dims[d]);
  for (int32_t d = axis + 1; d < output.rank; ++d) inner *= static_cast<uint32_t>(output.dims[d]);

  const int32_t n = ctx.num_inputs();
  const uint32_t refs_bytes = static_cast<uint32_t>(n + 1) * 4;
  auto* h = ctx.AllocRecord<RecordHeader>(&EvalConcatenation, n + 1, refs_bytes + 4 + 4 * n);
  if (h == nullptr) return Status::kArenaTooSmall;
  Ref* refs = reinterpret_cast<Ref*>(h + 1);
  uint32_t* tail = reinterpret_cast<uint32_t*>(reinterpret_cast<uint8_t*>(refs) + refs_bytes);
  tail[0] = outer;
  int64_t axis_total = 0;
  for (int32_t i = 0; i < n; ++i) {
    TensorDesc in;
    EMLKIT_RT_TRY(ctx.Input(i, &in));
    EMLKIT_RT_TRY(CheckType(ctx, in, output.type));
    if (in.rank != output.rank) {
      return ctx.Fail(Status::kCorruptModel, "CONCATENATION inputs differ in rank", in.index,
                      in.rank, output.rank);
    }
    for (int32_t d = 0; d < output.rank; ++d) {
      if (d != axis && in.dims[d] != output.dims[d]) {
        return ctx.Fail(Status::kCorruptModel, "CONCATENATION inputs differ off the axis", in.index,
                        in.dims[d], output.dims[d]);
      }
    }
    if (output.num_scales > 0 && (in.scale != output.scale || in.zero_point != output.zero_point)) {
      return ctx.Fail(Status::kUnsupported,
                      "CONCATENATION inputs must share the output's scale and zero point",
                      in.index);
    }
    axis_total += in.dims[axis];
    tail[1 + i] = static_cast<uint32_t>(in.dims[axis]) * inner;
    refs[i] = ctx.TensorRef(in.index);
  }
  if (axis_total != output.dims[axis]) {
    return ctx.Fail(Status::kCorruptModel, "CONCATENATION inputs do not add up to the output",
                    output.index, axis_total, output.dims[axis]);
  }
  refs[n] = ctx.TensorRef(output.index);
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
