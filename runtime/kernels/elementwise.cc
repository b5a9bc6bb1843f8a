#include "kernels/elementwise.h"

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {
namespace {

enum class BinaryOp { kAdd, kSub, kMul };

// BuiltinOptions union indices and the activation field of Add/Sub/MulOptions.
constexpr uint8_t kAddOptions = 11, kMulOptions = 21, kSubOptions = 28;
constexpr int kActivationField = 0;
// Tabulating the 2 x 256 rescaled inputs pays off from about this many outputs on.
constexpr uint32_t kLutMinElements = 1024;

Status Broadcast(PrepareContext& ctx, const TensorDesc& a, const TensorDesc& b,
                 const TensorDesc& out, BinaryRecord* r) {
  int32_t da[6], db[6];
  for (int i = 0; i < 6; ++i) {
    da[i] = a.Dim(i - 6);
    db[i] = b.Dim(i - 6);
    const int32_t o = da[i] > db[i] ? da[i] : db[i];
    if ((da[i] != o && da[i] != 1) || (db[i] != o && db[i] != 1) ||
        (da[i] == 0 || db[i] == 0 ? 0 : o) != out.Dim(i - 6)) {
      return ctx.Fail(Status::kCorruptModel, "input shapes do not broadcast to the output shape",
                      out.index);
    }
    r->dims[i] = o;
  }
  if (out.rank > 6 || a.rank > out.rank || b.rank > out.rank) {
    return ctx.Fail(Status::kCorruptModel, "inputs have more dimensions than the output",
                    out.index);
  }
  int32_t sa = 1, sb = 1;
  for (int i = 5; i >= 0; --i) {
    r->stride1[i] = da[i] == 1 ? 0 : sa;
    r->stride2[i] = db[i] == 1 ? 0 : sb;
    sa *= da[i];
    sb *= db[i];
  }
  r->count = out.elements;
  r->broadcast = !(a.elements == out.elements && b.elements == out.elements);
  return Status::kOk;
}

Status PrepareBinary(PrepareContext& ctx, BinaryOp op) {
  EMLKIT_RT_TRY(ctx.CheckArity(2, 2, 1));
  TensorDesc a, b, out;
  EMLKIT_RT_TRY(ctx.Input(0, &a));
  EMLKIT_RT_TRY(ctx.Input(1, &b));
  EMLKIT_RT_TRY(ctx.Output(0, &out));
  fb::Table opt;
  bool has_opt = false;
  const uint8_t options_type =
      op == BinaryOp::kAdd ? kAddOptions : (op == BinaryOp::kSub ? kSubOptions : kMulOptions);
  EMLKIT_RT_TRY(ctx.Options(options_type, &opt, &has_opt));
  Activation act = Activation::kNone;
  EMLKIT_RT_TRY(ReadActivation(ctx, opt, has_opt, kActivationField, &act));
  EMLKIT_RT_TRY(CheckType(ctx, b, a.type));
  EMLKIT_RT_TRY(CheckType(ctx, out, a.type));

  EvalFn eval = nullptr;
  const bool quantized = a.type == TensorType::kInt8;
  if (a.type == TensorType::kFloat32) {
    eval = op == BinaryOp::kAdd ? &EvalAddFloat
                                : (op == BinaryOp::kSub ? &EvalSubFloat : &EvalMulFloat);
  } else if (quantized) {
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, a));
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, b));
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, out));
    eval =
        op == BinaryOp::kAdd ? &EvalAddInt8 : (op == BinaryOp::kSub ? &EvalSubInt8 : &EvalMulInt8);
  } else {
    return ctx.Fail(Status::kUnsupported, "element-wise operator on this type", a.index,
                    static_cast<int64_t>(a.type));
  }
  auto* r = ctx.AllocRecord<BinaryRecord>(eval, 4);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input1 = ctx.TensorRef(a.index);
  r->input2 = ctx.TensorRef(b.index);
  r->output = ctx.TensorRef(out.index);
  EMLKIT_RT_TRY(Broadcast(ctx, a, b, out, r));
  if (a.elements == out.elements) ctx.AllowInPlace(0, 2);
  if (b.elements == out.elements) ctx.AllowInPlace(1, 2);
  if (!quantized) return FloatActivationRange(ctx, act, &r->f_act_min, &r->f_act_max);

  r->input1_offset = -a.zero_point;
  r->input2_offset = -b.zero_point;
  r->output_offset = out.zero_point;
  EMLKIT_RT_TRY(QuantizedActivationRange(ctx, act, out, &r->act_min, &r->act_max));
  if (op == BinaryOp::kMul) {
    return ComputeMultiplier(ctx, a.scale, b.scale, out.scale, 0, &r->output_multiplier,
                             &r->output_shift, out.index);
  }
  r->left_shift = 20;
  if (out.elements >= kLutMinElements) r->lut = ctx.ScratchRef(2 * 256 * 4);
  // TFLite: a / (2 max), b / (2 max), 2 max / (2^left_shift out); the powers of two are exact.
  const float max_scale = a.scale > b.scale ? a.scale : b.scale;
  EMLKIT_RT_TRY(ComputeMultiplier(ctx, a.scale, 1.0f, max_scale, -1, &r->input1_multiplier,
                                  &r->input1_shift, a.index));
  EMLKIT_RT_TRY(ComputeMultiplier(ctx, b.scale, 1.0f, max_scale, -1, &r->input2_multiplier,
                                  &r->input2_shift, b.index));
  EMLKIT_RT_TRY(ComputeMultiplier(ctx, max_scale, 1.0f, out.scale, 1 - r->left_shift,
                                  &r->output_multiplier, &r->output_shift, out.index));
  if (r->output_shift > 0) {  // TFLite requires this rescale to be smaller than one
    return ctx.Fail(Status::kUnsupported,
                    "output scale too small for the inputs' (rescale factor above 1)", out.index);
  }
  return Status::kOk;
}

}  // namespace

Status PrepareOp_ADD(PrepareContext& ctx) { return PrepareBinary(ctx, BinaryOp::kAdd); }
Status PrepareOp_SUB(PrepareContext& ctx) { return PrepareBinary(ctx, BinaryOp::kSub); }
Status PrepareOp_MUL(PrepareContext& ctx) { return PrepareBinary(ctx, BinaryOp::kMul); }

}  // namespace rt
}  // namespace emlkit
