// Layers without parameters that reshape, reduce or mask:
//   flatten     [W, C] -> [W * C]           (exported as RESHAPE)
//   gap         [W, C] -> [C], mean over W  (exported as MEAN over the time axis)
//   dropout     y = x * mask / (1 - rate) while training, y = x otherwise (not exported)
//   activation  y = act(x)                  (exported as RELU / RELU6 / TANH / LOGISTIC / SOFTMAX)
#include <algorithm>

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
    const int w = static_cast<int>(in_[0]), c = static_cast<int>(in_[1]);
    const float inv = 1.0f / static_cast<float>(w);
    for (int r = 0; r < n; ++r) {
      const float* xr = x + static_cast<ptrdiff_t>(r) * in_size();
      float* yr = y + static_cast<ptrdiff_t>(r) * c;
      std::fill(yr, yr + c, 0.0f);
      for (int t = 0; t < w; ++t)
        for (int j = 0; j < c; ++j) yr[j] += xr[static_cast<ptrdiff_t>(t) * c + j];
      for (int j = 0; j < c; ++j) yr[j] *= inv;
    }
  }
  void Backward(const float*, const float*, const float* dy, int n, float* dx) override {
    if (!dx) return;
    const int w = static_cast<int>(in_[0]), c = static_cast<int>(in_[1]);
    const float inv = 1.0f / static_cast<float>(w);
    for (int r = 0; r < n; ++r)
      for (int t = 0; t < w; ++t)
        for (int j = 0; j < c; ++j)
          dx[static_cast<ptrdiff_t>(r) * in_size() + static_cast<ptrdiff_t>(t) * c + j] =
              dy[static_cast<ptrdiff_t>(r) * c + j] * inv;
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
    kernels::ActivationForward(spec_.act, y, n * Rows(), Width());
  }
  void Backward(const float*, const float* y, const float* dy, int n, float* dx) override {
    if (dx) kernels::ActivationBackward(spec_.act, y, dy, n * Rows(), Width(), dx);
  }

 private:
  // Softmax normalizes over the last axis; the others are element-wise.
  int Width() const { return static_cast<int>(in_.back()); }
  int Rows() const { return in_size() / Width(); }
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
