// Dense (fully connected) layer with a fused activation.
//   forward:  z = x wt + b, y = act(z)          x [n, in], wt [in, out], y [n, out]
//   backward: dz = dy * act'(y); dwt = x^T dz; db = sum_n dz; dx = dz wt^T
#include "train/kernels.h"
#include "train/layer_factories.h"

namespace emlkit::train {
namespace {

class DenseLayer : public Layer {
 public:
  DenseLayer(const LayerSpec& spec, const Shape& in)
      : Layer(spec, in, {static_cast<int64_t>(spec.units)}) {
    params_.push_back({"weights", {in[0], spec.units}, true});
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
    for (int64_t i = 0; i < params_[1].size(); ++i) params_[1].value[i] = 0.0f;
  }

  void Forward(const float* x, int n, float* y, const ForwardContext&) override {
    kernels::DenseForward(x, params_[0].value, params_[1].value, n, in_size(), out_size(), y);
    kernels::ActivationForward(spec_.act, y, n, out_size());
  }

  void Backward(const float* x, const float* y, const float* dy, int n, float* dx) override {
    const float* dz = dy;
    if (spec_.act != Act::kLinear) {
      kernels::ActivationBackward(spec_.act, y, dy, n, out_size(), dz_.data());
      dz = dz_.data();
    }
    kernels::DenseBackwardParams(x, dz, n, in_size(), out_size(), params_[0].grad, params_[1].grad);
    if (dx) kernels::DenseBackwardInput(dz, params_[0].value, n, in_size(), out_size(), dx);
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
