// Optimizers, schedules and early stopping against hand-computed steps.
#include "train/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "train/schedule.h"

namespace emlkit::train {
namespace {

const std::vector<Network::Block> kBlocks = {{0, 1, true}, {1, 1, false}};  // weight, bias

TEST(Optimizer, SgdWithMomentumAndL2) {
  OptimizerOptions o;
  o.kind = OptimizerKind::kSgd;
  o.momentum = 0.5f;
  o.weight_decay = 0.1f;
  Optimizer opt(o, 2);
  float w[2] = {1.0f, 1.0f};
  const float g[2] = {2.0f, 2.0f};
  opt.Step(kBlocks, w, g, 0.1f);
  EXPECT_FLOAT_EQ(w[0], 1.0f - 0.1f * 2.1f);  // decayed gradient
  EXPECT_FLOAT_EQ(w[1], 1.0f - 0.1f * 2.0f);  // biases are not decayed
  opt.Step(kBlocks, w, g, 0.1f);
  EXPECT_FLOAT_EQ(w[1], 0.8f - 0.1f * (0.5f * 2.0f + 2.0f));
}

TEST(Optimizer, AdamFirstStepsMatchTheFormula) {
  Optimizer opt(OptimizerOptions{}, 2);
  float w[2] = {0.5f, -0.5f};
  const float g[2] = {0.2f, -3.0f};
  opt.Step(kBlocks, w, g, 0.01f);
  // Step 1: m/(1-b1) = g, v/(1-b2) = g^2 -> w -= lr * g / (|g| + eps) ~ lr * sign(g).
  EXPECT_NEAR(w[0], 0.5f - 0.01f, 1e-6);
  EXPECT_NEAR(w[1], -0.5f + 0.01f, 1e-6);
  const float g2[2] = {0.0f, 0.0f};
  opt.Step(kBlocks, w, g2, 0.01f);
  // Step 2 with zero gradient: m = 0.9*0.1*g, v = 0.999*0.001*g^2.
  double m = 0.09 * 0.2, v = 0.999 * 0.001 * 0.04;
  double step = 0.01 / (1 - 0.81) * m / (std::sqrt(v) / std::sqrt(1 - 0.998001) + 1e-8);
  EXPECT_NEAR(w[0], 0.49 - step, 1e-6);
}

TEST(Optimizer, AdamWDecaysDecoupled) {
  OptimizerOptions o;
  o.kind = OptimizerKind::kAdamW;
  o.weight_decay = 0.5f;
  Optimizer opt(o, 2);
  float w[2] = {2.0f, 2.0f};
  const float g[2] = {0.0f, 0.0f};
  opt.Step(kBlocks, w, g, 0.1f);
  EXPECT_FLOAT_EQ(w[0], 2.0f * (1.0f - 0.1f * 0.5f));  // no gradient: only the decay moves it
  EXPECT_FLOAT_EQ(w[1], 2.0f);
}

TEST(Schedule, StepCosinePlateau) {
  ScheduleOptions s;
  s.kind = ScheduleKind::kStep;
  s.step_epochs = 2;
  s.factor = 0.1f;
  LrSchedule step(s, 1.0f, 10);
  std::vector<float> lrs;
  for (int e = 0; e < 5; ++e) {
    lrs.push_back(step.lr());
    step.EndEpoch(e, 0);
  }
  const std::vector<float> want = {1.0f, 1.0f, 0.1f, 0.1f, 0.01f};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(lrs[i], want[i], 1e-7) << i;

  s.kind = ScheduleKind::kCosine;
  s.min_lr = 0.0f;
  LrSchedule cos(s, 1.0f, 4);
  cos.EndEpoch(0, 0);
  EXPECT_NEAR(cos.lr(), (1 + std::cos(M_PI / 4)) / 2, 1e-6);
  cos.EndEpoch(1, 0);
  EXPECT_NEAR(cos.lr(), 0.5, 1e-6);

  s.kind = ScheduleKind::kPlateau;
  s.plateau_patience = 2;
  s.factor = 0.5f;
  LrSchedule plateau(s, 1.0f, 10);
  for (double v : {1.0, 0.9, 0.95, 0.95}) plateau.EndEpoch(0, v);
  EXPECT_FLOAT_EQ(plateau.lr(), 0.5f);  // two epochs without beating 0.9
}

TEST(EarlyStopping, PatienceAndMinDelta) {
  EarlyStopping es(2, 0.01);
  EXPECT_TRUE(es.Update(0, 1.0));
  EXPECT_FALSE(es.Update(1, 0.995));  // not better by more than min_delta
  EXPECT_FALSE(es.ShouldStop());
  EXPECT_FALSE(es.Update(2, 1.2));
  EXPECT_TRUE(es.ShouldStop());
  EXPECT_EQ(es.best_epoch(), 0);
  EarlyStopping never(0, 0);
  for (int e = 0; e < 50; ++e) never.Update(e, 1.0);
  EXPECT_FALSE(never.ShouldStop());
}

}  // namespace
}  // namespace emlkit::train
