#include "kernels/strided_slice.h"

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint8_t kStridedSliceOptions = 32;  // BuiltinOptions union index
namespace field {
constexpr int kBeginMask = 0, kEndMask = 1, kEllipsisMask = 2, kNewAxisMask = 3,
              kShrinkAxisMask = 4, kOffset = 5;
}

int32_t Clamp(int64_t v, int64_t lo, int64_t hi) {
  return static_cast<int32_t>(v < lo ? lo : (v > hi ? hi : v));
}

Status ConstIndices(PrepareContext& ctx, int32_t input, const TensorDesc& data_input,
                    TensorDesc* out) {
  EMLKIT_RT_TRY(ctx.Input(input, out));
  if (!out->is_constant() || out->type != TensorType::kInt32 || out->rank != 1 ||
      out->elements != static_cast<uint32_t>(data_input.rank)) {
    return ctx.Fail(Status::kUnsupported,
                    "STRIDED_SLICE begin/end/strides must be constant int32 vectors of the "
                    "input's rank",
                    out->index);
  }
  return Status::kOk;
}

}  // namespace

Status PrepareOp_STRIDED_SLICE(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(4, 4, 1));
  TensorDesc input, begin, end, strides, output;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  EMLKIT_RT_TRY(CheckType(ctx, output, input.type));
  if (input.rank < 1 || input.rank > 5) {
    return ctx.Fail(Status::kUnsupported, "STRIDED_SLICE supports 1 to 5 dimensions", input.index,
                    input.rank, 5);
  }
  EMLKIT_RT_TRY(ConstIndices(ctx, 1, input, &begin));
  EMLKIT_RT_TRY(ConstIndices(ctx, 2, input, &end));
  EMLKIT_RT_TRY(ConstIndices(ctx, 3, input, &strides));
  fb::Table opt;
  bool has_opt = false;
  EMLKIT_RT_TRY(ctx.Options(kStridedSliceOptions, &opt, &has_opt));
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_mask = 0;
  bool offset = false;
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kBeginMask, 0, &begin_mask));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kEndMask, 0, &end_mask));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kEllipsisMask, 0, &ellipsis_mask));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kNewAxisMask, 0, &new_axis_mask));
  EMLKIT_RT_TRY(ctx.Option<int32_t>(opt, has_opt, field::kShrinkAxisMask, 0, &shrink_mask));
  EMLKIT_RT_TRY(ctx.Option<bool>(opt, has_opt, field::kOffset, false, &offset));
  if (ellipsis_mask != 0 || new_axis_mask != 0) {
    return ctx.Fail(Status::kUnsupported, "STRIDED_SLICE ellipsis or new-axis mask");
  }
  const uint32_t elem = TensorTypeSize(input.type);
  if (elem == 0) return ctx.Fail(Status::kUnsupported, "STRIDED_SLICE type", input.index);
  if (input.num_scales > 0 &&
      (input.scale != output.scale || input.zero_point != output.zero_point)) {
    return ctx.Fail(Status::kUnsupported, "STRIDED_SLICE must keep scale and zero point",
                    output.index);
  }

  auto* r = ctx.AllocRecord<StridedSliceRecord>(&EvalStridedSlice, 2);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->output = ctx.TensorRef(output.index);
  r->elem_size = elem;
  // Pad to 5 dimensions in front: full slices of size-1 axes.
  const int pad = 5 - input.rank;
  const int32_t* b = reinterpret_cast<const int32_t*>(begin.data);
  const int32_t* e = reinterpret_cast<const int32_t*>(end.data);
  const int32_t* s = reinterpret_cast<const int32_t*>(strides.data);
  uint64_t count = 1;
  for (int d = 0; d < 5; ++d) {
    const int src = d - pad;
    const int64_t size = src >= 0 ? input.dims[src] : 1;
    r->dims[d] = static_cast<int32_t>(size);
    if (src < 0) {
      r->start[d] = 0;
      r->stop[d] = 1;
      r->stride[d] = 1;
      continue;
    }
    const int32_t stride = s[src];
    if (stride == 0) {
      return ctx.Fail(Status::kCorruptModel, "STRIDED_SLICE stride of 0", strides.index);
    }
    // TFLite's StridedSliceStartForAxis / StridedSliceEndForAxis.
    int64_t start = b[src];
    if (start < 0) start += size;
    start = stride > 0 ? Clamp(start, 0, size) : Clamp(start, -1, size - 1);
    if (begin_mask & (1 << src)) start = stride > 0 ? 0 : size - 1;
    int64_t stop;
    if (shrink_mask & (1 << src)) {
      stop = start >= size ? start : start + 1;
    } else {
      stop = e[src];
      if (offset) stop += start;
      if (stop < 0) stop += size;
      stop = stride > 0 ? Clamp(stop, 0, size) : Clamp(stop, -1, size - 1);
      if (end_mask & (1 << src)) stop = stride > 0 ? size : -1;
    }
    r->start[d] = static_cast<int32_t>(start);
    r->stop[d] = static_cast<int32_t>(stop);
    r->stride[d] = stride;
    const int64_t n = stride > 0 ? (stop - start + stride - 1) / stride
                                 : (start - stop + (-stride) - 1) / (-stride);
    count *= static_cast<uint64_t>(n > 0 ? n : 0);
  }
  if (count != output.elements) {
    return ctx.Fail(Status::kCorruptModel, "STRIDED_SLICE output size does not match the slice",
                    output.index, output.elements, static_cast<int64_t>(count));
  }
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
