// The kernel registration table, generated from op_list.h: builtin code -> Prepare function.
#ifndef EMLKIT_RUNTIME_SRC_REGISTRY_H_
#define EMLKIT_RUNTIME_SRC_REGISTRY_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct Registration {
  int32_t code;         // builtin operator code
  int32_t max_version;  // highest operator version the kernel implements
  PrepareFn prepare;
};

// The registration for `builtin_code`, or null when emlkit has no kernel for it.
const Registration* FindRegistration(int32_t builtin_code);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_SRC_REGISTRY_H_
