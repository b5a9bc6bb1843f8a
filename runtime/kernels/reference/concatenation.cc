// Portable CONCATENATION kernel.
#include <string.h>

#include "kernels/concatenation.h"

namespace emlkit {
namespace rt {

void EvalConcatenation(const EvalContext& ctx, const void* record) {
  const auto* h = static_cast<const RecordHeader*>(record);
  const Ref* refs = reinterpret_cast<const Ref*>(h + 1);
  const int32_t n = h->num_refs - 1;
  const uint32_t* tail = refs + h->num_refs;
  const uint32_t outer = tail[0];
  uint8_t* y = ctx.Ptr<uint8_t>(refs[n]);
  for (uint32_t o = 0; o < outer; ++o) {
    for (int32_t i = 0; i < n; ++i) {
      const uint32_t bytes = tail[1 + i];
      memcpy(y, ctx.Ptr<const uint8_t>(refs[i]) + o * bytes, bytes);
      y += bytes;
    }
  }
}

}  // namespace rt
}  // namespace emlkit
