// RESHAPE: same bytes, new shape. When the input is an activation the output simply shares its
// memory (the planner merges their lifetimes) and Eval does nothing; a constant or variable input
// is copied.
#ifndef EMLKIT_RUNTIME_KERNELS_RESHAPE_H_
#define EMLKIT_RUNTIME_KERNELS_RESHAPE_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct CopyRecord {
  RecordHeader h;
  Ref input, output;
  uint32_t bytes;
};

void EvalNothing(const EvalContext& ctx, const void* record);
void EvalCopy(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_RESHAPE_H_
