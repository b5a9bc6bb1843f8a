// Max / average pooling over time (exported as MAX_POOL_2D / AVERAGE_POOL_2D with height 1).
//   x [n, W, C] -> y [n, W', C], W' = (W - P) / S + 1 (valid padding), window P, stride S.
//   max:     y[p, c] = max_t x[p*S + t, c]; the gradient goes to the first maximal tap.
//   average: y[p, c] = mean_t x[p*S + t, c]; dx[p*S + t, c] += dy[p, c] / P.
#include <algorithm>

#include "train/layer_factories.h"

namespace emlkit::train {
namespace {

class Pool1DLayer : public Layer {
 public:
  Pool1DLayer(const LayerSpec& spec, const Shape& in, int64_t out_w)
      : Layer(spec, in, {out_w, in[1]}), max_(spec.kind == LayerKind::kMaxPool1D) {}

  void Forward(const float* x, int n, float* y, const ForwardContext&) override {
    const int c = static_cast<int>(in_[1]), out_w = static_cast<int>(out_[0]);
    const float inv = 1.0f / static_cast<float>(spec_.size);
    for (int r = 0; r < n; ++r) {
      const float* xr = x + static_cast<ptrdiff_t>(r) * in_size();
      float* yr = y + static_cast<ptrdiff_t>(r) * out_size();
      for (int p = 0; p < out_w; ++p) {
        const float* first = xr + static_cast<ptrdiff_t>(p) * spec_.stride * c;
        float* yp = yr + static_cast<ptrdiff_t>(p) * c;
        std::copy(first, first + c, yp);
        for (int t = 1; t < spec_.size; ++t) {
          const float* xt = first + static_cast<ptrdiff_t>(t) * c;
          if (max_) {
            for (int j = 0; j < c; ++j) yp[j] = std::max(yp[j], xt[j]);
          } else {
            for (int j = 0; j < c; ++j) yp[j] += xt[j];
          }
        }
        if (!max_)
          for (int j = 0; j < c; ++j) yp[j] *= inv;
      }
    }
  }

  void Backward(const float* x, const float* y, const float* dy, int n, float* dx) override {
    if (!dx) return;
    const int c = static_cast<int>(in_[1]), out_w = static_cast<int>(out_[0]);
    const float inv = 1.0f / static_cast<float>(spec_.size);
    std::fill(dx, dx + static_cast<ptrdiff_t>(n) * in_size(), 0.0f);
    for (int r = 0; r < n; ++r) {
      const ptrdiff_t in_off = static_cast<ptrdiff_t>(r) * in_size();
      const ptrdiff_t out_off = static_cast<ptrdiff_t>(r) * out_size();
      for (int p = 0; p < out_w; ++p) {
        const ptrdiff_t first = in_off + static_cast<ptrdiff_t>(p) * spec_.stride * c;
        const float* yp = y + out_off + static_cast<ptrdiff_t>(p) * c;
        const float* dyp = dy + out_off + static_cast<ptrdiff_t>(p) * c;
        for (int j = 0; j < c; ++j) {
          if (max_) {
            int t = 0;
            while (t + 1 < spec_.size && x[first + static_cast<ptrdiff_t>(t) * c + j] != yp[j]) ++t;
            dx[first + static_cast<ptrdiff_t>(t) * c + j] += dyp[j];
          } else {
            for (int t = 0; t < spec_.size; ++t)
              dx[first + static_cast<ptrdiff_t>(t) * c + j] += dyp[j] * inv;
          }
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
