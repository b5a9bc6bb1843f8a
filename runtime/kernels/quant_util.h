// Prepare-time helpers shared by kernels: TFLite's multiplier quantization, fused activation
// ranges, the checks every quantized tensor needs, and reading common options. Runs once per
// operator at Init (double precision is fine here; Eval never uses it).
#ifndef EMLKIT_RUNTIME_KERNELS_QUANT_UTIL_H_
#define EMLKIT_RUNTIME_KERNELS_QUANT_UTIL_H_

#include <cstdint>

#include "kernels/kernel.h"

namespace emlkit::rt {

// Schema ActivationFunctionType values.
enum class Activation : int8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4 };

// TFLite's QuantizeMultiplier: m = q * 2^shift with q in [0.5, 1) as Q0.31 (0 for m == 0;
// multipliers below 2^-31 flush to 0).
void QuantizeMultiplier(double m, int32_t* multiplier, int32_t* shift);

// QuantizeMultiplier for a rescaling factor computed from model scales; fails (naming `tensor`)
// when the factor is not finite and positive or too large to apply (shift > 30).
Status ComputeMultiplier(PrepareContext& ctx, double m, int32_t* multiplier, int32_t* shift,
                         int32_t tensor);

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

}  // namespace emlkit::rt

#endif  // EMLKIT_RUNTIME_KERNELS_QUANT_UTIL_H_
