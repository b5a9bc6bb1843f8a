// Portable SVDF kernels.
#include "kernels/svdf.h"
#include "kernels/fixed_point.h"

namespace emlkit::rt {
namespace {

template <typename T>
void SvdfInteger(const EvalContext& ctx, const SvdfRecord& r) {
  constexpr int32_t kStateMin = sizeof(T) == 1 ? -128 : -32768;
  constexpr int32_t kStateMax = sizeof(T) == 1 ? 127 : 32767;
  const int8_t* input = ctx.Ptr<const int8_t>(r.input);
  const int8_t* wf = ctx.Ptr<const int8_t>(r.weights_feature);
  const T* wt = ctx.Ptr<const T>(r.weights_time);
  const int32_t* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  T* state = ctx.Ptr<T>(r.state);
  int8_t* output = ctx.Ptr<int8_t>(r.output);
  int32_t* scratch = ctx.Ptr<int32_t>(r.scratch);
  int32_t* sums = ctx.Ptr<int32_t>(r.scratch_output);
  const int32_t n_state = r.batches * r.filters * r.memory;

  // Shift the whole state left by one (each filter's newest slot is rewritten below).
  for (int32_t i = 0; i + 1 < n_state; ++i) state[i] = state[i + 1];

  // Feature matmul into the last column of every filter's memory.
  for (int32_t b = 0; b < r.batches; ++b) {
    const int8_t* x = input + b * r.input_size;
    T* slot = state + b * r.filters * r.memory + (r.memory - 1);
    for (int32_t f = 0; f < r.filters; ++f) {
      const int8_t* w = wf + f * r.input_size;
      uint32_t dot = 0;
      for (int32_t c = 0; c < r.input_size; ++c) {
        dot += static_cast<uint32_t>(w[c] * (x[c] - r.input_zero_point));
      }
      int32_t v =
          fx::MultiplyByQuantizedMultiplier(static_cast<int32_t>(dot), r.multiplier1, r.shift1);
      v = v < kStateMin ? kStateMin : (v > kStateMax ? kStateMax : v);
      slot[f * r.memory] = static_cast<T>(r.state_zero_point + v);
    }
  }

  // Time: dot every filter's memory with its time weights.
  for (int32_t b = 0; b < r.batches; ++b) {
    const T* s = state + b * r.filters * r.memory;
    for (int32_t f = 0; f < r.filters; ++f) {
      uint32_t dot = 0;
      for (int32_t j = 0; j < r.memory; ++j) {
        dot += static_cast<uint32_t>(wt[f * r.memory + j] *
                                     (s[f * r.memory + j] - r.state_zero_point));
      }
      scratch[b * r.filters + f] = static_cast<int32_t>(dot);
    }
  }

  // Reduce over rank, add bias, rescale.
  for (int32_t b = 0; b < r.batches; ++b) {
    for (int32_t u = 0; u < r.units; ++u) {
      int32_t acc = bias != nullptr ? bias[u] : 0;
      for (int32_t k = 0; k < r.rank; ++k) {
        acc = fx::WrapAdd(acc, scratch[b * r.filters + u * r.rank + k]);
      }
      sums[b * r.units + u] = acc;
    }
  }
  for (int32_t i = 0; i < r.batches * r.units; ++i) {
    int32_t v =
        fx::MultiplyByQuantizedMultiplier(sums[i], r.multiplier2, r.shift2) + r.output_zero_point;
    v = v < -128 ? -128 : (v > 127 ? 127 : v);
    output[i] = static_cast<int8_t>(v);
  }
}

}  // namespace

void EvalSvdfInt8Int16State(const EvalContext& ctx, const void* record) {
  SvdfInteger<int16_t>(ctx, *static_cast<const SvdfRecord*>(record));
}

void EvalSvdfInt8Int8State(const EvalContext& ctx, const void* record) {
  SvdfInteger<int8_t>(ctx, *static_cast<const SvdfRecord*>(record));
}

void EvalSvdfFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const SvdfRecord*>(record);
  const float* input = ctx.Ptr<const float>(r.input);
  const float* wf = ctx.Ptr<const float>(r.weights_feature);
  const float* wt = ctx.Ptr<const float>(r.weights_time);
  const float* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const float>(r.bias);
  float* state = ctx.Ptr<float>(r.state);
  float* output = ctx.Ptr<float>(r.output);
  float* scratch = ctx.Ptr<float>(r.scratch);
  const int32_t n_state = r.batches * r.filters * r.memory;
  for (int32_t i = 0; i + 1 < n_state; ++i) state[i] = state[i + 1];
  for (int32_t b = 0; b < r.batches; ++b) {
    const float* x = input + b * r.input_size;
    float* slot = state + b * r.filters * r.memory + (r.memory - 1);
    for (int32_t f = 0; f < r.filters; ++f) {
      float dot = 0.0f;
      for (int32_t c = 0; c < r.input_size; ++c) dot += wf[f * r.input_size + c] * x[c];
      slot[f * r.memory] = dot;
    }
  }
  for (int32_t b = 0; b < r.batches; ++b) {
    const float* s = state + b * r.filters * r.memory;
    for (int32_t f = 0; f < r.filters; ++f) {
      float dot = 0.0f;
      for (int32_t j = 0; j < r.memory; ++j) dot += wt[f * r.memory + j] * s[f * r.memory + j];
      scratch[b * r.filters + f] = dot;
    }
  }
  for (int32_t b = 0; b < r.batches; ++b) {
    for (int32_t u = 0; u < r.units; ++u) {
      float v = bias != nullptr ? bias[u] : 0.0f;
      for (int32_t k = 0; k < r.rank; ++k) v += scratch[b * r.filters + u * r.rank + k];
      v = v < r.f_act_min ? r.f_act_min : (v > r.f_act_max ? r.f_act_max : v);
      output[b * r.units + u] = v;
    }
  }
}

}  // namespace emlkit::rt
