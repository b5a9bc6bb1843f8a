// ADD, SUB, MUL: float exactly, int8 to within one quantization step of the real result, with
// broadcasting, fused activations, and the int8 input tables (large outputs) agreeing bit for bit
// with the direct computation (small outputs).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "testing/model_builder.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

constexpr uint8_t kAddOptions = 11, kMulOptions = 21, kSubOptions = 28;
constexpr int8_t kActRelu6 = 3;

uint8_t OptionsType(int32_t code) {
  return code == kAdd ? kAddOptions : (code == kSub ? kSubOptions : kMulOptions);
}

std::vector<uint8_t> BinaryModel(int32_t code, TensorType type, const std::vector<int32_t>& sa,
                                 const std::vector<int32_t>& sb, const std::vector<int32_t>& so,
                                 Quant qa = {}, Quant qb = {}, Quant qo = {},
                                 int8_t activation = 0) {
  ModelBuilder m;
  const int a = m.AddTensor(type, sa, qa);
  const int b = m.AddTensor(type, sb, qb);
  const int y = m.AddTensor(type, so, qo);
  m.AddOp(code, {a, b}, {y}, Options(OptionsType(code)).I8(0, activation));
  m.SetIo({a, b}, {y});
  return m.Build();
}

double Apply(int32_t code, double a, double b) {
  return code == kAdd ? a + b : (code == kSub ? a - b : a * b);
}

// Index into a [d0, d1, d2] tensor broadcast from shape s (each dim 1 or the full size).
int Broadcast3(const std::vector<int32_t>& s, int i, int j, int k) {
  const int ii = s[0] == 1 ? 0 : i, jj = s[1] == 1 ? 0 : j, kk = s[2] == 1 ? 0 : k;
  return (ii * s[1] + jj) * s[2] + kk;
}

TEST(Elementwise, FloatBroadcastsExactly) {
  const std::vector<int32_t> sa = {2, 1, 3}, sb = {1, 4, 1}, so = {2, 4, 3};
  const std::vector<float> a = {1.5f, -2, 3, 0.25f, 5, -6};
  const std::vector<float> b = {10, -20, 0.5f, 7};
  for (const int32_t code : {kAdd, kSub, kMul}) {
    const auto out =
        RunModel(BinaryModel(code, TensorType::kFloat32, sa, sb, so), {Bytes(a), Bytes(b)});
    ASSERT_EQ(out.size(), 1u);
    const auto y = As<float>(out[0]);
    ASSERT_EQ(y.size(), 24u);
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 4; ++j) {
        for (int k = 0; k < 3; ++k) {
          const float va = a[Broadcast3(sa, i, j, k)], vb = b[Broadcast3(sb, i, j, k)];
          const float want = code == kAdd ? va + vb : (code == kSub ? va - vb : va * vb);
          EXPECT_EQ(y[(i * 4 + j) * 3 + k], want) << "op " << code << " at " << i << j << k;
        }
      }
    }
  }
}

TEST(Elementwise, FloatFusedRelu6) {
  const std::vector<float> a = {-3, 1, 4, 8}, b = {1, 1, 1, 1};
  const auto out =
      RunModel(BinaryModel(kAdd, TensorType::kFloat32, {4}, {4}, {4}, {}, {}, {}, kActRelu6),
               {Bytes(a), Bytes(b)});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(As<float>(out[0]), (std::vector<float>{0, 2, 5, 6}));
}

