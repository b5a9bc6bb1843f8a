#include "kernels/softmax.h"

#include <math.h>

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint8_t kSoftmaxOptions = 9;  // BuiltinOptions union index
constexpr int kBetaField = 0;
constexpr int kScaledDiffIntegerBits = 5;

}  // namespace

Status PrepareOp_SOFTMAX(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(1, 1, 1));
  TensorDesc input, output;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  EMLKIT_RT_TRY(CheckSameElements(ctx, input, output));
  fb::Table opt;
  bool has_opt = false;
  EMLKIT_RT_TRY(ctx.Options(kSoftmaxOptions, &opt, &has_opt));
  float beta = 0.0f;  // the schema default, as TFLite reads it
  EMLKIT_RT_TRY(ctx.Option<float>(opt, has_opt, kBetaField, 0.0f, &beta));
  if (input.rank < 1) return ctx.Fail(Status::kCorruptModel, "SOFTMAX of a scalar", input.index);
  const int32_t depth = input.Dim(-1);

  EvalFn eval = nullptr;
  const bool quantized = input.type == TensorType::kInt8;
  if (input.type == TensorType::kFloat32) {
    EMLKIT_RT_TRY(CheckType(ctx, output, TensorType::kFloat32));
    eval = &EvalSoftmaxFloat;
  } else if (quantized) {
    EMLKIT_RT_TRY(CheckPerTensorQuant(ctx, input));
    if (output.type == TensorType::kInt8) {
      if (output.zero_point != -128 || output.scale != 1.0f / 256) {
        return ctx.Fail(Status::kUnsupported,
                        "int8 SOFTMAX output must have scale 1/256 and zero point -128",
                        output.index, output.zero_point, -128);
      }
      eval = &EvalSoftmaxInt8;
    } else if (output.type == TensorType::kInt16) {
      if (output.zero_point != -32768 ||
          fabsf(output.scale - 1.0f / 65536) > 0.001f * 1.0f / 65536) {
        return ctx.Fail(Status::kUnsupported,
                        "int16 SOFTMAX output must have scale 1/65536 and zero point -32768",
                        output.index, output.zero_point, -32768);
      }
      eval = &EvalSoftmaxInt8ToInt16;
    } else {
      return ctx.Fail(Status::kUnsupported, "SOFTMAX output type", output.index,
                      static_cast<int64_t>(output.type));
    }
  } else {
    return ctx.Fail(Status::kUnsupported, "SOFTMAX input type", input.index,
                    static_cast<int64_t>(input.type));
  }

  auto* r = ctx.AllocRecord<SoftmaxRecord>(eval, 3);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->input = ctx.TensorRef(input.index);
  r->output = ctx.TensorRef(output.index);
  r->depth = depth;
  r->outer = depth == 0 ? 0 : static_cast<int32_t>(input.elements / static_cast<uint32_t>(depth));
  r->beta = beta;
  if (!quantized) return Status::kOk;

  r->scratch = ctx.ScratchRef(static_cast<uint32_t>(depth) * 4);
  // TFLite's PreprocessSoftmaxScaling and CalculateInputRadius for Q5.26 differences.
  // beta * scale * 2^26 (TFLite clamps it to 2^31 - 1, which gives a shift of 31 and fails
  // below as any larger value does).
  int32_t shift = 0;
  EMLKIT_RT_TRY(ComputeMultiplier(ctx, beta, input.scale, 1.0f, 31 - kScaledDiffIntegerBits,
                                  &r->input_multiplier, &shift, input.index));
  if (shift < 0) {
    return ctx.Fail(Status::kUnsupported, "SOFTMAX input scale * beta too small", input.index);
  }
  r->input_left_shift = shift;
  // CalculateInputRadius: floor(31 * 2^26 / 2^shift), shift in [0, 30].
  r->diff_min = -static_cast<int32_t>(
      (static_cast<uint32_t>((1 << kScaledDiffIntegerBits) - 1) << (31 - kScaledDiffIntegerBits)) >>
      shift);
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
