// Portable QUANTIZE / DEQUANTIZE kernels.
#include <math.h>

#include "kernels/fixed_point.h"
#include "kernels/quantize.h"

namespace emlkit {
namespace rt {
namespace {

template <typename In, typename Out>
void Requantize(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const QuantizeRecord*>(record);
  const In* x = ctx.Ptr<const In>(r.input);
  Out* y = ctx.Ptr<Out>(r.output);
  for (uint32_t i = 0; i < r.count; ++i) {
    const int32_t v = fx::WrapAdd(
        fx::MultiplyByQuantizedMultiplier(
            fx::WrapSub(static_cast<int32_t>(x[i]), r.input_zero_point), r.multiplier, r.shift),
        r.output_zero_point);
    y[i] = static_cast<Out>(v < r.out_min ? r.out_min : (v > r.out_max ? r.out_max : v));
  }
}

template <typename Out>
void QuantizeFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const QuantizeRecord*>(record);
  const float* x = ctx.Ptr<const float>(r.input);
  Out* y = ctx.Ptr<Out>(r.output);
  for (uint32_t i = 0; i < r.count; ++i) {
    const float q = roundf(x[i] / r.scale);
    // Clamp in float first so that huge values and NaN cannot overflow the conversion.
    const float lo = static_cast<float>(r.out_min - r.output_zero_point);
    const float hi = static_cast<float>(r.out_max - r.output_zero_point);
    const float c = q > lo ? (q < hi ? q : hi) : lo;
    y[i] = static_cast<Out>(static_cast<int32_t>(c) + r.output_zero_point);
  }
}

template <typename In>
void Dequantize(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const QuantizeRecord*>(record);
  const In* x = ctx.Ptr<const In>(r.input);
  float* y = ctx.Ptr<float>(r.output);
  // TFLite computes float(double(scale) * v). When |v| < 2^24 (any int8/int16 input with a sane
  // zero point) that double product of two 24-bit significands is exact, so rounding it to float
  // is exactly the float product scale * float(v): no software double on an MCU.
  const int32_t zp = r.input_zero_point;
  if (zp >= -(int32_t{1} << 23) && zp <= (int32_t{1} << 23)) {
    const float scale = r.scale;
    for (uint32_t i = 0; i < r.count; ++i) {
      y[i] = scale * static_cast<float>(static_cast<int32_t>(x[i]) - zp);
    }
    return;
  }
  const double scale = static_cast<double>(r.scale);
  for (uint32_t i = 0; i < r.count; ++i) {
    y[i] = static_cast<float>(scale * (static_cast<int32_t>(x[i]) - zp));
  }
}

}  // namespace

void EvalQuantizeFloatToInt8(const EvalContext& c, const void* r) { QuantizeFloat<int8_t>(c, r); }
void EvalQuantizeFloatToInt16(const EvalContext& c, const void* r) { QuantizeFloat<int16_t>(c, r); }
void EvalRequantizeInt8ToInt8(const EvalContext& c, const void* r) {
  Requantize<int8_t, int8_t>(c, r);
}
void EvalRequantizeInt8ToInt16(const EvalContext& c, const void* r) {
  Requantize<int8_t, int16_t>(c, r);
}
void EvalRequantizeInt8ToInt32(const EvalContext& c, const void* r) {
  Requantize<int8_t, int32_t>(c, r);
}
void EvalRequantizeInt16ToInt8(const EvalContext& c, const void* r) {
  Requantize<int16_t, int8_t>(c, r);
}
void EvalRequantizeInt16ToInt16(const EvalContext& c, const void* r) {
  Requantize<int16_t, int16_t>(c, r);
}
void EvalRequantizeInt16ToInt32(const EvalContext& c, const void* r) {
  Requantize<int16_t, int32_t>(c, r);
}
void EvalRequantizeInt32ToInt8(const EvalContext& c, const void* r) {
  Requantize<int32_t, int8_t>(c, r);
}
void EvalRequantizeInt32ToInt16(const EvalContext& c, const void* r) {
  Requantize<int32_t, int16_t>(c, r);
}
void EvalDequantizeInt8(const EvalContext& c, const void* r) { Dequantize<int8_t>(c, r); }
void EvalDequantizeUInt8(const EvalContext& c, const void* r) { Dequantize<uint8_t>(c, r); }
void EvalDequantizeInt16(const EvalContext& c, const void* r) { Dequantize<int16_t>(c, r); }

}  // namespace rt
}  // namespace emlkit
