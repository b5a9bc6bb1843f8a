#include "train/loss.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <cstddef>
#include "train/names.h"

namespace emlkit::train {

namespace {
constexpr const char* kLossNames[] = {"cross_entropy", "mse", "huber"};
static_assert(std::size(kLossNames) == static_cast<size_t>(LossKind::kHuber) + 1);
}  // namespace

const char* LossName(LossKind k) { return kLossNames[static_cast<int>(k)]; }
bool ParseLossName(const std::string& name, LossKind* out) {
  return ParseName(name, kLossNames, out);
}

Loss Loss::CrossEntropy(std::vector<float> class_weights) {
  Loss l;
  l.kind_ = LossKind::kCrossEntropy;
  l.class_weights_ = std::move(class_weights);
  return l;
}

Loss Loss::Mse() {
  Loss l;
  l.kind_ = LossKind::kMse;
  return l;
}

Loss Loss::Huber(float delta) {
  Loss l;
  l.kind_ = LossKind::kHuber;
  l.delta_ = delta;
  return l;
}

LossSum Loss::Compute(const float* out, const int32_t* labels, const float* targets, int n,
                      int width, float* grad) const {
  LossSum s;
  if (kind_ == LossKind::kCrossEntropy) {
    auto z = [&](int r, int j) { return out[static_cast<ptrdiff_t>(j) * n + r]; };
    for (int r = 0; r < n; ++r) {
      const int32_t y = labels[r];
      const double w = class_weights_.empty() ? 1.0 : class_weights_[static_cast<size_t>(y)];
      float m = z(r, 0);
      for (int j = 1; j < width; ++j) m = std::max(m, z(r, j));
      float denom = 0.0f;
      for (int j = 0; j < width; ++j) {
        const float e = std::exp(z(r, j) - m);
        denom += e;
        if (grad) grad[static_cast<ptrdiff_t>(j) * n + r] = e;
      }
      s.sum += w * (static_cast<double>(std::log(denom)) - static_cast<double>(z(r, y) - m));
      s.weight += w;
      if (grad) {
        const float scale = static_cast<float>(w) / denom;
        for (int j = 0; j < width; ++j) grad[static_cast<ptrdiff_t>(j) * n + r] *= scale;
        grad[static_cast<ptrdiff_t>(y) * n + r] -= static_cast<float>(w);
      }
    }
    if (grad && s.weight > 0) {
      const float inv = static_cast<float>(1.0 / s.weight);
      for (ptrdiff_t i = 0; i < static_cast<ptrdiff_t>(n) * width; ++i) grad[i] *= inv;
    }
    return s;
  }
  const ptrdiff_t total = static_cast<ptrdiff_t>(n) * width;
  const float gscale = 1.0f / static_cast<float>(total);
  double sum = 0.0;
  for (ptrdiff_t i = 0; i < total; ++i) {
    const float e = out[i] - targets[i];
    if (kind_ == LossKind::kMse) {
      sum += static_cast<double>(e) * e;
      if (grad) grad[i] = 2.0f * e * gscale;
    } else {
      const float a = std::fabs(e);
      sum += a <= delta_ ? 0.5 * static_cast<double>(e) * e : delta_ * (a - 0.5 * delta_);
      if (grad) grad[i] = (a <= delta_ ? e : std::copysign(delta_, e)) * gscale;
    }
  }
  s.sum = sum / width;
  s.weight = n;
  return s;
}

std::vector<float> BalancedClassWeights(const int32_t* labels, int64_t n, int num_classes) {
  std::vector<int64_t> count(static_cast<size_t>(num_classes), 0);
  for (int64_t i = 0; i < n; ++i) ++count[static_cast<size_t>(labels[i])];
  std::vector<float> w(static_cast<size_t>(num_classes), 1.0f);
  for (int k = 0; k < num_classes; ++k)
    if (count[static_cast<size_t>(k)] > 0)
      w[static_cast<size_t>(k)] =
          static_cast<float>(static_cast<double>(n) /
                             (num_classes * static_cast<double>(count[static_cast<size_t>(k)])));
  return w;
}

}  // namespace emlkit::train
