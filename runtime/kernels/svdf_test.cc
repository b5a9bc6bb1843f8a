// Float SVDF over several invokes (its state carries over between them) against a direct
// implementation of the definition, and ResetState bringing it back to the first result. (The
// int8 SVDF variants are covered bit-exactly by the keyword_scrambled golden models.)
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "testing/model_builder.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

constexpr uint8_t kSvdfOptions = 6;
constexpr int32_t kBatches = 2, kInputSize = 5, kFilters = 6, kRank = 2, kMemory = 4;
constexpr int32_t kUnits = kFilters / kRank;

struct Weights {
  std::vector<float> feature, time, bias;
};

Weights MakeWeights() {
  Weights w;
  for (int i = 0; i < kFilters * kInputSize; ++i) w.feature.push_back(0.1f * ((i * 7) % 11 - 5));
  for (int i = 0; i < kFilters * kMemory; ++i) w.time.push_back(0.05f * ((i * 5) % 9 - 4));
  for (int i = 0; i < kUnits; ++i) w.bias.push_back(0.3f * (i - 1));
  return w;
}

std::vector<uint8_t> SvdfModel(const Weights& w, int8_t activation) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {kBatches, kInputSize});
  const int wf = m.AddConstant(TensorType::kFloat32, {kFilters, kInputSize}, w.feature);
  const int wt = m.AddConstant(TensorType::kFloat32, {kFilters, kMemory}, w.time);
  const int b = m.AddConstant(TensorType::kFloat32, {kUnits}, w.bias);
  const int state =
      m.AddTensor(TensorType::kFloat32, {kBatches, kMemory * kFilters}, {}, /*variable=*/true);
  const int y = m.AddTensor(TensorType::kFloat32, {kBatches, kUnits});
  m.AddOp(kSvdf, {x, wf, wt, b, state}, {y}, Options(kSvdfOptions).I32(0, kRank).I8(1, activation));
  m.SetIo({x}, {y});
  return m.Build();
}

// The definition: push the feature projections into each filter's memory (oldest dropped),
// filter it with the time weights, sum each unit's `rank` filters, add bias, activate.
struct SvdfReference {
  const Weights& w;
  bool relu;
  std::vector<double> state = std::vector<double>(kBatches * kFilters * kMemory, 0.0);

  std::vector<double> Step(const std::vector<float>& x) {
    std::vector<double> out(kBatches * kUnits);
    for (int b = 0; b < kBatches; ++b) {
      std::vector<double> filtered(kFilters);
      for (int f = 0; f < kFilters; ++f) {
        double* mem = &state[(b * kFilters + f) * kMemory];
        for (int t = 0; t + 1 < kMemory; ++t) mem[t] = mem[t + 1];
        double proj = 0;
        for (int i = 0; i < kInputSize; ++i) {
          proj += static_cast<double>(x[b * kInputSize + i]) * w.feature[f * kInputSize + i];
        }
        mem[kMemory - 1] = proj;
        for (int t = 0; t < kMemory; ++t) filtered[f] += mem[t] * w.time[f * kMemory + t];
      }
      for (int u = 0; u < kUnits; ++u) {
        double v = w.bias[u];
        for (int r = 0; r < kRank; ++r) v += filtered[u * kRank + r];
        out[b * kUnits + u] = relu && v < 0 ? 0 : v;
      }
    }
    return out;
  }
};

TEST(Svdf, FloatStateCarriesOverInvokes) {
  const Weights w = MakeWeights();
  for (const int8_t activation : {int8_t{0}, int8_t{1}}) {
    const std::vector<uint8_t> model = SvdfModel(w, activation);
    const size_t arena_size = 1 << 16;
    auto arena = std::make_unique<uint64_t[]>(arena_size / 8);
    Interpreter interp;
    ASSERT_EQ(interp.Init(model.data(), model.size(), arena.get(), arena_size), Status::kOk)
        << interp.error().what;
    SvdfReference ref{w, activation == 1};
    std::vector<float> first;
    for (int step = 0; step < 6; ++step) {
      std::vector<float> x(kBatches * kInputSize);
      for (size_t i = 0; i < x.size(); ++i)
        x[i] = 0.2f * static_cast<float>((i + step * 3) % 7) - 0.6f;
      TensorView in, out;
      ASSERT_EQ(interp.Input(0, &in), Status::kOk);
      memcpy(in.data, x.data(), in.bytes);
      ASSERT_EQ(interp.Invoke(), Status::kOk);
      ASSERT_EQ(interp.Output(0, &out), Status::kOk);
      const auto* y = static_cast<const float*>(out.data);
      const std::vector<double> want = ref.Step(x);
      for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_NEAR(y[i], want[i], 1e-5 * (1 + std::fabs(want[i])))
            << "step " << step << " output " << i;
      }
      if (step == 0) first.assign(y, y + want.size());
    }
    // After ResetState the same first input gives the first output again.
    ASSERT_EQ(interp.ResetState(), Status::kOk);
    std::vector<float> x0(kBatches * kInputSize);
    for (size_t i = 0; i < x0.size(); ++i) x0[i] = 0.2f * static_cast<float>(i % 7) - 0.6f;
    TensorView in, out;
    ASSERT_EQ(interp.Input(0, &in), Status::kOk);
    memcpy(in.data, x0.data(), in.bytes);
    ASSERT_EQ(interp.Invoke(), Status::kOk);
    ASSERT_EQ(interp.Output(0, &out), Status::kOk);
    EXPECT_EQ(std::vector<float>(static_cast<const float*>(out.data),
                                 static_cast<const float*>(out.data) + first.size()),
              first);
  }
}

TEST(Svdf, StateMustBeVariable) {
  const Weights w = MakeWeights();
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {kBatches, kInputSize});
  const int wf = m.AddConstant(TensorType::kFloat32, {kFilters, kInputSize}, w.feature);
  const int wt = m.AddConstant(TensorType::kFloat32, {kFilters, kMemory}, w.time);
  const int state = m.AddTensor(TensorType::kFloat32, {kBatches, kMemory * kFilters});
  const int y = m.AddTensor(TensorType::kFloat32, {kBatches, kUnits});
  m.AddOp(kSvdf, {x, wf, wt, -1, state}, {y}, Options(kSvdfOptions).I32(0, kRank));
  m.SetIo({x, state}, {y});
  const InitResult r = TryInit(m.Build());
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.what, "SVDF state must be a variable tensor");
  EXPECT_EQ(r.tensor, state);
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
