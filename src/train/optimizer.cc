#include "train/optimizer.h"

#include <cmath>
#include <iterator>

#include "train/names.h"

namespace emlkit::train {

namespace {
constexpr const char* kOptimizerNames[] = {"sgd", "adam", "adamw"};
static_assert(std::size(kOptimizerNames) == static_cast<size_t>(OptimizerKind::kAdamW) + 1);
}  // namespace

const char* OptimizerName(OptimizerKind k) { return kOptimizerNames[static_cast<int>(k)]; }
bool ParseOptimizerName(const std::string& name, OptimizerKind* out) {
  return ParseName(name, kOptimizerNames, out);
}

Optimizer::Optimizer(const OptimizerOptions& options, size_t num_params)
    : o_(options),
      m_(num_params, 0.0f),
      v_(options.kind == OptimizerKind::kSgd ? 0 : num_params, 0.0f) {}

void Optimizer::Step(const std::vector<Network::Block>& blocks, float* w, const float* g,
                     float lr) {
  ++t_;
  if (o_.kind == OptimizerKind::kSgd) {
    const float mu = o_.momentum;
    for (const Network::Block& b : blocks) {
      const float wd = b.decay ? o_.weight_decay : 0.0f;
      float* __restrict wb = w + b.offset;
      const float* __restrict gb = g + b.offset;
      float* __restrict vb = m_.data() + b.offset;
      for (size_t i = 0; i < b.size; ++i) {
        const float gi = gb[i] + wd * wb[i];
        vb[i] = mu * vb[i] + gi;
        wb[i] -= lr * (o_.nesterov ? gi + mu * vb[i] : vb[i]);
      }
    }
    return;
  }
  beta1_power_ *= o_.beta1;
  beta2_power_ *= o_.beta2;
  const float step = static_cast<float>(lr / (1.0 - beta1_power_));
  const float inv_sqrt_bc2 = static_cast<float>(1.0 / std::sqrt(1.0 - beta2_power_));
  const float b1 = o_.beta1, b2 = o_.beta2, eps = o_.epsilon;
  const bool decoupled = o_.kind == OptimizerKind::kAdamW;
  for (const Network::Block& b : blocks) {
    const float wd = b.decay ? o_.weight_decay : 0.0f;
    const float l2 = decoupled ? 0.0f : wd;
    const float shrink = decoupled ? 1.0f - lr * wd : 1.0f;
    float* __restrict wb = w + b.offset;
    const float* __restrict gb = g + b.offset;
    float* __restrict mb = m_.data() + b.offset;
    float* __restrict vb = v_.data() + b.offset;
    for (size_t i = 0; i < b.size; ++i) {
      const float gi = gb[i] + l2 * wb[i];
      mb[i] = b1 * mb[i] + (1.0f - b1) * gi;
      vb[i] = b2 * vb[i] + (1.0f - b2) * gi * gi;
      wb[i] = wb[i] * shrink - step * mb[i] / (std::sqrt(vb[i]) * inv_sqrt_bc2 + eps);
    }
  }
}

}  // namespace emlkit::train
