// Max / average pooling over time (exported as MAX_POOL_2D / AVERAGE_POOL_2D with height 1).
// Batches are feature-major: x [W * C][n] -> y [W' * C][n], W' = (W - P) / S + 1 (valid
// padding), window P, stride S.
//   max:     y[p, c] = max_t x[p*S + t, c]; the gradient goes to the first maximal tap.
//   average: y[p, c] = mean_t x[p*S + t, c]; dx[p*S + t, c] += dy[p, c] / P.
#include <algorithm>
#include <cstddef>

#include "train/layer_factories.h"

namespace emlkit::train {
namespace {

class Pool1DLayer : public Layer {
 public:
  Pool1DLayer(const LayerSpec& spec, const Shape& in, int64_t out_w)
      : Layer(spec, in, {out_w, in[1]}), max_(spec.kind == LayerKind::kMaxPool1D) {}

  void Forward(const float* x, int n, float* y, const ForwardContext&) override {
    const ptrdiff_t block = static_cast<ptrdiff_t>(in_[1]) * n;  // one time step of the batch
    const float inv = 1.0f / static_cast<float>(spec_.size);
    for (int p = 0; p < out_[0]; ++p) {
      const float* first = x + static_cast<ptrdiff_t>(p) * spec_.stride * block;
      float* yp = y + static_cast<ptrdiff_t>(p) * block;
      std::copy(first, first + block, yp);
      for (int t = 1; t < spec_.size; ++t) {
        const float* xt = first + static_cast<ptrdiff_t>(t) * block;
        if (max_) {
          for (ptrdiff_t e = 0; e < block; ++e) yp[e] = std::max(yp[e], xt[e]);
        } else {
          for (ptrdiff_t e = 0; e < block; ++e) yp[e] += xt[e];
        }
      }
      if (!max_)
        for (ptrdiff_t e = 0; e < block; ++e) yp[e] *= inv;
    }
  }

  void Backward(const float* x, const float* y, const float* dy, int n, float* dx) override {
    if (!dx) return;
    const ptrdiff_t block = static_cast<ptrdiff_t>(in_[1]) * n;
    const float inv = 1.0f / static_cast<float>(spec_.size);
    std::fill(dx, dx + static_cast<ptrdiff_t>(n) * in_size(), 0.0f);
    for (int p = 0; p < out_[0]; ++p) {
      const ptrdiff_t first = static_cast<ptrdiff_t>(p) * spec_.stride * block;
      const float* yp = y + static_cast<ptrdiff_t>(p) * block;
      const float* dyp = dy + static_cast<ptrdiff_t>(p) * block;
      for (ptrdiff_t e = 0; e < block; ++e) {
        if (max_) {
          int t = 0;
          while (t + 1 < spec_.size && x[first + t * block + e] != yp[e]) ++t;
          dx[first + t * block + e] += dyp[e];
        } else {
          for (int t = 0; t < spec_.size; ++t) dx[first + t * block + e] += dyp[e] * inv;
        }
      }
    }
  }

 private:
  bool max_;
};

}  // namespace

Result<std::unique_ptr<Layer>> MakePool1DLayer(const LayerSpec& spec, const Shape& in) {
  const char* name = LayerKindName(spec.kind);
  if (in.size() != 2)
    return Status::InvalidArgument(std::string(name) +
                                   " needs windowed records [window, channels] but receives " +
                                   ShapeText(in) + "; pooling applies after conv1d layers");
  if (spec.size > in[0])
    return Status::InvalidArgument(std::string(name) + " window " + std::to_string(spec.size) +
                                   " is wider than the " + std::to_string(in[0]) +
                                   " time steps it receives; use a smaller window");
  int64_t out_w = (in[0] - spec.size) / spec.stride + 1;
  return std::unique_ptr<Layer>(new Pool1DLayer(spec, in, out_w));
}

}  // namespace emlkit::train
