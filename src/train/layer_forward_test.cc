// Every layer's forward pass against a naive double-precision reference.
#include <cmath>

#include "train/layer_test_harness.h"

namespace emlkit::train {
namespace {

using testing::ExpectForwardMatches;
using Params = std::vector<std::vector<float>>;
using Vec = std::vector<double>;

double ApplyAct(const std::string& act, double z) {
  if (act == "relu") return z > 0 ? z : 0;
  if (act == "relu6") return std::min(std::max(z, 0.0), 6.0);
  if (act == "tanh") return std::tanh(z);
  if (act == "sigmoid") return 1 / (1 + std::exp(-z));
  return z;
}

Vec Softmax(Vec v) {
  double m = *std::max_element(v.begin(), v.end()), s = 0;
  for (double& e : v) s += (e = std::exp(e - m));
  for (double& e : v) e /= s;
  return v;
}

TEST(LayerForward, Dense) {
  for (std::string act : {"linear", "relu", "relu6", "tanh", "sigmoid", "softmax"}) {
    const int in = 7, out = 5;
    ExpectForwardMatches("dense:5:" + act, {in}, [&](const Vec& x, const Params& p) {
      Vec y(out);
      for (int o = 0; o < out; ++o) {
        double z = p[1][o];
        for (int i = 0; i < in; ++i) z += x[i] * p[0][o * in + i];  // w [out][in]
        y[o] = ApplyAct(act, z);
      }
      return act == "softmax" ? Softmax(y) : y;
    });
  }
}

// Reference 1-D convolution with TFLite's SAME padding rule.
Vec Conv1D(const Vec& x, const Params& p, int w, int c, int f, int k, int s, bool same,
           const std::string& act) {
  int out_w = same ? (w + s - 1) / s : (w - k) / s + 1;
  int pad = same ? std::max((out_w - 1) * s + k - w, 0) / 2 : 0;
  Vec y(static_cast<size_t>(out_w * f));
  for (int q = 0; q < out_w; ++q)
    for (int o = 0; o < f; ++o) {
      double z = p[1][o];
      for (int t = 0; t < k; ++t) {
        int row = q * s - pad + t;
        if (row < 0 || row >= w) continue;
        for (int ch = 0; ch < c; ++ch) z += x[row * c + ch] * p[0][o * k * c + t * c + ch];
      }
      y[q * f + o] = ApplyAct(act, z);
    }
  return y;
}

TEST(LayerForward, Conv1D) {
  struct Case {
    const char* spec;
    int w, c, f, k, s;
    bool same;
    const char* act;
  };
  for (const Case& cs : {Case{"conv1d:4:3:relu", 8, 2, 4, 3, 1, false, "relu"},
                         Case{"conv1d:3:3:padding=same", 7, 3, 3, 3, 1, true, "linear"},
                         Case{"conv1d:2:4:tanh:stride=2:padding=same", 9, 2, 2, 4, 2, true, "tanh"},
                         Case{"conv1d:5:2:stride=3", 10, 1, 5, 2, 3, false, "linear"}}) {
    ExpectForwardMatches(cs.spec, {cs.w, cs.c}, [&](const Vec& x, const Params& p) {
      return Conv1D(x, p, cs.w, cs.c, cs.f, cs.k, cs.s, cs.same, cs.act);
    });
  }
}

TEST(LayerForward, Pooling) {
  for (bool max : {true, false}) {
    const int w = 9, c = 3, size = 3, stride = 2, out_w = (w - size) / stride + 1;
    std::string spec = std::string(max ? "maxpool1d" : "avgpool1d") + ":3:stride=2";
    ExpectForwardMatches(spec, {w, c}, [&](const Vec& x, const Params&) {
      Vec y(out_w * c);
      for (int q = 0; q < out_w; ++q)
        for (int ch = 0; ch < c; ++ch) {
          double acc = max ? -1e30 : 0;
          for (int t = 0; t < size; ++t) {
            double v = x[(q * stride + t) * c + ch];
            acc = max ? std::max(acc, v) : acc + v / size;
          }
          y[q * c + ch] = acc;
        }
      return y;
    });
  }
}

TEST(LayerForward, ShapeLayers) {
  ExpectForwardMatches("flatten", {4, 3}, [](const Vec& x, const Params&) { return x; });
  ExpectForwardMatches("dropout:0.5", {6}, [](const Vec& x, const Params&) { return x; });
  ExpectForwardMatches("gap", {4, 3}, [](const Vec& x, const Params&) {
    Vec y(3, 0.0);
    for (int t = 0; t < 4; ++t)
      for (int c = 0; c < 3; ++c) y[c] += x[t * 3 + c] / 4;
    return y;
  });
  for (std::string act : {"relu", "relu6", "tanh", "sigmoid"})
    ExpectForwardMatches(act, {5}, [&](const Vec& x, const Params&) {
      Vec y(x.size());
      for (size_t i = 0; i < x.size(); ++i) y[i] = ApplyAct(act, x[i]);
      return y;
    });
  ExpectForwardMatches("softmax", {2, 3}, [](const Vec& x, const Params&) {
    Vec a = Softmax({x[0], x[1], x[2]}), b = Softmax({x[3], x[4], x[5]});
    a.insert(a.end(), b.begin(), b.end());
    return a;
  });
}

TEST(LayerForward, Relu6ClampsLargeInputs) {
  auto t = testing::LayerUnderTest::Make("relu6", {3}, 1);
  std::vector<float> y = t.Forward({-2.0f, 3.0f, 9.0f}, 1);
  EXPECT_EQ(y, (std::vector<float>{0.0f, 3.0f, 6.0f}));
}

}  // namespace
}  // namespace emlkit::train
