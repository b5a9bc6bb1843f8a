// RELU, RELU6, LOGISTIC, TANH (float and int8) against their mathematical definitions. No golden
// model exercises these, so int8 results are checked against the real-valued function, to within
// one quantization step (TFLite's fixed-point versions are accurate to that).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "testing/model_builder.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

std::vector<uint8_t> UnaryModel(int32_t code, TensorType type, const std::vector<int32_t>& shape,
                                Quant in_q = {}, Quant out_q = {}) {
  ModelBuilder m;
  const int x = m.AddTensor(type, shape, in_q);
  const int y = m.AddTensor(type, shape, out_q);
  m.AddOp(code, {x}, {y});
  m.SetIo({x}, {y});
  return m.Build();
}

std::vector<float> FloatRamp(int n, float lo, float hi) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[i] = lo + (hi - lo) * static_cast<float>(i) / (n - 1);
  return v;
}

std::vector<int8_t> AllInt8() {
  std::vector<int8_t> v;
  for (int q = -128; q <= 127; ++q) v.push_back(static_cast<int8_t>(q));
  return v;
}

int8_t QuantizeRef(double real, double scale, int zp) {
  const double q = std::round(real / scale) + zp;
  return static_cast<int8_t>(q < -128 ? -128 : (q > 127 ? 127 : q));
}

TEST(Activations, FloatReluAndRelu6) {
  const std::vector<float> x = FloatRamp(37, -8.0f, 9.0f);  // odd size: vector tails too
  const auto relu = RunModel1<float>(UnaryModel(kRelu, TensorType::kFloat32, {1, 37}), x);
  const auto relu6 = RunModel1<float>(UnaryModel(kRelu6, TensorType::kFloat32, {1, 37}), x);
  ASSERT_EQ(relu.size(), x.size());
  ASSERT_EQ(relu6.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(relu[i], x[i] > 0 ? x[i] : 0.0f) << i;
    EXPECT_EQ(relu6[i], x[i] < 0 ? 0.0f : (x[i] > 6 ? 6.0f : x[i])) << i;
  }
}

TEST(Activations, FloatLogisticAndTanh) {
  const std::vector<float> x = FloatRamp(41, -12.0f, 12.0f);
  const auto logistic = RunModel1<float>(UnaryModel(kLogistic, TensorType::kFloat32, {41}), x);
  const auto tanh = RunModel1<float>(UnaryModel(kTanh, TensorType::kFloat32, {41}), x);
  ASSERT_EQ(logistic.size(), x.size());
  ASSERT_EQ(tanh.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(logistic[i], 1.0 / (1.0 + std::exp(-static_cast<double>(x[i]))), 1e-6) << x[i];
    EXPECT_NEAR(tanh[i], std::tanh(static_cast<double>(x[i])), 1e-6) << x[i];
  }
}

TEST(Activations, Int8ReluRequantizes) {
  // Output scale differs from the input's: RELU rescales as it clamps.
  const Quant in = PerTensor(0.05f, 3), out = PerTensor(0.03f, -100);
  const auto y = RunModel1<int8_t>(UnaryModel(kRelu, TensorType::kInt8, {256}, in, out), AllInt8());
  ASSERT_EQ(y.size(), 256u);
  for (int q = -128; q <= 127; ++q) {
    const double real = 0.05 * (q - 3);
    const int8_t want = QuantizeRef(real > 0 ? real : 0.0, 0.03, -100);
    EXPECT_LE(std::abs(y[q + 128] - want), 1) << "q=" << q;
    EXPECT_GE(y[q + 128], -100) << "RELU output below real zero, q=" << q;
  }
}

TEST(Activations, Int8Relu6ClampsInTheInputScale) {
  const Quant q = PerTensor(0.1f, -20);
  const auto y = RunModel1<int8_t>(UnaryModel(kRelu6, TensorType::kInt8, {256}, q, q), AllInt8());
  ASSERT_EQ(y.size(), 256u);
  for (int v = -128; v <= 127; ++v) {
    const int want = v < -20 ? -20 : (v > 40 ? 40 : v);  // 6.0 / 0.1 - 20 = 40
    EXPECT_EQ(y[v + 128], want) << "q=" << v;
  }
}

TEST(Activations, Int8LogisticAndTanhWithinOneStep) {
  for (const float in_scale : {0.02f, 0.0625f, 0.11f}) {
    const Quant in = PerTensor(in_scale, 5);
    const auto logistic = RunModel1<int8_t>(
        UnaryModel(kLogistic, TensorType::kInt8, {256}, in, PerTensor(1.0f / 256, -128)),
        AllInt8());
    const auto tanh = RunModel1<int8_t>(
        UnaryModel(kTanh, TensorType::kInt8, {256}, in, PerTensor(1.0f / 128, 0)), AllInt8());
    ASSERT_EQ(logistic.size(), 256u);
    ASSERT_EQ(tanh.size(), 256u);
    for (int q = -128; q <= 127; ++q) {
      const double real = static_cast<double>(in_scale) * (q - 5);
      EXPECT_LE(
          std::abs(logistic[q + 128] - QuantizeRef(1 / (1 + std::exp(-real)), 1.0 / 256, -128)), 1)
          << "scale " << in_scale << " q=" << q;
      EXPECT_LE(std::abs(tanh[q + 128] - QuantizeRef(std::tanh(real), 1.0 / 128, 0)), 1)
          << "scale " << in_scale << " q=" << q;
    }
  }
}

TEST(Activations, Int8LogisticNeedsTheSpecOutputQuantization) {
  const Quant in = PerTensor(0.05f, 0);
  const InitResult zp =
      TryInit(UnaryModel(kLogistic, TensorType::kInt8, {4}, in, PerTensor(1.0f / 256, 0)));
  EXPECT_EQ(zp.status, Status::kUnsupported);
  EXPECT_STREQ(zp.what.c_str(), "int8 LOGISTIC output zero point must be -128");
  EXPECT_EQ(zp.tensor, 1);
  const InitResult scale =
      TryInit(UnaryModel(kTanh, TensorType::kInt8, {4}, in, PerTensor(1.0f / 100, 0)));
  EXPECT_EQ(scale.status, Status::kUnsupported);
  EXPECT_STREQ(scale.what.c_str(), "int8 TANH output scale must be 1/128");
}

TEST(Activations, InPlaceChainGivesTheSameResult) {
  // RELU -> TANH -> RELU6 on float: the planner may run them in one buffer.
  ModelBuilder m;
  const int a = m.AddTensor(TensorType::kFloat32, {19});
  const int b = m.AddTensor(TensorType::kFloat32, {19});
  const int c = m.AddTensor(TensorType::kFloat32, {19});
  const int d = m.AddTensor(TensorType::kFloat32, {19});
  m.AddOp(kRelu, {a}, {b});
  m.AddOp(kTanh, {b}, {c});
  m.AddOp(kRelu6, {c}, {d});
  m.SetIo({a}, {d});
  const std::vector<float> x = FloatRamp(19, -3.0f, 3.0f);
  const auto y = RunModel1<float>(m.Build(), x);
  ASSERT_EQ(y.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(y[i], std::tanh(std::max(0.0, static_cast<double>(x[i]))), 1e-6) << i;
  }
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
