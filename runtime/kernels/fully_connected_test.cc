// FULLY_CONNECTED over many shapes (every vector-width tail, depth 1, batches, no bias) against
// direct loops: float must be bit-identical to the in-order sum TFLite's reference computes,
// int8 bit-exact with integer accumulation + MultiplyByQuantizedMultiplier (per tensor, per
// channel, and multipliers above one). Also SOFTMAX float and int8.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/fixed_point.h"
#include "kernels/quant_util.h"
#include "testing/model_builder.h"
#include "testing/reference_multiplier.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

constexpr uint8_t kFullyConnectedOptions = 8, kSoftmaxOptions = 9;
constexpr int8_t kActNone = 0, kActRelu = 1;

struct Lcg {
  uint32_t state;
  int32_t Next(int32_t lo, int32_t hi) {
    state = state * 1664525u + 1013904223u;
    return lo + static_cast<int32_t>((state >> 8) % static_cast<uint32_t>(hi - lo + 1));
  }
};

struct FcShape {
  int32_t batches, depth, rows;
  bool bias;
  int8_t activation;
};

std::vector<FcShape> Shapes() {
  std::vector<FcShape> v;
  for (const int32_t depth : {1, 3, 4, 5, 8, 15, 16, 17, 31, 33, 64, 70}) {
    for (const int32_t rows : {1, 2, 3, 5, 7, 8, 9, 16, 17, 24, 33}) {
      v.push_back({depth % 3 == 0 ? 3 : 1, depth, rows, rows % 4 != 3,
                   rows % 2 == 0 ? kActRelu : kActNone});
    }
  }
  return v;
}

// The model; the weights are the model's last constant, so short-row loads near the end of the
// model bytes are exercised too.
std::vector<uint8_t> FcModel(const FcShape& s, TensorType type, const void* w, size_t w_bytes,
                             const void* bias, size_t bias_bytes, Quant qi = {}, Quant qw = {},
                             Quant qb = {}, Quant qo = {}) {
  ModelBuilder m;
  const int x = m.AddTensor(type, {s.batches, s.depth}, qi);
  const int y = m.AddTensor(type, {s.batches, s.rows}, qo);
  const TensorType bias_type = type == TensorType::kInt8 ? TensorType::kInt32 : type;
  const int b = s.bias ? m.AddConstant(bias_type, {s.rows}, bias, bias_bytes, qb) : -1;
  const int f = m.AddConstant(type, {s.rows, s.depth}, w, w_bytes, qw);
  m.AddOp(kFullyConnected, {x, f, b}, {y}, Options(kFullyConnectedOptions).I8(0, s.activation));
  m.SetIo({x}, {y});
  return m.Build();
}

TEST(FullyConnected, FloatBitIdenticalToInOrderSums) {
  uint32_t seed = 1;
  for (const FcShape& s : Shapes()) {
    Lcg rng{seed++};
    std::vector<float> x(static_cast<size_t>(s.batches * s.depth));
    std::vector<float> w(static_cast<size_t>(s.rows * s.depth)), bias(static_cast<size_t>(s.rows));
    for (float& v : x) v = static_cast<float>(rng.Next(-100000, 100000)) / 33333.0f;
    for (float& v : w) v = static_cast<float>(rng.Next(-100000, 100000)) / 77777.0f;
    for (float& v : bias) v = static_cast<float>(rng.Next(-100000, 100000)) / 55555.0f;
    const auto y = RunModel1<float>(
        FcModel(s, TensorType::kFloat32, w.data(), w.size() * 4, bias.data(), bias.size() * 4), x);
    ASSERT_EQ(y.size(), static_cast<size_t>(s.batches * s.rows));
    for (int32_t b = 0; b < s.batches; ++b) {
      for (int32_t o = 0; o < s.rows; ++o) {
        float total = 0.0f;
        for (int32_t d = 0; d < s.depth; ++d) total += x[b * s.depth + d] * w[o * s.depth + d];
        float want = total + (s.bias ? bias[o] : 0.0f);
        if (s.activation == kActRelu && want < 0) want = 0;
        ASSERT_EQ(y[b * s.rows + o], want)
            << "depth " << s.depth << " rows " << s.rows << " batch " << b << " row " << o;
      }
    }
  }
}

