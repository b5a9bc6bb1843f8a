// CONCATENATION along one axis. Inputs and output share one type and (for quantized tensors)
// one scale and zero point, as TFLite Micro requires, so it is a sequence of block copies.
// The record holds num_inputs + 1 Refs (inputs, then the output), then `outer` and the bytes
// each input contributes per outer step.
#ifndef EMLKIT_RUNTIME_KERNELS_CONCATENATION_H_
#define EMLKIT_RUNTIME_KERNELS_CONCATENATION_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

void EvalConcatenation(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_CONCATENATION_H_
