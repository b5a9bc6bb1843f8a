// Layers without parameters that reshape, reduce or mask (batches are feature-major, so a record's
// flattened features keep their order and flatten is a copy):
//   flatten     [W, C] -> [W * C]           (exported as RESHAPE)
//   gap         [W, C] -> [C], mean over W  (exported as MEAN over the time axis)
//   dropout     y = x * mask / (1 - rate) while training, y = x otherwise (not exported)
//   activation  y = act(x)                  (exported as RELU / RELU6 / TANH / LOGISTIC / SOFTMAX)
#include <algorithm>
#include <cstddef>

#include "train/kernels.h"
#include "train/layer_factories.h"

namespace emlkit::train {
namespace {

class FlattenLayer : public Layer {
 public:
  FlattenLayer(const LayerSpec& spec, const Shape& in) : Layer(spec, in, {ShapeSize(in)}) {}
  void Forward(const float* x, int n, float* y, const ForwardContext&) override {
    std::copy(x, x + static_cast<ptrdiff_t>(n) * in_size(), y);
  }
  void Backward(const float*, const float*, const float* dy, int n, float* dx) override {
    if (dx) std::copy(dy, dy + static_cast<ptrdiff_t>(n) * in_size(), dx);
  }
};

class GlobalAvgPoolLayer : public Layer {
 public:
  GlobalAvgPoolLayer(const LayerSpec& spec, const Shape& in) : Layer(spec, in, {in[1]}) {}
  void Forward(const float* x, int n, float* y, const ForwardContext&) override {
    const ptrdiff_t block = static_cast<ptrdiff_t>(in_[1]) * n;  // one time step of the batch
    const float inv = 1.0f / static_cast<float>(in_[0]);
    std::copy(x, x + block, y);
    for (int t = 1; t < in_[0]; ++t)
      for (ptrdiff_t e = 0; e < block; ++e) y[e] += x[t * block + e];
    for (ptrdiff_t e = 0; e < block; ++e) y[e] *= inv;
  }
  void Backward(const float*, const float*, const float* dy, int n, float* dx) override {
    if (!dx) return;
    const ptrdiff_t block = static_cast<ptrdiff_t>(in_[1]) * n;
    const float inv = 1.0f / static_cast<float>(in_[0]);
    for (int t = 0; t < in_[0]; ++t)
      for (ptrdiff_t e = 0; e < block; ++e) dx[t * block + e] = dy[e] * inv;
  }
};

class DropoutLayer : public Layer {
 public:
  DropoutLayer(const LayerSpec& spec, const Shape& in) : Layer(spec, in, in) {}
  void Reserve(int max_batch) override {
    mask_.resize(static_cast<size_t>(max_batch) * static_cast<size_t>(in_size()));
  }
  void Forward(const float* x, int n, float* y, const ForwardContext& ctx) override {
    const ptrdiff_t total = static_cast<ptrdiff_t>(n) * in_size();
    if (!ctx.training || spec_.rate == 0.0f) {
      std::copy(x, x + total, y);
      return;
    }
    const float keep = 1.0f / (1.0f - spec_.rate);
    for (ptrdiff_t i = 0; i < total; ++i) {
      mask_[static_cast<size_t>(i)] = ctx.rng->Uniform() < spec_.rate ? 0.0f : keep;
      y[i] = x[i] * mask_[static_cast<size_t>(i)];
    }
  }
  // Only called after a training Forward (the mask of that pass is reused).
  void Backward(const float*, const float*, const float* dy, int n, float* dx) override {
    if (!dx) return;
    const ptrdiff_t total = static_cast<ptrdiff_t>(n) * in_size();
    if (spec_.rate == 0.0f) {
      std::copy(dy, dy + total, dx);
      return;
    }
    for (ptrdiff_t i = 0; i < total; ++i) dx[i] = dy[i] * mask_[static_cast<size_t>(i)];
  }

 private:
  std::vector<float> mask_;
};

class ActivationLayer : public Layer {
 public:
  ActivationLayer(const LayerSpec& spec, const Shape& in) : Layer(spec, in, in) {}
  void Forward(const float* x, int n, float* y, const ForwardContext&) override {
    std::copy(x, x + static_cast<ptrdiff_t>(n) * in_size(), y);
    kernels::ActivationForward(spec_.act, y, n, in_size(), Group());
  }
  void Backward(const float*, const float* y, const float* dy, int n, float* dx) override {
    if (dx) kernels::ActivationBackward(spec_.act, y, dy, n, in_size(), Group(), dx);
  }

 private:
  // Softmax normalizes over the last axis; the others are element-wise.
  int Group() const { return static_cast<int>(in_.back()); }
};

}  // namespace

Result<std::unique_ptr<Layer>> MakeShapeLayer(const LayerSpec& spec, const Shape& in) {
  switch (spec.kind) {
    case LayerKind::kFlatten:
      return std::unique_ptr<Layer>(new FlattenLayer(spec, in));
    case LayerKind::kGlobalAvgPool1D:
      if (in.size() != 2)
        return Status::InvalidArgument(
            "gap (global average pooling) needs windowed records "
            "[window, channels] but receives " +
            ShapeText(in));
      return std::unique_ptr<Layer>(new GlobalAvgPoolLayer(spec, in));
    case LayerKind::kDropout:
      return std::unique_ptr<Layer>(new DropoutLayer(spec, in));
    case LayerKind::kActivation:
      return std::unique_ptr<Layer>(new ActivationLayer(spec, in));
    default:
      return Status::Internal("MakeShapeLayer: not a shape layer");
  }
}

}  // namespace emlkit::train
