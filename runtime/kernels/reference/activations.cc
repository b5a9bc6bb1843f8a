// Portable activation kernels.
#include <math.h>

#include "kernels/activations.h"
#include "kernels/fixed_point.h"

namespace emlkit {
namespace rt {
namespace {

template <typename F>
void MapInt8(const EvalContext& ctx, const ActivationRecord& r, F f) {
  const int8_t* x = ctx.Ptr<const int8_t>(r.input);
  int8_t* y = ctx.Ptr<int8_t>(r.output);
  for (uint32_t i = 0; i < r.count; ++i) y[i] = f(x[i]);
}

template <typename F>
void MapFloat(const EvalContext& ctx, const ActivationRecord& r, F f) {
  const float* x = ctx.Ptr<const float>(r.input);
  float* y = ctx.Ptr<float>(r.output);
  for (uint32_t i = 0; i < r.count; ++i) y[i] = f(x[i]);
}

inline int8_t Clamp8(int32_t v, int32_t lo, int32_t hi) {
  return static_cast<int8_t>(v < lo ? lo : (v > hi ? hi : v));
}

}  // namespace

void EvalReluInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ActivationRecord*>(record);
  MapInt8(ctx, r, [&r](int8_t x) {
    const int32_t v = r.output_zero_point + fx::MultiplyByQuantizedMultiplier(
                                                x - r.input_zero_point, r.multiplier, r.shift);
    return Clamp8(v, r.act_min, r.act_max);
  });
}

void EvalRelu6Int8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ActivationRecord*>(record);
  MapInt8(ctx, r, [&r](int8_t x) { return Clamp8(x, r.act_min, r.act_max); });
}

void EvalLogisticInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ActivationRecord*>(record);
  MapInt8(ctx, r, [&r](int8_t x) -> int8_t {
    const int32_t in = x - r.input_zero_point;
    if (in <= -r.input_range_radius) return -128;
    if (in >= r.input_range_radius) return 127;
    const int32_t q4 = fx::MultiplyByQuantizedMultiplier(in, r.multiplier, r.shift);
    const int32_t out = fx::RoundingDivideByPOT(fx::Logistic<4>(q4), 23) - 128;
    return Clamp8(out, -128, 127);
  });
}

void EvalTanhInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const ActivationRecord*>(record);
  MapInt8(ctx, r, [&r](int8_t x) -> int8_t {
    const int32_t in = x - r.input_zero_point;
    if (in <= -r.input_range_radius) return -128;
    if (in >= r.input_range_radius) return 127;
    const int32_t q4 = fx::MultiplyByQuantizedMultiplier(in, r.multiplier, r.shift);
    return Clamp8(fx::RoundingDivideByPOT(fx::Tanh<4>(q4), 24), -128, 127);
  });
}

void EvalReluFloat(const EvalContext& ctx, const void* record) {
  MapFloat(ctx, *static_cast<const ActivationRecord*>(record),
           [](float x) { return x < 0.0f ? 0.0f : x; });
}

void EvalRelu6Float(const EvalContext& ctx, const void* record) {
  MapFloat(ctx, *static_cast<const ActivationRecord*>(record),
           [](float x) { return x > 6.0f ? 6.0f : (x < 0.0f ? 0.0f : x); });
}

void EvalLogisticFloat(const EvalContext& ctx, const void* record) {
  MapFloat(ctx, *static_cast<const ActivationRecord*>(record), [](float x) -> float {
    // TFLite's reference cut-offs: beyond them the float result no longer changes.
    if (x > 16.619047164916992188f) return 1.0f;
    if (x < -9.0f) return expf(x);
    return 1.0f / (1.0f + expf(-x));
  });
}

void EvalTanhFloat(const EvalContext& ctx, const void* record) {
  MapFloat(ctx, *static_cast<const ActivationRecord*>(record),
           [](float x) -> float { return tanhf(x); });
}

}  // namespace rt
}  // namespace emlkit
