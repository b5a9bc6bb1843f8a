// Every layer's backward pass against central finite differences (see layer_test_harness.h).
#include <gtest/gtest-spi.h>

#include "train/layer_test_harness.h"

namespace emlkit::train {
namespace {

using testing::ExpectGradientsMatch;

TEST(LayerGradients, DenseWithEveryActivation) {
  for (const char* act : {"linear", "relu", "relu6", "tanh", "sigmoid", "softmax"})
    ExpectGradientsMatch(std::string("dense:4:") + act, {3}, 2);
}

TEST(LayerGradients, DenseWiderThanOneVectorRegister) {
  // 19 outputs exercise the 8-lane partial sums and the scalar tail of the input gradient.
  ExpectGradientsMatch("dense:19:tanh", {11}, 3);
}

TEST(LayerGradients, Conv1DValidSameAndStrided) {
  ExpectGradientsMatch("conv1d:3:2:relu", {6, 2}, 2);
  ExpectGradientsMatch("conv1d:4:3:tanh:padding=same", {5, 3}, 2);
  ExpectGradientsMatch("conv1d:2:3:stride=2", {7, 2}, 2);
  ExpectGradientsMatch("conv1d:2:4:sigmoid:stride=3:padding=same", {8, 1}, 2);
}

TEST(LayerGradients, Pooling) {
  ExpectGradientsMatch("maxpool1d:2", {6, 3}, 2);
  ExpectGradientsMatch("maxpool1d:3:stride=1", {5, 2}, 2);  // overlapping windows
  ExpectGradientsMatch("avgpool1d:2", {6, 3}, 2);
  ExpectGradientsMatch("avgpool1d:3:stride=2", {7, 2}, 2);
}

TEST(LayerGradients, ShapeLayersAndStandaloneActivations) {
  ExpectGradientsMatch("flatten", {4, 3}, 2);
  ExpectGradientsMatch("gap", {5, 3}, 2);
  for (const char* act : {"relu", "relu6", "tanh", "sigmoid", "softmax"})
    ExpectGradientsMatch(act, {5}, 2);
  ExpectGradientsMatch("softmax", {3, 4}, 2);  // softmax over the last axis of a window
}

TEST(LayerGradients, DropoutBackwardUsesTheTrainingMask) {
  auto t = testing::LayerUnderTest::Make("dropout:0.5", {1000}, 1);
  std::vector<float> x(1000, 1.0f), dy(1000, 1.0f), dx(1000);
  std::vector<float> y = t.Forward(x, 1, /*training=*/true);
  t.layer->Backward(x.data(), y.data(), dy.data(), 1, dx.data());
  int dropped = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_FLOAT_EQ(dx[i], y[i]) << i;  // dy = x = 1, so dx equals the scaled mask
    dropped += y[i] == 0.0f;
    EXPECT_TRUE(y[i] == 0.0f || y[i] == 2.0f) << y[i];
  }
  EXPECT_GT(dropped, 400);
  EXPECT_LT(dropped, 600);
}

// The harness must be able to fail: a dense layer whose first weight gradient is off by 0.1.
class SkewedDense : public Layer {
 public:
  explicit SkewedDense(std::unique_ptr<Layer> inner)
      : Layer(inner->spec(), inner->in_shape(), inner->out_shape()), inner_(std::move(inner)) {
    params_ = inner_->params();
  }
  void Reserve(int max_batch) override { inner_->Reserve(max_batch); }
  void Init(Rng& rng) override {
    Sync();
    inner_->Init(rng);
  }
  void Forward(const float* x, int n, float* y, const ForwardContext& ctx) override {
    Sync();
    inner_->Forward(x, n, y, ctx);
  }
  void Backward(const float* x, const float* y, const float* dy, int n, float* dx) override {
    Sync();
    inner_->Backward(x, y, dy, n, dx);
    params_[0].grad[0] += 0.1f;
  }

 private:
  void Sync() { inner_->params() = params_; }  // pick up the pointers the harness bound
  std::unique_ptr<Layer> inner_;
};

TEST(LayerGradients, HarnessDetectsAWrongGradient) {
  auto specs = ParseLayers("dense:3:tanh", "test");
  ASSERT_TRUE(specs.ok());
  auto dense = MakeLayer((*specs)[0], {4});
  ASSERT_TRUE(dense.ok());
  auto t = testing::LayerUnderTest::Wrap(std::make_unique<SkewedDense>(std::move(*dense)), 2);
  EXPECT_NONFATAL_FAILURE(testing::ExpectGradientsMatch(t, 2), "weights[0]");
}

}  // namespace
}  // namespace emlkit::train
