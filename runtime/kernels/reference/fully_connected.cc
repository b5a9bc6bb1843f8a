// Portable FULLY_CONNECTED kernels (the ones firmware runs).
#include "kernels/fully_connected.h"
#include "kernels/fixed_point.h"

namespace emlkit::rt {
namespace {

struct QuantParams {
  int32_t input_offset, output_offset, act_min, act_max;
};

inline int8_t Requantize(int32_t acc, int32_t multiplier, int shift, const QuantParams& q) {
  int32_t v = fx::MultiplyByQuantizedMultiplier(acc, multiplier, shift) + q.output_offset;
  v = v < q.act_min ? q.act_min : v;
  v = v > q.act_max ? q.act_max : v;
  return static_cast<int8_t>(v);
}

// One output row: acc[o] = bias[o] + sum_d w[o][d] * (x[d] + input_offset).
inline int32_t DotInt8(const int8_t* x, const int8_t* w, int32_t depth, int32_t input_offset) {
  uint32_t acc = 0;  // wraps like the int32 accumulator would, without undefined behaviour
  for (int32_t d = 0; d < depth; ++d) acc += static_cast<uint32_t>(w[d] * (x[d] + input_offset));
  return static_cast<int32_t>(acc);
}

void FullyConnectedInt8(const QuantParams& q, const int32_t* multipliers, const int8_t* shifts,
                        int32_t multiplier, int32_t shift, int32_t batches, int32_t depth,
                        int32_t outputs, const int8_t* input, const int8_t* weights,
                        const int32_t* bias, int8_t* output) {
  for (int32_t b = 0; b < batches; ++b) {
    const int8_t* x = input + b * depth;
    for (int32_t o = 0; o < outputs; ++o) {
      int32_t acc = DotInt8(x, weights + o * depth, depth, q.input_offset);
      if (bias != nullptr) acc = fx::WrapAdd(acc, bias[o]);
      if (multipliers != nullptr) {
        multiplier = multipliers[o];
        shift = shifts[o];
      }
      output[b * outputs + o] = Requantize(acc, multiplier, shift, q);
    }
  }
}

void EvalInt8(const EvalContext& ctx, const FullyConnectedRecord& r, const int32_t* multipliers,
              const int8_t* shifts) {
  const QuantParams q{r.input_offset, r.output_offset, r.act_min, r.act_max};
  FullyConnectedInt8(
      q, multipliers, shifts, r.multiplier, r.shift, r.batches, r.accum_depth, r.output_depth,
      ctx.Ptr<const int8_t>(r.input), ctx.Ptr<const int8_t>(r.weights),
      r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias), ctx.Ptr<int8_t>(r.output));
}

void EvalFullyConnectedInt8(const EvalContext& ctx, const void* record) {
  EvalInt8(ctx, *static_cast<const FullyConnectedRecord*>(record), nullptr, nullptr);
}

void EvalFullyConnectedInt8PerChannel(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const uint8_t* tail = static_cast<const uint8_t*>(record) + r.per_channel;
  EvalInt8(ctx, r, reinterpret_cast<const int32_t*>(tail),
           reinterpret_cast<const int8_t*>(tail + 4 * r.output_depth));
}

void EvalFullyConnectedFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const FullyConnectedRecord*>(record);
  const float* input = ctx.Ptr<const float>(r.input);
  const float* weights = ctx.Ptr<const float>(r.weights);
  const float* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const float>(r.bias);
  float* output = ctx.Ptr<float>(r.output);
  const int32_t depth = r.accum_depth, outputs = r.output_depth;
  for (int32_t b = 0; b < r.batches; ++b) {
    const float* x = input + b * depth;
    for (int32_t o = 0; o < outputs; ++o) {
      const float* w = weights + o * depth;
      float total = 0.0f;
      for (int32_t d = 0; d < depth; ++d) total += x[d] * w[d];
      float v = total + (bias != nullptr ? bias[o] : 0.0f);
      v = v < r.f_act_min ? r.f_act_min : v;
      v = v > r.f_act_max ? r.f_act_max : v;
      output[b * outputs + o] = v;
    }
  }
}

}  // namespace

EvalFn SelectFullyConnectedEval(const FullyConnectedRecord& r, bool is_float) {
  if (is_float) return &EvalFullyConnectedFloat;
  return r.per_channel != 0 ? &EvalFullyConnectedInt8PerChannel : &EvalFullyConnectedInt8;
}

}  // namespace emlkit::rt
