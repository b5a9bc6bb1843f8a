// The differential test harness every layer joins (tests only): a layer built alone with its own
// parameter storage, a naive double-precision reference for its forward pass, and central
// finite-difference checks of its backward pass (parameters and input).
#ifndef EMLKIT_TRAIN_LAYER_TEST_HARNESS_H_
#define EMLKIT_TRAIN_LAYER_TEST_HARNESS_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include "train/layer.h"

namespace emlkit::train::testing {

// Random inputs in [-1, 1), kept at least `margin` away from 0 so ReLU-like kinks are not hit
// by the finite differences.
inline std::vector<float> RandomInput(int64_t count, uint64_t seed, float margin = 0.05f) {
  Rng rng(seed);
  std::vector<float> x(static_cast<size_t>(count));
  for (float& v : x) {
    double u = rng.Uniform(-1.0, 1.0);
    v = static_cast<float>(u < 0 ? u - margin : u + margin);
  }
  return x;
}

// A layer built alone with its own parameter storage: weights initialized from `seed`, then
// every parameter (biases too) perturbed so none is exactly zero.
struct LayerUnderTest {
  std::unique_ptr<Layer> layer;
  std::vector<std::vector<float>> values, grads;  // one per ParamBlock
  Rng rng{7};

  static LayerUnderTest Make(const std::string& spec_text, const Shape& in, int batch,
                             uint64_t seed = 1) {
    auto specs = ParseLayers(spec_text, "test");
    EXPECT_TRUE(specs.ok()) << specs.status().ToString();
    auto layer = MakeLayer((*specs)[0], in);
    EXPECT_TRUE(layer.ok()) << layer.status().ToString();
    return Wrap(std::move(*layer), batch, seed);
  }

  // Takes any layer (e.g. a deliberately broken one in a test of the harness itself).
  static LayerUnderTest Wrap(std::unique_ptr<Layer> layer, int batch, uint64_t seed = 1) {
    LayerUnderTest t;
    t.layer = std::move(layer);
    for (ParamBlock& p : t.layer->params()) {
      t.values.emplace_back(static_cast<size_t>(p.size()));
      t.grads.emplace_back(static_cast<size_t>(p.size()));
      p.value = t.values.back().data();
      p.grad = t.grads.back().data();
    }
    t.layer->Reserve(batch);
    Rng init(seed);
    t.layer->Init(init);
    std::vector<float> noise = RandomInput(1 << 16, seed + 100, 0.0f);
    size_t k = 0;
    for (auto& v : t.values)
      for (float& w : v) w += 0.1f * noise[k++ % noise.size()];
    return t;
  }

  // x and the result are feature-major ([features][n]).
  std::vector<float> Forward(const std::vector<float>& x, int n, bool training = false) {
    std::vector<float> y(static_cast<size_t>(n) * static_cast<size_t>(layer->out_size()));
    ForwardContext ctx{training, &rng};
    layer->Forward(x.data(), n, y.data(), ctx);
    return y;
  }
};

// Checks dLoss/dparams and dLoss/dx of the layer `spec_text` on `in`-shaped records against
// central differences of L = sum_j y_j * r_j (r fixed random weights, L summed in double).
// Each component must agree within `tol` relative to max(|analytic|, |numeric|, 1).
inline void ExpectGradientsMatch(LayerUnderTest& t, int batch, double tol = 1e-2,
                                 float eps = 1e-3f) {
  const int64_t in_n = static_cast<int64_t>(batch) * t.layer->in_size();
  const int64_t out_n = static_cast<int64_t>(batch) * t.layer->out_size();
  std::vector<float> x = RandomInput(in_n, 11), r = RandomInput(out_n, 12, 0.0f);
  auto loss = [&]() {
    std::vector<float> y = t.Forward(x, batch);
    double l = 0;
    for (int64_t j = 0; j < out_n; ++j) l += static_cast<double>(y[j]) * r[j];
    return l;
  };
  std::vector<float> y = t.Forward(x, batch);
  std::vector<float> dx(static_cast<size_t>(in_n));
  t.layer->Backward(x.data(), y.data(), r.data(), batch, dx.data());
  auto check = [&](float* v, double analytic, const std::string& what) {
    float saved = *v;
    *v = saved + eps;
    double lp = loss();
    *v = saved - eps;
    double lm = loss();
    *v = saved;
    double numeric = (lp - lm) / (2.0 * static_cast<double>(eps));
    double scale = std::max({std::fabs(analytic), std::fabs(numeric), 1.0});
    EXPECT_NEAR(analytic, numeric, tol * scale) << what;
  };
  for (size_t b = 0; b < t.values.size(); ++b) {
    std::vector<float> analytic = t.grads[b];  // copy: loss() reruns Forward only
    for (size_t i = 0; i < t.values[b].size(); ++i)
      check(&t.values[b][i], analytic[i],
            t.layer->params()[b].name + "[" + std::to_string(i) + "]");
  }
  for (int64_t i = 0; i < in_n; ++i) check(&x[i], dx[i], "x[" + std::to_string(i) + "]");
}

inline void ExpectGradientsMatch(const std::string& spec_text, const Shape& in, int batch,
                                 double tol = 1e-2, float eps = 1e-3f) {
  SCOPED_TRACE(spec_text + " on " + ShapeText(in));
  LayerUnderTest t = LayerUnderTest::Make(spec_text, in, batch);
  ExpectGradientsMatch(t, batch, tol, eps);
}

// Checks the layer's forward output on a batch against `reference` (double precision, one
// record at a time: reference(x_record, params) -> y_record) within `tol` absolute.
using Reference = std::function<std::vector<double>(const std::vector<double>& x,
                                                    const std::vector<std::vector<float>>& p)>;
inline void ExpectForwardMatches(const std::string& spec_text, const Shape& in,
                                 const Reference& ref, double tol = 1e-5) {
  SCOPED_TRACE(spec_text + " on " + ShapeText(in));
  const int batch = 3;
  LayerUnderTest t = LayerUnderTest::Make(spec_text, in, batch);
  const int64_t in_size = t.layer->in_size(), out_size = t.layer->out_size();
  std::vector<float> x = RandomInput(batch * in_size, 21);
  std::vector<float> y = t.Forward(x, batch);
  for (int b = 0; b < batch; ++b) {
    std::vector<double> xr(static_cast<size_t>(in_size));
    for (int64_t i = 0; i < in_size; ++i) xr[static_cast<size_t>(i)] = x[i * batch + b];
    std::vector<double> want = ref(xr, t.values);
    ASSERT_EQ(static_cast<int64_t>(want.size()), out_size);
    for (int64_t j = 0; j < out_size; ++j)
      EXPECT_NEAR(y[j * batch + b], want[j], tol) << "record " << b << " output " << j;
  }
}

}  // namespace emlkit::train::testing

#endif  // EMLKIT_TRAIN_LAYER_TEST_HARNESS_H_
