// The host picks AVX / AVX2 FULLY_CONNECTED variants at Prepare when the CPU has them; the SSE2
// variants must give the very same bytes (a host without AVX runs those). Both are run here on
// the same models and compared. (On a CPU without AVX both runs take the SSE2 path.)
#include <gtest/gtest.h>

#include "kernels/host_x86/avx.h"
#include "testing/model_builder.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

constexpr uint8_t kFullyConnectedOptions = 8;

struct Lcg {
  uint32_t state;
  int32_t Next(int32_t lo, int32_t hi) {
    state = state * 1664525u + 1013904223u;
    return lo + static_cast<int32_t>((state >> 8) % static_cast<uint32_t>(hi - lo + 1));
  }
};

std::vector<uint8_t> Fc(TensorType type, int32_t batches, int32_t depth, int32_t rows,
                        uint32_t seed) {
  Lcg rng{seed};
  ModelBuilder m;
  const bool q = type == TensorType::kInt8;
  const int x = m.AddTensor(type, {batches, depth}, q ? PerTensor(0.02f, 3) : Quant{});
  const int y = m.AddTensor(type, {batches, rows}, q ? PerTensor(0.05f, -1) : Quant{});
  int w;
  if (q) {
    std::vector<int8_t> wv(static_cast<size_t>(rows * depth));
    for (int8_t& v : wv) v = static_cast<int8_t>(rng.Next(-127, 127));
    Quant qw;  // per channel
    for (int32_t c = 0; c < rows; ++c) {
      qw.scales.push_back(0.001f * static_cast<float>(1 + c % 5));
      qw.zero_points.push_back(0);
    }
    w = m.AddConstant(type, {rows, depth}, wv, qw);
  } else {
    std::vector<float> wv(static_cast<size_t>(rows * depth));
    for (float& v : wv) v = static_cast<float>(rng.Next(-1000, 1000)) / 777.0f;
    w = m.AddConstant(type, {rows, depth}, wv);
  }
  m.AddOp(kFullyConnected, {x, w, -1}, {y}, Options(kFullyConnectedOptions));
  m.SetIo({x}, {y});
  return m.Build();
}

std::vector<uint8_t> Input(TensorType type, int32_t n, uint32_t seed) {
  Lcg rng{seed};
  if (type == TensorType::kInt8) {
    std::vector<int8_t> v(static_cast<size_t>(n));
    for (int8_t& e : v) e = static_cast<int8_t>(rng.Next(-128, 127));
    return Bytes(v);
  }
  std::vector<float> v(static_cast<size_t>(n));
  for (float& e : v) e = static_cast<float>(rng.Next(-1000, 1000)) / 333.0f;
  return Bytes(v);
}

TEST(HostDispatch, Sse2AndAvxFullyConnectedAgreeBitForBit) {
  if (!x86::HasAvx()) GTEST_LOG_(INFO) << "CPU without AVX: only the SSE2 path runs";
  uint32_t seed = 1;
  int compared = 0;
  for (const TensorType type : {TensorType::kFloat32, TensorType::kInt8}) {
    for (const int32_t depth : {1, 2, 5, 8, 16, 19, 40}) {
      for (const int32_t rows : {1, 3, 8, 13, 16, 24, 35}) {
        const int32_t batches = depth % 2 == 0 ? 2 : 1;
        const std::vector<uint8_t> model = Fc(type, batches, depth, rows, seed);
        const std::vector<uint8_t> in = Input(type, batches * depth, seed + 1000);
        seed++;
        const auto best = RunModel(model, {in});
        x86::ForceSse2ForTesting(true);
        EXPECT_FALSE(x86::HasAvx());
        const auto sse2 = RunModel(model, {in});
        x86::ForceSse2ForTesting(false);
        ASSERT_EQ(best.size(), 1u);
        ASSERT_EQ(sse2.size(), 1u);
        EXPECT_EQ(best[0], sse2[0])
            << "type " << static_cast<int>(type) << " depth " << depth << " rows " << rows;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 2 * 7 * 7);
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
