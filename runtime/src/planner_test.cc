// The memory planner on random graphs (branches, tensors read long after they are written,
// several outputs, in-place candidates, concatenations of different sizes): no activation may
// change between its writer and its last reader, the outputs must equal a direct evaluation, and
// the exact arena must be enough. The golden models are all straight chains, so this is where
// the planner's overlap logic is really exercised.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "testing/model_builder.h"
#include "testing/plan_check.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

constexpr uint8_t kConcatenationOptions = 10, kFullyConnectedOptions = 8;

struct Lcg {
  uint32_t state;
  uint32_t Next(uint32_t n) {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) % n;
  }
};

// A random float graph and its values computed directly.
struct RandomGraph {
  ModelBuilder model;
  std::vector<std::vector<double>> values;  // per tensor index (empty for constants)
  std::vector<int> outputs;
};

RandomGraph MakeGraph(uint32_t seed) {
  Lcg rng{seed};
  RandomGraph g;
  std::vector<int> live;  // activation tensors available as operands
  auto add = [&](std::vector<double> v) {
    const int t = g.model.AddTensor(TensorType::kFloat32, {1, static_cast<int32_t>(v.size())});
    if (static_cast<size_t>(t) >= g.values.size()) g.values.resize(t + 1);
    g.values[t] = std::move(v);
    live.push_back(t);
    return t;
  };
  const int32_t sizes[] = {8, 16, 24};
  std::vector<int> inputs;
  for (int i = 0; i < 2; ++i) {
    std::vector<double> v(sizes[rng.Next(3)]);
    for (double& x : v) x = static_cast<float>(static_cast<int>(rng.Next(2001)) - 1000) / 400.0f;
    inputs.push_back(add(v));
  }
  const int ops = 8 + static_cast<int>(rng.Next(10));
  for (int k = 0; k < ops; ++k) {
    const int a = live[rng.Next(static_cast<uint32_t>(live.size()))];
    const std::vector<double> va = g.values[a];
    switch (rng.Next(5)) {
      case 0: {  // RELU
        std::vector<double> v = va;
        for (double& x : v) x = x > 0 ? x : 0;
        g.model.AddOp(kRelu, {a}, {add(v)});
        break;
      }
      case 1: {  // TANH
        std::vector<double> v = va;
        for (double& x : v) x = std::tanh(x);
        g.model.AddOp(kTanh, {a}, {add(v)});
        break;
      }
      case 2: {  // ADD with another tensor of the same size, if any
        std::vector<int> same;
        for (const int t : live) {
          if (g.values[t].size() == va.size()) same.push_back(t);
        }
        const int b = same[rng.Next(static_cast<uint32_t>(same.size()))];
        std::vector<double> v = va;
        for (size_t i = 0; i < v.size(); ++i) v[i] += g.values[b][i];
        g.model.AddOp(kAdd, {a, b}, {add(v)});
        break;
      }
      case 3: {  // CONCATENATION (sizes grow; keep them bounded)
        const int b = live[rng.Next(static_cast<uint32_t>(live.size()))];
        if (va.size() + g.values[b].size() > 64) {
          --k;
          break;
        }
        std::vector<double> v = va;
        v.insert(v.end(), g.values[b].begin(), g.values[b].end());
        g.model.AddOp(kConcatenation, {a, b}, {add(v)}, Options(kConcatenationOptions).I32(0, 1));
        break;
      }
      default: {  // FULLY_CONNECTED to one of the small sizes
        const int32_t rows = sizes[rng.Next(3)], depth = static_cast<int32_t>(va.size());
        std::vector<float> w(static_cast<size_t>(rows * depth));
        for (float& x : w) x = static_cast<float>(static_cast<int>(rng.Next(201)) - 100) / 400.0f;
        const int wt = g.model.AddConstant(TensorType::kFloat32, {rows, depth}, w);
        std::vector<double> v(static_cast<size_t>(rows), 0.0);
        for (int32_t o = 0; o < rows; ++o) {
          for (int32_t d = 0; d < depth; ++d) v[o] += static_cast<double>(w[o * depth + d]) * va[d];
        }
        g.model.AddOp(kFullyConnected, {a, wt, -1}, {add(v)}, Options(kFullyConnectedOptions));
        if (g.values.size() <= static_cast<size_t>(wt)) g.values.resize(wt + 1);
        break;
      }
    }
  }
  // Outputs: the last tensor and an earlier activation (kept alive to the end).
  g.outputs = {live.back(), live[2 + rng.Next(static_cast<uint32_t>(live.size() - 2))]};
  if (g.outputs[0] == g.outputs[1]) g.outputs.pop_back();
  g.model.SetIo(inputs, g.outputs);
  return g;
}

TEST(Planner, RandomGraphsKeepEveryLiveTensorIntact) {
  int total_checks = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    RandomGraph g = MakeGraph(seed);
    const std::vector<uint8_t> bytes = g.model.Build();
    size_t need = 0;
    {
      auto big = std::make_unique<uint64_t[]>((1 << 20) / 8);
      Interpreter probe;
      ASSERT_EQ(probe.Init(bytes.data(), bytes.size(), big.get(), 1 << 20), Status::kOk)
          << "seed " << seed << ": " << probe.error().what;
      need = probe.arena_bytes();
    }
    auto arena = std::make_unique<uint64_t[]>(need / 8 + 1);
    Interpreter interp;
    ASSERT_EQ(interp.Init(bytes.data(), bytes.size(), arena.get(), need), Status::kOk)
        << "seed " << seed;
    for (int32_t i = 0; i < interp.num_inputs(); ++i) {
      TensorView v;
      ASSERT_EQ(interp.Input(i, &v), Status::kOk);
      auto* p = static_cast<float*>(v.data);
      for (uint32_t j = 0; j < v.bytes / 4; ++j) p[j] = static_cast<float>(g.values[v.index][j]);
    }
    PlanCheck check(&interp);
    ASSERT_EQ(check.InvokeAndCheck(), "") << "seed " << seed;
    total_checks += check.checks();
    for (int32_t i = 0; i < interp.num_outputs(); ++i) {
      TensorView v;
      ASSERT_EQ(interp.Output(i, &v), Status::kOk);
      const auto* p = static_cast<const float*>(v.data);
      const std::vector<double>& want = g.values[v.index];
      ASSERT_EQ(v.bytes, want.size() * 4);
      for (size_t j = 0; j < want.size(); ++j) {
        ASSERT_NEAR(p[j], want[j], 1e-4 * (1 + std::fabs(want[j])))
            << "seed " << seed << " output " << i << " element " << j;
      }
    }
  }
  EXPECT_GT(total_checks, 100) << "the random graphs must keep tensors alive across operators";
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
