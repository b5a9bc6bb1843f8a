// The arithmetic of TFLite's int8 quantization scheme (the "quantization spec"), as the TFLite
// converter applies it to a float model:
//
//   real = scale * (q - zero_point)
//   activations   int8, asymmetric, per tensor: q in [-128, 127], zero point in [-128, 127],
//                 the range always contains 0 (so that 0 and zero padding are exact)
//   weights       int8, symmetric (zero point 0), q in [-127, 127], per output channel or per
//                 tensor
//   biases        int32, zero point 0, scale = input scale x weight scale (per channel when the
//                 weights are)
//
// Pure functions on plain vectors; no model, no I/O.
#ifndef EMLKIT_OPTIMIZE_QUANT_MATH_H_
#define EMLKIT_OPTIMIZE_QUANT_MATH_H_

#include <cstdint>
#include <vector>

namespace emlkit::optimize {

struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
  bool operator==(const QuantParams&) const = default;
};

// Asymmetric int8 parameters for a real range [lo, hi] (lo <= hi, both finite): the range is
// first widened to contain 0, then scale = (hi - lo) / 255 and the zero point is the
// nearest integer to -128 - lo / scale, clamped to [-128, 127] (TFLite's "nudged" zero
// point). A range of width 0 (an all-zero tensor, e.g. a dead ReLU layer) gets scale 1/256 and
// zero point -128: any positive scale represents 0 exactly.
QuantParams AsymmetricParams(double lo, double hi);

// The real range [lo, hi] exactly representable with `p` in int8.
double QuantMin(const QuantParams& p);
double QuantMax(const QuantParams& p);

// TFLite's rounding of a real value to a quantized one: round half away from zero of x / scale,
// plus the zero point, clamped to [qmin, qmax]. NaN maps to the zero point.
int32_t QuantizeValue(float x, const QuantParams& p, int32_t qmin, int32_t qmax);

// Symmetric int8 quantization of a weight tensor stored with `channels` slices along axis
// `axis` of `shape` (per channel), or as one slice (`per_channel` false).
struct QuantizedWeights {
  std::vector<int8_t> values;  // same layout as the float weights
  std::vector<float> scales;   // one per channel (or one); always > 0
};
// scale_c = max |w| over channel c / 127 (an all-zero channel gets scale 1, so that every scale
// stays positive, as TFLite does). Values outside [-127, 127] cannot occur.
QuantizedWeights QuantizeWeightsSymmetric(const std::vector<float>& w,
                                          const std::vector<int32_t>& shape, int axis,
                                          bool per_channel);

// int32 bias: q = round(b / (input_scale * weight_scale_c)), clamped to the int32 range.
// `weight_scales` has one entry (per tensor) or one per bias element.
std::vector<int32_t> QuantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales);

// A bias value with |b| / (input_scale * weight_scale) above 2^31 - 1 would saturate. Widens
// the weight scale of each such channel (a per-tensor scale: the one scale) just enough that
// its bias fits, and returns true when any scale changed; the caller then requantizes the
// weights with QuantizeWithScales.
bool WidenScalesForBias(const std::vector<float>& bias, float input_scale,
                        std::vector<float>* weight_scales);

// Requantizes float weights with given (possibly widened) per-channel scales.
std::vector<int8_t> QuantizeWithScales(const std::vector<float>& w,
                                       const std::vector<int32_t>& shape, int axis,
                                       const std::vector<float>& scales);

// Signal-to-quantization-noise ratio in dB: 10 log10(signal energy / noise energy), where the
// signal is sum ref^2 and the noise sum (ref - test)^2. +inf when the noise is 0 (exact);
// -inf when the signal is 0 and the noise is not.
double SqnrDb(double signal_energy, double noise_energy);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_QUANT_MATH_H_
