// The SVDF algorithm shared by kernels/reference/svdf.cc and the host variant: one definition of
// the arithmetic, with the two dot-product loops supplied by the caller (`Dots`):
//   Dots::Feature(x, input_offset, weights, depth, rows, out)  out[r] = sum w[r][k] * (x[k] + off)
//   Dots::Time(state, state_zero_point, weights, memory, filters, out)
//                                  out[f] = sum_j w[f][j] * (state[f][j] - state_zero_point)
// Both wrap modulo 2^32 like TFLite's int32 accumulators.
#ifndef EMLKIT_RUNTIME_KERNELS_SVDF_PORTABLE_H_
#define EMLKIT_RUNTIME_KERNELS_SVDF_PORTABLE_H_

#include <string.h>

#include "kernels/fixed_point.h"
#include "kernels/svdf.h"

namespace emlkit {
namespace rt {
namespace portable {

struct SvdfDots {
  static void Feature(const int8_t* x, int32_t offset, const int8_t* w, int32_t depth, int32_t rows,
                      int32_t* out) {
    for (int32_t r = 0; r < rows; ++r) {
      uint32_t dot = 0;
      for (int32_t k = 0; k < depth; ++k) {
        dot += static_cast<uint32_t>(w[r * depth + k] * (x[k] + offset));
      }
      out[r] = static_cast<int32_t>(dot);
    }
  }
  template <typename T>
  static void Time(const T* state, int32_t zero_point, const T* w, int32_t memory, int32_t filters,
                   int32_t* out) {
    for (int32_t f = 0; f < filters; ++f) {
      uint32_t dot = 0;
      for (int32_t j = 0; j < memory; ++j) {
        dot += static_cast<uint32_t>(w[f * memory + j] * (state[f * memory + j] - zero_point));
      }
      out[f] = static_cast<int32_t>(dot);
    }
  }
};

// int8 SVDF with T (int16 or int8) state and time weights, as TFLite Micro's reference.
template <typename T, typename Dots>
void SvdfInteger(const EvalContext& ctx, const SvdfRecord& r) {
  constexpr int32_t kStateMin = sizeof(T) == 1 ? -128 : -32768;
  constexpr int32_t kStateMax = sizeof(T) == 1 ? 127 : 32767;
  const int8_t* input = ctx.Ptr<const int8_t>(r.input);
  const int8_t* wf = ctx.Ptr<const int8_t>(r.weights_feature);
  const T* wt = ctx.Ptr<const T>(r.weights_time);
  const int32_t* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const int32_t>(r.bias);
  T* state = ctx.Ptr<T>(r.state);
  int8_t* output = ctx.Ptr<int8_t>(r.output);
  int32_t* dots = ctx.Ptr<int32_t>(r.scratch);  // [batches][filters]
  int32_t* sums = ctx.Ptr<int32_t>(r.scratch_output);
  const int32_t per_batch = r.filters * r.memory;
  const int32_t n_state = r.batches * per_batch;

  // Shift the whole state left by one (each filter's newest slot is rewritten below).
  if (n_state > 1) memmove(state, state + 1, static_cast<size_t>(n_state - 1) * sizeof(T));

  // Feature matmul, requantized into the last column of every filter's memory.
  for (int32_t b = 0; b < r.batches; ++b) {
    Dots::Feature(input + b * r.input_size, -r.input_zero_point, wf, r.input_size, r.filters,
                  dots + b * r.filters);
    T* slot = state + b * per_batch + (r.memory - 1);
    for (int32_t f = 0; f < r.filters; ++f) {
      int32_t v =
          fx::MultiplyByQuantizedMultiplier(dots[b * r.filters + f], r.multiplier1, r.shift1);
      v = v < kStateMin ? kStateMin : (v > kStateMax ? kStateMax : v);
      slot[f * r.memory] = static_cast<T>(r.state_zero_point + v);
    }
  }

  // Time: every filter's memory dotted with its time weights, then reduced over rank.
  for (int32_t b = 0; b < r.batches; ++b) {
    int32_t* d = dots + b * r.filters;
    Dots::template Time<T>(state + b * per_batch, r.state_zero_point, wt, r.memory, r.filters, d);
    for (int32_t u = 0; u < r.units; ++u) {
      int32_t acc = bias != nullptr ? bias[u] : 0;
      for (int32_t k = 0; k < r.rank; ++k) acc = fx::WrapAdd(acc, d[u * r.rank + k]);
      sums[b * r.units + u] = acc;
    }
  }
  for (int32_t i = 0; i < r.batches * r.units; ++i) {
    output[i] = static_cast<int8_t>(
        fx::RequantizeClamp(sums[i], r.multiplier2, r.shift2, r.output_zero_point, -128, 127));
  }
}

inline void SvdfFloat(const EvalContext& ctx, const SvdfRecord& r) {
  const float* input = ctx.Ptr<const float>(r.input);
  const float* wf = ctx.Ptr<const float>(r.weights_feature);
  const float* wt = ctx.Ptr<const float>(r.weights_time);
  const float* bias = r.bias == kNoRef ? nullptr : ctx.Ptr<const float>(r.bias);
  float* state = ctx.Ptr<float>(r.state);
  float* output = ctx.Ptr<float>(r.output);
  float* scratch = ctx.Ptr<float>(r.scratch);
  const int32_t n_state = r.batches * r.filters * r.memory;
  if (n_state > 1) memmove(state, state + 1, static_cast<size_t>(n_state - 1) * sizeof(float));
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
      output[b * r.units + u] = v < r.f_act_min ? r.f_act_min : (v > r.f_act_max ? r.f_act_max : v);
    }
  }
}

}  // namespace portable
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_SVDF_PORTABLE_H_
