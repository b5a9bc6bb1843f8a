// QUANTIZE (float -> int8/int16, and requantization between integer types) and DEQUANTIZE,
// exactly as TFLite defines them: q = round_half_away(x / scale) + zero_point clamped;
// x = (float)(scale * (q - zero_point)) computed in double.
#include <gtest/gtest.h>

#include <cstring>

#include <cmath>

#include "kernels/fixed_point.h"
#include "kernels/quant_util.h"
#include "testing/model_builder.h"
#include "testing/reference_multiplier.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

std::vector<uint8_t> Unary(int32_t code, TensorType in_type, Quant qi, TensorType out_type,
                           Quant qo, int32_t n) {
  ModelBuilder m;
  const int x = m.AddTensor(in_type, {n}, qi);
  const int y = m.AddTensor(out_type, {n}, qo);
  m.AddOp(code, {x}, {y});
  m.SetIo({x}, {y});
  return m.Build();
}

TEST(Quantize, FloatToInt8AndInt16) {
  std::vector<float> x;
  for (int i = -300; i <= 300; ++i) x.push_back(static_cast<float>(i) * 0.0173f);
  x.push_back(0.025f);  // exactly half a step of 0.05: rounds away from zero
  x.push_back(-0.025f);
  x.push_back(1e30f);
  x.push_back(-INFINITY);
  const int32_t n = static_cast<int32_t>(x.size());
  const auto q8 = RunModel1<int8_t>(
      Unary(kQuantize, TensorType::kFloat32, {}, TensorType::kInt8, PerTensor(0.05f, -3), n), x);
  const auto q16 = RunModel1<int16_t>(
      Unary(kQuantize, TensorType::kFloat32, {}, TensorType::kInt16, PerTensor(0.0002f, 0), n), x);
  ASSERT_EQ(q8.size(), x.size());
  ASSERT_EQ(q16.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const double v8 = std::round(x[i] / 0.05f) - 3, v16 = std::round(x[i] / 0.0002f);
    EXPECT_EQ(q8[i], v8 < -128 ? -128 : (v8 > 127 ? 127 : v8)) << x[i];
    EXPECT_EQ(q16[i], v16 < -32768 ? -32768 : (v16 > 32767 ? 32767 : v16)) << x[i];
  }
}

TEST(Quantize, RequantizesBetweenIntegerTypes) {
  // int16 -> int8 and int8 -> int8 with other scales: MultiplyByQuantizedMultiplier of
  // (q - zp_in) by scale_in / scale_out, + zp_out, clamped.
  std::vector<int16_t> x16;
  for (int v = -32768; v <= 32767; v += 97) x16.push_back(static_cast<int16_t>(v));
  const int32_t n = static_cast<int32_t>(x16.size());
  const auto y = RunModel1<int8_t>(Unary(kQuantize, TensorType::kInt16, PerTensor(0.001f, 0),
                                         TensorType::kInt8, PerTensor(0.25f, 7), n),
                                   x16);
  ASSERT_EQ(y.size(), x16.size());
  int32_t mult, shift;
  QuantizeMultiplier(0.001 / 0.25, &mult, &shift);
  for (size_t i = 0; i < x16.size(); ++i) {
    int32_t want = fx::MultiplyByQuantizedMultiplier(x16[i], mult, shift) + 7;
    want = want < -128 ? -128 : (want > 127 ? 127 : want);
    EXPECT_EQ(y[i], want) << x16[i];
  }

  std::vector<int8_t> x8;
  for (int v = -128; v <= 127; ++v) x8.push_back(static_cast<int8_t>(v));
  const auto z = RunModel1<int8_t>(Unary(kQuantize, TensorType::kInt8, PerTensor(0.1f, 10),
                                         TensorType::kInt8, PerTensor(0.07f, -5), 256),
                                   x8);
  ASSERT_EQ(z.size(), 256u);
  QuantizeMultiplier(static_cast<double>(0.1f) / static_cast<double>(0.07f), &mult, &shift);
  for (int v = -128; v <= 127; ++v) {
    int32_t want = fx::MultiplyByQuantizedMultiplier(v - 10, mult, shift) - 5;
    want = want < -128 ? -128 : (want > 127 ? 127 : want);
    EXPECT_EQ(z[v + 128], want) << v;
  }
}

TEST(Dequantize, Int8AndInt16ToFloat) {
  std::vector<int8_t> x8;
  for (int v = -128; v <= 127; ++v) x8.push_back(static_cast<int8_t>(v));
  const auto y8 = RunModel1<float>(
      Unary(kDequantize, TensorType::kInt8, PerTensor(0.037f, -9), TensorType::kFloat32, {}, 256),
      x8);
  ASSERT_EQ(y8.size(), 256u);
  for (int v = -128; v <= 127; ++v) {
    EXPECT_EQ(y8[v + 128], static_cast<float>(static_cast<double>(0.037f) * (v + 9))) << v;
  }
  const std::vector<int16_t> x16 = {-32768, -1, 0, 1, 12345, 32767};
  const auto y16 = RunModel1<float>(
      Unary(kDequantize, TensorType::kInt16, PerTensor(1e-4f, 0), TensorType::kFloat32, {}, 6),
      x16);
  ASSERT_EQ(y16.size(), 6u);
  for (size_t i = 0; i < x16.size(); ++i) {
    EXPECT_EQ(y16[i], static_cast<float>(static_cast<double>(1e-4f) * x16[i])) << x16[i];
  }
}

// The kernel multiplies in float: the same as TFLite's float(double(scale) * v) whenever
// |v| < 2^24. Every int16 value (with int8 zero points) against 300 scales over the float range.
TEST(Dequantize, FloatProductEqualsRoundedDoubleProduct) {
  uint32_t state = 12345;
  for (int k = 0; k < 300; ++k) {
    state = state * 1664525u + 1013904223u;
    uint32_t bits = (state & 0x807FFFFFu) | ((1u + (state >> 8) % 253u) << 23);  // normal floats
    float scale;
    memcpy(&scale, &bits, 4);
    for (int32_t v = -32768 - 128; v <= 32767 + 128; ++v) {
      ASSERT_EQ(scale * static_cast<float>(v), static_cast<float>(static_cast<double>(scale) * v))
          << scale << " " << v;
    }
  }
}

TEST(Dequantize, NeedsAFloatOutput) {
  const InitResult r = TryInit(Unary(kDequantize, TensorType::kInt8, PerTensor(0.1f, 0),
                                     TensorType::kInt8, PerTensor(0.1f, 0), 4));
  EXPECT_NE(r.status, Status::kOk);
  EXPECT_EQ(r.tensor, 1);
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
