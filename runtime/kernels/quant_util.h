// Prepare-time helpers shared by kernels: TFLite's multiplier quantization, fused activation
// ranges, the checks every quantized tensor needs, and reading common options. Runs once per
// operator at Init. Integer-only: no floating-point division or software double, so the
// firmware links no double-precision routines for them.
#ifndef EMLKIT_RUNTIME_KERNELS_QUANT_UTIL_H_
#define EMLKIT_RUNTIME_KERNELS_QUANT_UTIL_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

// Schema ActivationFunctionType values.
enum class Activation : int8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4 };

// TFLite's QuantizeMultiplier(m) for the double m = double(a) * double(b) / double(c) * 2^pow2
// (the product and quotient rounded as IEEE double arithmetic rounds them): m = q * 2^shift
// with q in [0.5, 1) as Q0.31, rounded half away from zero (multipliers below 2^-31 flush to
// 0). Computed with 32- and 64-bit integers only; equal to the double computation for every
// positive finite a, b, c (`quant_util_test.cc` checks it over float bit patterns). a, b and c
// must be positive and finite; |pow2| < 512.
void QuantizeScaleRatio(float a, float b, float c, int pow2, int32_t* multiplier, int32_t* shift);

// QuantizeScaleRatio for a rescaling factor from model scales; fails (naming `tensor`) when a
// scale is not finite and positive or the factor is too large to apply (shift > 30).
Status ComputeMultiplier(PrepareContext& ctx, float a, float b, float c, int pow2,
                         int32_t* multiplier, int32_t* shift, int32_t tensor);

// std::round semantics (half away from zero), as TfLiteRound.
float RoundHalfAway(float x);

// Quantized clamping bounds for a fused activation on `out` (TFLite's
// CalculateActivationRangeQuantized). Fails for activations kernels cannot fuse.
Status QuantizedActivationRange(PrepareContext& ctx, Activation act, const TensorDesc& out,
                                int32_t* act_min, int32_t* act_max);
// Float clamping bounds for a fused activation.
Status FloatActivationRange(PrepareContext& ctx, Activation act, float* act_min, float* act_max);

// Checks a tensor has a usable per-tensor quantization (one positive finite scale and a zero
// point in range for its type).
Status CheckPerTensorQuant(PrepareContext& ctx, const TensorDesc& t);
// Checks `t` is of type `type` (names the tensor otherwise).
Status CheckType(PrepareContext& ctx, const TensorDesc& t, TensorType type);
// Checks two tensors hold the same number of elements.
Status CheckSameElements(PrepareContext& ctx, const TensorDesc& a, const TensorDesc& b);

// Smallest / largest value of an integer tensor type (int8, int16, int32, uint8).
int32_t TypeMin(TensorType t);
int32_t TypeMax(TensorType t);

// Reads the fused_activation_function option at `field` (absent options: kNone).
Status ReadActivation(PrepareContext& ctx, const fb::Table& options, bool present, int field,
                      Activation* out);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_QUANT_UTIL_H_
