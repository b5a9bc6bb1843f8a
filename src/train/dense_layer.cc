// Dense (fully connected) layer with a fused activation. Batches are feature-major.
//   forward:  z = w x + b, y = act(z)      x [in][n], w [out][in], y [out][n]
//   backward: dz = dy * act'(y); dw = dz x^T; db = sum_r dz; dx = w^T dz
#include <algorithm>

#include "train/kernels.h"
#include "train/layer_factories.h"

namespace emlkit::train {
namespace {

class DenseLayer : public Layer {
 public:
  DenseLayer(const LayerSpec& spec, const Shape& in)
      : Layer(spec, in, {static_cast<int64_t>(spec.units)}) {
    params_.push_back({"weights", {spec.units, in[0]}, true});
    params_.push_back({"bias", {spec.units}, false});
  }

  void Reserve(int max_batch) override {
    if (spec_.act != Act::kLinear) dz_.resize(static_cast<size_t>(max_batch) * out_size());
  }

  void Init(Rng& rng) override {
    float limit = InitLimit(spec_.act, in_size(), out_size());
    ParamBlock& w = params_[0];
    for (int64_t i = 0; i < w.size(); ++i)
      w.value[i] = static_cast<float>(rng.Uniform(-limit, limit));
    std::fill(params_[1].value, params_[1].value + out_size(), 0.0f);
  }

  void Forward(const float* x, int n, float* y, const ForwardContext&) override {
    const int in = in_size(), out = out_size();
    kernels::MatMul(params_[0].value, in, params_[1].value, x, n, in, out, y);
    kernels::ActivationForward(spec_.act, y, n, out, out);
  }

  void Backward(const float* x, const float* y, const float* dy, int n, float* dx) override {
    const int in = in_size(), out = out_size();
    const float* dz = dy;
    if (spec_.act != Act::kLinear) {
      kernels::ActivationBackward(spec_.act, y, dy, n, out, out, dz_.data());
      dz = dz_.data();
    }
    std::fill(params_[0].grad, params_[0].grad + params_[0].size(), 0.0f);
    std::fill(params_[1].grad, params_[1].grad + out, 0.0f);
    kernels::OuterAccum(dz, x, n, in, out, params_[0].grad, in);
    kernels::RowSumsAccum(dz, n, out, params_[1].grad);
    if (dx) {
      std::fill(dx, dx + static_cast<ptrdiff_t>(n) * in, 0.0f);
      kernels::MatTMulAccum(params_[0].value, in, dz, n, in, out, dx);
    }
  }

 private:
  std::vector<float> dz_;
};

}  // namespace

Result<std::unique_ptr<Layer>> MakeDenseLayer(const LayerSpec& spec, const Shape& in) {
  if (in.size() != 1)
    return Status::InvalidArgument("dense needs flat records but receives " + ShapeText(in) +
                                   " (a window); put 'flatten' or 'gap' before it");
  return std::unique_ptr<Layer>(new DenseLayer(spec, in));
}

}  // namespace emlkit::train
