#include "src/registry.h"

#include "emlkit/op_list.h"

namespace emlkit::rt {

// Every kernel defines PrepareOp_<NAME> (see kernels/kernel.h).
#define EMLKIT_DECLARE_PREPARE_(name, code, max_version) Status PrepareOp_##name(PrepareContext&);
EMLKIT_SUPPORTED_OPS(EMLKIT_DECLARE_PREPARE_)
#undef EMLKIT_DECLARE_PREPARE_

namespace {

constexpr Registration kRegistrations[] = {
#define EMLKIT_REGISTRATION_(name, code, max_version) {code, max_version, &PrepareOp_##name},
    EMLKIT_SUPPORTED_OPS(EMLKIT_REGISTRATION_)
#undef EMLKIT_REGISTRATION_
};
static_assert(sizeof(kRegistrations) / sizeof(kRegistrations[0]) ==
                  static_cast<size_t>(OpId::kCount),
              "one registration per supported op");

}  // namespace

const Registration* FindRegistration(int32_t builtin_code) {
  for (const Registration& r : kRegistrations) {
    if (r.code == builtin_code) return &r;
  }
  return nullptr;
}

bool IsSupportedOp(int32_t builtin_code, int32_t* max_version) {
  const Registration* r = FindRegistration(builtin_code);
  if (r != nullptr && max_version != nullptr) *max_version = r->max_version;
  return r != nullptr;
}

}  // namespace emlkit::rt
