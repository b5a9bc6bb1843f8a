// Losses: values against hand computations, gradients against finite differences.
#include "train/loss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "train/layer_test_harness.h"

namespace emlkit::train {
namespace {

// d(mean loss)/d(out) against central differences (outputs feature-major [width][n]).
void ExpectLossGradient(const Loss& loss, int n, int width, const std::vector<int32_t>& labels,
                        const std::vector<float>& targets) {
  std::vector<float> out = testing::RandomInput(n * width, 31, 0.0f), grad(out.size());
  for (float& v : out) v *= 3.0f;
  loss.Compute(out.data(), labels.data(), targets.data(), n, width, grad.data());
  for (size_t i = 0; i < out.size(); ++i) {
    const float keep = out[i], eps = 1e-2f;
    out[i] = keep + eps;
    double lp = loss.Compute(out.data(), labels.data(), targets.data(), n, width, nullptr).mean();
    out[i] = keep - eps;
    double lm = loss.Compute(out.data(), labels.data(), targets.data(), n, width, nullptr).mean();
    out[i] = keep;
    EXPECT_NEAR(grad[i], (lp - lm) / (2 * eps), 2e-3) << LossName(loss.kind()) << " output " << i;
  }
}

TEST(Loss, CrossEntropyValue) {
  // Two records, three classes, feature-major logits.
  std::vector<float> out = {1, 0, /*class 1*/ 2, 0, /*class 2*/ 3, 0};
  std::vector<int32_t> labels = {2, 0};
  LossSum s = Loss::CrossEntropy().Compute(out.data(), labels.data(), nullptr, 2, 3, nullptr);
  double r0 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0;
  double r1 = std::log(3.0);
  EXPECT_NEAR(s.mean(), (r0 + r1) / 2, 1e-6);
  EXPECT_EQ(s.weight, 2.0);
  // Class weights: a weighted mean.
  LossSum w =
      Loss::CrossEntropy({4, 1, 1}).Compute(out.data(), labels.data(), nullptr, 2, 3, nullptr);
  EXPECT_NEAR(w.mean(), (r0 * 1 + r1 * 4) / 5, 1e-6);
}

TEST(Loss, RegressionValues) {
  std::vector<float> out = {1, 5}, t = {0, 2};  // errors 1 and 3
  EXPECT_NEAR(Loss::Mse().Compute(out.data(), nullptr, t.data(), 2, 1, nullptr).mean(), 5.0, 1e-9);
  // Huber with delta 2: 0.5 * 1 and 2 * (3 - 1).
  EXPECT_NEAR(Loss::Huber(2).Compute(out.data(), nullptr, t.data(), 2, 1, nullptr).mean(),
              (0.5 + 4.0) / 2, 1e-9);
}

TEST(Loss, GradientsMatchFiniteDifferences) {
  ExpectLossGradient(Loss::CrossEntropy(), 4, 3, {0, 2, 1, 2}, {});
  ExpectLossGradient(Loss::CrossEntropy({0.5f, 2.0f, 1.0f}), 4, 3, {0, 2, 1, 1}, {});
  std::vector<float> t = testing::RandomInput(8, 32);
  ExpectLossGradient(Loss::Mse(), 4, 2, {}, t);
  ExpectLossGradient(Loss::Huber(0.5f), 4, 2, {}, t);
}

TEST(Loss, BalancedWeights) {
  std::vector<int32_t> y = {0, 0, 0, 1};
  EXPECT_EQ(BalancedClassWeights(y.data(), 4, 3),
            (std::vector<float>{4.0f / 9.0f, 4.0f / 3.0f, 1.0f}));
}

}  // namespace
}  // namespace emlkit::train
