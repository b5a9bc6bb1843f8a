// Memory-moving kernels (RESHAPE).
#include <string.h>

#include "kernels/reshape.h"

namespace emlkit {
namespace rt {

void EvalNothing(const EvalContext&, const void*) {}

void EvalCopy(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const CopyRecord*>(record);
  memcpy(ctx.Ptr<uint8_t>(r.output), ctx.Ptr<const uint8_t>(r.input), r.bytes);
}

}  // namespace rt
}  // namespace emlkit
