// 1-D convolution over a window, with a fused activation (exported as CONV_2D with height 1).
// Batches are feature-major: x [W * C][n] (feature t * C + c is step t, channel c),
// y [W' * F][n], weights w [F][K * C] (TFLite's [F, 1, K, C] filter), bias [F].
//   forward:  y[p] = act(b + sum over taps t with 0 <= p*S - pad + t < W of
//                    w[:, t*C : (t+1)*C] x[(p*S - pad + t) * C : ... + C])
//   backward: dz = dy * act'(y); per step p and tap block: dw += dz[p] x^T; dx += w^T dz[p]
// Padding 'valid': W' = (W - K) / S + 1; 'same' (TFLite's rule): W' = ceil(W / S) and
// pad = max((W' - 1) * S + K - W, 0) / 2 zeros before the first step.
#include <algorithm>
#include <cstddef>

#include "train/kernels.h"
#include "train/layer_factories.h"

namespace emlkit::train {
namespace {

class Conv1DLayer : public Layer {
 public:
  Conv1DLayer(const LayerSpec& spec, const Shape& in, int64_t out_w, int pad)
      : Layer(spec, in, {out_w, spec.units}), pad_(pad) {
    params_.push_back({"weights", {spec.units, spec.size * in[1]}, true});
    params_.push_back({"bias", {spec.units}, false});
  }

  void Reserve(int max_batch) override {
    if (spec_.act != Act::kLinear) dz_.resize(static_cast<size_t>(max_batch) * out_size());
  }

  void Init(Rng& rng) override {
    const int64_t k = spec_.size, c = in_[1], f = spec_.units;
    float limit = InitLimit(spec_.act, k * c, k * f);
    ParamBlock& w = params_[0];
    for (int64_t i = 0; i < w.size(); ++i)
      w.value[i] = static_cast<float>(rng.Uniform(-limit, limit));
    std::fill(params_[1].value, params_[1].value + f, 0.0f);
  }

  void Forward(const float* x, int n, float* y, const ForwardContext&) override {
    const int f = spec_.units, c = static_cast<int>(in_[1]), ldw = spec_.size * c;
    for (int p = 0; p < out_shape()[0]; ++p) {
      float* yp = y + static_cast<ptrdiff_t>(p) * f * n;
      Taps t = TapsAt(p);
      kernels::MatMul(params_[0].value + static_cast<ptrdiff_t>(t.first) * c, ldw, params_[1].value,
                      x + static_cast<ptrdiff_t>(t.row) * c * n, n, t.count * c, f, yp);
    }
    kernels::ActivationForward(spec_.act, y, n, out_size(), f);
  }

  void Backward(const float* x, const float* y, const float* dy, int n, float* dx) override {
    const int f = spec_.units, c = static_cast<int>(in_[1]), ldw = spec_.size * c;
    const float* dz = dy;
    if (spec_.act != Act::kLinear) {
      kernels::ActivationBackward(spec_.act, y, dy, n, out_size(), f, dz_.data());
      dz = dz_.data();
    }
    float* dw = params_[0].grad;
    float* db = params_[1].grad;
    std::fill(dw, dw + params_[0].size(), 0.0f);
    std::fill(db, db + f, 0.0f);
    if (dx) std::fill(dx, dx + static_cast<ptrdiff_t>(n) * in_size(), 0.0f);
    for (int p = 0; p < out_shape()[0]; ++p) {
      const float* dzp = dz + static_cast<ptrdiff_t>(p) * f * n;
      Taps t = TapsAt(p);
      const ptrdiff_t xoff = static_cast<ptrdiff_t>(t.row) * c * n;
      const ptrdiff_t woff = static_cast<ptrdiff_t>(t.first) * c;
      kernels::OuterAccum(dzp, x + xoff, n, t.count * c, f, dw + woff, ldw);
      kernels::RowSumsAccum(dzp, n, f, db);
      if (dx)
        kernels::MatTMulAccum(params_[0].value + woff, ldw, dzp, n, t.count * c, f, dx + xoff);
    }
  }

 private:
  // The kernel taps of output step p that fall inside the window: taps [first, first + count)
  // read input steps [row, row + count).
  struct Taps {
    int first, count, row;
  };
  Taps TapsAt(int p) const {
    const int w = static_cast<int>(in_[0]);
    int start = p * spec_.stride - pad_;
    int first = std::max(0, -start);
    int last = std::min(spec_.size, w - start);  // one past the last tap
    return {first, std::max(0, last - first), start + first};
  }

  int pad_;
  std::vector<float> dz_;
};

}  // namespace

Result<std::unique_ptr<Layer>> MakeConv1DLayer(const LayerSpec& spec, const Shape& in) {
  if (in.size() != 2)
    return Status::InvalidArgument(
        "conv1d needs windowed records [window, channels] but receives " + ShapeText(in) +
        (in.size() == 1 ? " (flat records: this data set is not windowed); use dense layers, or "
                          "prepare the data with windows (see docs/dataset-json.md)"
                        : ""));
  const int64_t w = in[0], k = spec.size, s = spec.stride;
  int64_t out_w = 0;
  int pad = 0;
  if (spec.padding == Pad::kValid) {
    if (k > w)
      return Status::InvalidArgument("conv1d kernel width " + std::to_string(k) +
                                     " is wider than the " + std::to_string(w) +
                                     " time steps it receives; use a smaller kernel or "
                                     "padding=same");
    out_w = (w - k) / s + 1;
  } else {
    out_w = (w + s - 1) / s;
    pad = static_cast<int>(std::max<int64_t>((out_w - 1) * s + k - w, 0) / 2);
  }
  return std::unique_ptr<Layer>(new Conv1DLayer(spec, in, out_w, pad));
}

}  // namespace emlkit::train
