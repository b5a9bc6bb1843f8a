// Host routines that use AVX / AVX2 when the CPU has them (checked at run time; SSE2 code is used
// otherwise, so the host binary still runs on any x86-64). Bit-exact like every host variant.
#ifndef EMLKIT_RUNTIME_KERNELS_HOST_X86_AVX_H_
#define EMLKIT_RUNTIME_KERNELS_HOST_X86_AVX_H_

#include <emmintrin.h>

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {
namespace x86 {

// Instruction sets the host variants may use: the CPU's, unless lowered for testing.
bool HasAvx();
bool HasAvx2();
// Tests only: makes HasAvx/HasAvx2 report false, so the SSE2 paths can be checked too.
void ForceSse2ForTesting(bool on);

// The float FULLY_CONNECTED Eval (for a FullyConnectedRecord) with AVX for this shape,
// bit-identical to the reference: every output summed strictly in k order, no fused
// multiply-add. Only when HasAvx().
EvalFn FullyConnectedFloatAvx(int32_t depth, int32_t rows);

// int8 requantization of 8 accumulators with AVX2 (per-lane multipliers and shifts <= 0, or one
// of each when `multipliers` is null), + zero point, clamped, narrowed: 8 bytes in the low half.
__m128i RequantizeNarrow8Avx2(__m128i acc_lo, __m128i acc_hi, const int32_t* multipliers,
                              const int8_t* shifts, int32_t multiplier, int32_t shift,
                              int32_t zero_point, int32_t act_min, int32_t act_max);

}  // namespace x86
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_HOST_X86_AVX_H_
