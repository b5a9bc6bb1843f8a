#include "src/registry.h"

#include "emlkit/op_list.h"

// Build-time op selection: firmware that runs one model defines EMLKIT_OPS_HEADER as a header
// that defines EMLKIT_SELECTED_OPS(X) with the entries of EMLKIT_SUPPORTED_OPS it needs (same
// X(NAME, code, max_version) lines). Only those kernels are registered, so a --gc-sections link
// drops the others; the rest are refused at Init with kUnsupported naming the operator.
#ifdef EMLKIT_OPS_HEADER
#include EMLKIT_OPS_HEADER
#ifndef EMLKIT_SELECTED_OPS
#error "EMLKIT_OPS_HEADER must define EMLKIT_SELECTED_OPS(X)"
#endif
#define EMLKIT_REGISTERED_OPS_(X) EMLKIT_SELECTED_OPS(X)
#else
#define EMLKIT_REGISTERED_OPS_(X) EMLKIT_SUPPORTED_OPS(X)
#endif

namespace emlkit {
namespace rt {

// Every kernel defines PrepareOp_<NAME> (see kernels/kernel.h).
#define EMLKIT_DECLARE_PREPARE_(name, code, max_version) Status PrepareOp_##name(PrepareContext&);
EMLKIT_REGISTERED_OPS_(EMLKIT_DECLARE_PREPARE_)
#undef EMLKIT_DECLARE_PREPARE_

namespace {

// The table ends with a sentinel (code -1), so an empty selection is a valid array too.
constexpr Registration kRegistrations[] = {
#define EMLKIT_REGISTRATION_(name, code, max_version) {code, max_version, &PrepareOp_##name},
    EMLKIT_REGISTERED_OPS_(EMLKIT_REGISTRATION_)
#undef EMLKIT_REGISTRATION_
        {-1, 0, nullptr}};

// A selected entry must be a line of the supported list, unchanged (same code and version).
constexpr bool IsSupportedEntry(int32_t code, int32_t max_version) {
#define EMLKIT_MATCH_(name, c, v) (c == code && v == max_version) ||
  return EMLKIT_SUPPORTED_OPS(EMLKIT_MATCH_) false;
#undef EMLKIT_MATCH_
}
// (Walks to the sentinel by its code: a function's address is no constant expression under
// sanitizers, so `prepare != nullptr` cannot be tested at compile time.)
// (One return statement, recursive: the runtime compiles as C++11, see runtime/README.md.)
constexpr bool AllSupportedFrom(const Registration* r) {
  return r->code < 0 || (IsSupportedEntry(r->code, r->max_version) && AllSupportedFrom(r + 1));
}
static_assert(AllSupportedFrom(kRegistrations),
              "EMLKIT_SELECTED_OPS lists an entry EMLKIT_SUPPORTED_OPS lacks");
#ifndef EMLKIT_OPS_HEADER
static_assert(sizeof(kRegistrations) / sizeof(kRegistrations[0]) ==
                  static_cast<size_t>(OpId::kCount) + 1,
              "one registration per supported op");
#endif

}  // namespace

const Registration* FindRegistration(int32_t builtin_code) {
  for (const Registration* r = kRegistrations; r->prepare != nullptr; ++r) {
    if (r->code == builtin_code) return r;
  }
  return nullptr;
}

bool IsSupportedOp(int32_t builtin_code, int32_t* max_version) {
  const Registration* r = FindRegistration(builtin_code);
  if (r != nullptr && max_version != nullptr) *max_version = r->max_version;
  return r != nullptr;
}

}  // namespace rt
}  // namespace emlkit