// kind 0: per tensor; 1: per channel; 2: per tensor with a multiplier above one.
void CheckInt8(int kind) {
  uint32_t seed = 100 + static_cast<uint32_t>(kind);
  size_t inside = 0, total = 0;  // outputs the clamp did not decide
  for (const FcShape& s : Shapes()) {
    Lcg rng{seed++};
    const int32_t in_zp = rng.Next(-30, 30), out_zp = rng.Next(-30, 30);
    std::vector<int8_t> x(static_cast<size_t>(s.batches * s.depth));
    std::vector<int8_t> w(static_cast<size_t>(s.rows * s.depth));
    std::vector<int32_t> bias(static_cast<size_t>(s.rows));
    for (int8_t& v : x) v = static_cast<int8_t>(rng.Next(-128, 127));
    for (int8_t& v : w) v = static_cast<int8_t>(rng.Next(-127, 127));
    for (int32_t& v : bias) v = rng.Next(-5000, 5000);
    const float in_scale = 0.03f;
    // Output scale so that results mostly stay in range; kind 2 makes the rescale factor > 1.
    const float spread = 0.004f * std::sqrt(static_cast<float>(s.depth)) * 40;
    Quant qw;
    for (int32_t c = 0; c < (kind == 1 ? s.rows : 1); ++c) {
      qw.scales.push_back(0.004f * (1 + 0.1f * static_cast<float>(c % 7)));
      qw.zero_points.push_back(0);
    }
    const float out_scale = kind == 2 ? in_scale * 0.004f / 1.7f : in_scale * spread;
    Quant qb;
    for (const float ws : qw.scales) {
      qb.scales.push_back(in_scale * ws);
      qb.zero_points.push_back(0);
    }
    if (kind == 2) {  // small values so the large multiplier does not saturate everything
      for (int8_t& v : x) v = static_cast<int8_t>(in_zp + v / 16);
      for (int8_t& v : w) v = static_cast<int8_t>(v / 64);
      for (int32_t& v : bias) v /= 256;
    }
    const auto y = RunModel1<int8_t>(
        FcModel(s, TensorType::kInt8, w.data(), w.size(), bias.data(), bias.size() * 4,
                PerTensor(in_scale, in_zp), qw, qb, PerTensor(out_scale, out_zp)),
        x);
    ASSERT_EQ(y.size(), static_cast<size_t>(s.batches * s.rows));
    const int32_t lo = s.activation == kActRelu ? out_zp : -128;
    for (int32_t b = 0; b < s.batches; ++b) {
      for (int32_t o = 0; o < s.rows; ++o) {
        int32_t acc = s.bias ? bias[o] : 0;
        for (int32_t d = 0; d < s.depth; ++d) {
          acc += (x[b * s.depth + d] - in_zp) * w[o * s.depth + d];
        }
        int32_t mult, shift;
        const float ws = qw.scales[kind == 1 ? o : 0];
        QuantizeMultiplier(static_cast<double>(in_scale) * ws / out_scale, &mult, &shift);
        if (kind == 2) {
          ASSERT_GT(shift, 0);
        }
        int32_t want = fx::MultiplyByQuantizedMultiplier(acc, mult, shift) + out_zp;
        inside += want > lo && want < 127 ? 1 : 0;
        ++total;
        want = want < lo ? lo : (want > 127 ? 127 : want);
        ASSERT_EQ(y[b * s.rows + o], want) << "kind " << kind << " depth " << s.depth << " rows "
                                           << s.rows << " batch " << b << " row " << o;
      }
    }
  }
  EXPECT_GT(inside, total / 3) << "most outputs clamped: choose other scales";
}

TEST(FullyConnected, Int8PerTensorBitExact) { CheckInt8(0); }
TEST(FullyConnected, Int8PerChannelBitExact) { CheckInt8(1); }
TEST(FullyConnected, Int8MultiplierAboveOneBitExact) { CheckInt8(2); }

TEST(FullyConnected, MismatchedShapesAreRejected) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {1, 5});
  const int f = m.AddConstant(TensorType::kFloat32, {3, 4}, std::vector<float>(12, 1.0f));
  const int y = m.AddTensor(TensorType::kFloat32, {1, 3});
  m.AddOp(kFullyConnected, {x, f, -1}, {y});
  m.SetIo({x}, {y});
  const InitResult r = TryInit(m.Build());
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.what, "FULLY_CONNECTED input size does not match weights");
  EXPECT_EQ(r.tensor, x);
}

TEST(Softmax, FloatWithBeta) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {2, 5});
  const int y = m.AddTensor(TensorType::kFloat32, {2, 5});
  m.AddOp(kSoftmax, {x}, {y}, Options(kSoftmaxOptions).F32(0, 0.5f));
  m.SetIo({x}, {y});
  const std::vector<float> in = {1, 2, 3, 4, 5, -10, 0, 10, 20, 30};
  const auto out = RunModel1<float>(m.Build(), in);
  ASSERT_EQ(out.size(), in.size());
  for (int r = 0; r < 2; ++r) {
    double sum = 0;
    for (int i = 0; i < 5; ++i) sum += std::exp(0.5 * in[r * 5 + i]);
    for (int i = 0; i < 5; ++i) {
      EXPECT_NEAR(out[r * 5 + i], std::exp(0.5 * in[r * 5 + i]) / sum, 1e-6) << r << "," << i;
    }
  }
}

TEST(Softmax, Int8WithinOneStep) {
  const float in_scale = 0.1f;
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kInt8, {4, 10}, PerTensor(in_scale, 3));
  const int y = m.AddTensor(TensorType::kInt8, {4, 10}, PerTensor(1.0f / 256, -128));
  m.AddOp(kSoftmax, {x}, {y}, Options(kSoftmaxOptions).F32(0, 1.0f));
  m.SetIo({x}, {y});
  std::vector<int8_t> in(40);
  Lcg rng{7};
  for (int8_t& v : in) v = static_cast<int8_t>(rng.Next(-60, 60));
  const auto out = RunModel1<int8_t>(m.Build(), in);
  ASSERT_EQ(out.size(), in.size());
  for (int r = 0; r < 4; ++r) {
    double sum = 0;
    for (int i = 0; i < 10; ++i) sum += std::exp(in_scale * (in[r * 10 + i] - 3));
    for (int i = 0; i < 10; ++i) {
      const double p = std::exp(in_scale * (in[r * 10 + i] - 3)) / sum;
      const double want = std::min(127.0, std::round(p * 256) - 128);
      EXPECT_LE(std::abs(out[r * 10 + i] - want), 1) << r << "," << i;
    }
  }
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
