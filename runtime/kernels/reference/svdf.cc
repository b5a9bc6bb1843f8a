// Portable SVDF kernels.
#include "kernels/svdf.h"
#include "kernels/svdf_portable.h"

namespace emlkit {
namespace rt {

void EvalSvdfInt8Int16State(const EvalContext& ctx, const void* record) {
  portable::SvdfInteger<int16_t, portable::SvdfDots>(ctx, *static_cast<const SvdfRecord*>(record));
}

void EvalSvdfInt8Int8State(const EvalContext& ctx, const void* record) {
  portable::SvdfInteger<int8_t, portable::SvdfDots>(ctx, *static_cast<const SvdfRecord*>(record));
}

void EvalSvdfFloat(const EvalContext& ctx, const void* record) {
  portable::SvdfFloat(ctx, *static_cast<const SvdfRecord*>(record));
}

}  // namespace rt
}  // namespace emlkit
