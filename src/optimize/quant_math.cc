#include "optimize/quant_math.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace emlkit::optimize {
namespace {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

// Product of the dimensions after `axis` (the stride of axis in elements).
int64_t InnerSize(const std::vector<int32_t>& shape, int axis) {
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d) inner *= shape[d];
  return inner;
}

int64_t ChannelOf(int64_t i, int64_t inner, int64_t channels) { return (i / inner) % channels; }

}  // namespace

QuantParams AsymmetricParams(double lo, double hi) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  QuantParams p;
  if (!(hi - lo > 0.0)) {
    p.scale = 1.0f / 256.0f;
    p.zero_point = -128;
    return p;
  }
  p.scale = static_cast<float>((hi - lo) / 255.0);
  if (!(p.scale > 0.0f)) p.scale = std::numeric_limits<float>::min();
  const double zp = -128.0 - lo / static_cast<double>(p.scale);
  p.zero_point = static_cast<int32_t>(std::clamp(std::round(zp), -128.0, 127.0));
  return p;
}

double QuantMin(const QuantParams& p) {
  return static_cast<double>(p.scale) * (-128 - p.zero_point);
}
double QuantMax(const QuantParams& p) {
  return static_cast<double>(p.scale) * (127 - p.zero_point);
}

int32_t QuantizeValue(float x, const QuantParams& p, int32_t qmin, int32_t qmax) {
  if (std::isnan(x)) return std::clamp(p.zero_point, qmin, qmax);
  const double r = std::round(static_cast<double>(x / p.scale)) + p.zero_point;
  return static_cast<int32_t>(std::clamp(r, static_cast<double>(qmin), static_cast<double>(qmax)));
}

std::vector<int8_t> QuantizeWithScales(const std::vector<float>& w,
                                       const std::vector<int32_t>& shape, int axis,
                                       const std::vector<float>& scales) {
  const int64_t channels = scales.size() == 1 ? 1 : shape[static_cast<size_t>(axis)];
  const int64_t inner = scales.size() == 1 ? 1 : InnerSize(shape, axis);
  std::vector<int8_t> q(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    const QuantParams p{
        scales[static_cast<size_t>(ChannelOf(static_cast<int64_t>(i), inner, channels))], 0};
    q[i] = static_cast<int8_t>(QuantizeValue(w[i], p, -127, 127));
  }
  return q;
}

QuantizedWeights QuantizeWeightsSymmetric(const std::vector<float>& w,
                                          const std::vector<int32_t>& shape, int axis,
                                          bool per_channel) {
  const int64_t channels = per_channel ? shape[static_cast<size_t>(axis)] : 1;
  const int64_t inner = per_channel ? InnerSize(shape, axis) : 1;
  std::vector<float> max_abs(static_cast<size_t>(channels), 0.0f);
  for (size_t i = 0; i < w.size(); ++i) {
    float& m = max_abs[static_cast<size_t>(ChannelOf(static_cast<int64_t>(i), inner, channels))];
    if (std::isfinite(w[i])) m = std::max(m, std::fabs(w[i]));
  }
  QuantizedWeights out;
  for (float m : max_abs) out.scales.push_back(m > 0.0f ? m / 127.0f : 1.0f);
  out.values = QuantizeWithScales(w, shape, axis, out.scales);
  return out;
}

std::vector<int32_t> QuantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales) {
  std::vector<int32_t> q(bias.size());
  for (size_t c = 0; c < bias.size(); ++c) {
    const float ws = weight_scales.size() == 1 ? weight_scales[0] : weight_scales[c];
    const double s = static_cast<double>(input_scale * ws);
    const double r = std::round(static_cast<double>(bias[c]) / s);
    q[c] = static_cast<int32_t>(
        std::clamp(r, -static_cast<double>(kInt32Max), static_cast<double>(kInt32Max)));
  }
  return q;
}

bool WidenScalesForBias(const std::vector<float>& bias, float input_scale,
                        std::vector<float>* weight_scales) {
  // Keep 2^30 as the bound: the kernel adds the accumulated products to the bias in int32.
  constexpr double kLimit = 1073741824.0;
  bool changed = false;
  for (size_t c = 0; c < bias.size(); ++c) {
    float& ws = weight_scales->size() == 1 ? (*weight_scales)[0] : (*weight_scales)[c];
    const double need =
        std::fabs(static_cast<double>(bias[c])) / (static_cast<double>(input_scale) * kLimit);
    if (need > static_cast<double>(ws)) {
      ws = static_cast<float>(need) * 1.0001f;
      changed = true;
    }
  }
  return changed;
}

double SqnrDb(double signal_energy, double noise_energy) {
  if (noise_energy <= 0.0) return std::numeric_limits<double>::infinity();
  if (signal_energy <= 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal_energy / noise_energy);
}

}  // namespace emlkit::optimize
