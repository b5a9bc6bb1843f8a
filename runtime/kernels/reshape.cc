#include "kernels/reshape.h"

#include "kernels/quant_util.h"

namespace emlkit {
namespace rt {

Status PrepareOp_RESHAPE(PrepareContext& ctx) {
  EMLKIT_RT_TRY(ctx.CheckArity(1, 2, 1));  // the optional shape input is not needed: the
                                           // output tensor's shape is already known
  TensorDesc input, output;
  EMLKIT_RT_TRY(ctx.Input(0, &input));
  EMLKIT_RT_TRY(ctx.Output(0, &output));
  EMLKIT_RT_TRY(CheckType(ctx, output, input.type));
  if (input.bytes != output.bytes || TensorTypeSize(input.type) == 0) {
    return ctx.Fail(Status::kCorruptModel, "RESHAPE changes the number of bytes", output.index,
                    output.bytes, input.bytes);
  }
  const bool alias = !input.is_constant() && !input.is_variable;
  auto* r = ctx.AllocRecord<CopyRecord>(alias ? &EvalNothing : &EvalCopy, 2);
  if (r == nullptr) return Status::kArenaTooSmall;
  r->bytes = input.bytes;
  if (alias) return ctx.AliasOutput(output.index, input.index);
  r->input = ctx.TensorRef(input.index);
  r->output = ctx.TensorRef(output.index);
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