TEST(Elementwise, Int8WithinOneStepOfTheRealResult) {
  const Quant qa = PerTensor(0.04f, -7), qb = PerTensor(0.09f, 11);
  for (const int32_t code : {kAdd, kSub, kMul}) {
    const Quant qo = code == kMul ? PerTensor(0.2f, 3) : PerTensor(0.1f, -2);
    // Every pair of a sample of values: a over all 256, b over a stride.
    std::vector<int8_t> a, b;
    for (int x = -128; x <= 127; ++x) {
      for (int z = -128; z <= 127; z += 17) {
        a.push_back(static_cast<int8_t>(x));
        b.push_back(static_cast<int8_t>(z));
      }
    }
    const int32_t n = static_cast<int32_t>(a.size());
    const auto out = RunModel(BinaryModel(code, TensorType::kInt8, {n}, {n}, {n}, qa, qb, qo),
                              {Bytes(a), Bytes(b)});
    ASSERT_EQ(out.size(), 1u);
    const auto y = As<int8_t>(out[0]);
    ASSERT_EQ(y.size(), a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      const double real = Apply(code, 0.04 * (a[i] + 7), 0.09 * (b[i] - 11));
      double q = std::round(real / qo.scales[0]) + static_cast<double>(qo.zero_points[0]);
      q = q < -128 ? -128 : (q > 127 ? 127 : q);
      EXPECT_LE(std::abs(y[i] - q), 1) << "op " << code << " a=" << int{a[i]} << " b=" << int{b[i]};
    }
  }
}

TEST(Elementwise, Int8InputTablesMatchTheDirectPath) {
  // 2048 outputs use the tabulated inputs, 512 do not: same values, same bytes.
  const Quant qa = PerTensor(0.05f, 4), qb = PerTensor(0.02f, -9), qo = PerTensor(0.06f, 1);
  std::vector<int8_t> a(2048), b(2048);
  for (int i = 0; i < 2048; ++i) {
    a[i] = static_cast<int8_t>((i * 37) % 256 - 128);
    b[i] = static_cast<int8_t>((i * 101 + 7) % 256 - 128);
  }
  for (const int32_t code : {kAdd, kSub}) {
    const auto big =
        RunModel(BinaryModel(code, TensorType::kInt8, {2048}, {2048}, {2048}, qa, qb, qo),
                 {Bytes(a), Bytes(b)});
    ASSERT_EQ(big.size(), 1u);
    for (int part = 0; part < 4; ++part) {
      const std::vector<int8_t> pa(a.begin() + part * 512, a.begin() + (part + 1) * 512);
      const std::vector<int8_t> pb(b.begin() + part * 512, b.begin() + (part + 1) * 512);
      const auto small =
          RunModel(BinaryModel(code, TensorType::kInt8, {512}, {512}, {512}, qa, qb, qo),
                   {Bytes(pa), Bytes(pb)});
      ASSERT_EQ(small.size(), 1u);
      EXPECT_TRUE(std::equal(small[0].begin(), small[0].end(), big[0].begin() + part * 512))
          << "op " << code << " part " << part;
    }
  }
}

TEST(Elementwise, Int8BroadcastScalarAndActivation) {
  const Quant q = PerTensor(0.1f, 0);
  const std::vector<int8_t> a = {-50, -10, 0, 10, 50, 70};
  const std::vector<int8_t> b = {5};  // + 0.5
  const auto out =
      RunModel(BinaryModel(kAdd, TensorType::kInt8, {2, 3}, {1}, {2, 3}, q, q, q, kActRelu6),
               {Bytes(a), Bytes(b)});
  ASSERT_EQ(out.size(), 1u);
  // Real: -4.5, -0.5, 0.5, 1.5, 5.5, 7.5 -> RELU6 -> 0, 0, 0.5, 1.5, 5.5, 6.
  EXPECT_EQ(As<int8_t>(out[0]), (std::vector<int8_t>{0, 0, 5, 15, 55, 60}));
}

TEST(Elementwise, ShapesThatDoNotBroadcastAreRejected) {
  const InitResult r = TryInit(BinaryModel(kAdd, TensorType::kFloat32, {2, 3}, {4}, {2, 3}));
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.what, "input shapes do not broadcast to the output shape");
  EXPECT_EQ(r.op_index, 0);
  EXPECT_EQ(r.tensor, 2);
}

TEST(Elementwise, MixedTypesAreRejected) {
  ModelBuilder m;
  const int a = m.AddTensor(TensorType::kFloat32, {4});
  const int b = m.AddTensor(TensorType::kInt8, {4}, PerTensor(1, 0));
  const int y = m.AddTensor(TensorType::kFloat32, {4});
  m.AddOp(kMul, {a, b}, {y});
  m.SetIo({a, b}, {y});
  const InitResult r = TryInit(m.Build());
  EXPECT_NE(r.status, Status::kOk);
  EXPECT_EQ(r.tensor, b);
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
