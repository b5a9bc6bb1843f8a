#include "collect/rate_estimator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace emlkit::collect {
namespace {

// Arrivals at a known period with USB-like jitter (0..2 ms late, never early).
TEST(RateEstimatorTest, ExactRateThroughJitterAtManyRates) {
  for (double hz : {0.2, 0.5, 1.0, 50.0, 119.0, 1000.0}) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> late(0.0, 0.002);
    RateEstimator r;
    int n = hz < 1 ? 20 : 500;
    for (int i = 0; i < n; ++i) r.Add(100.0 + i / hz + late(rng));
    // jitter / (n * period) bounds the slope error well within these.
    double tol = hz >= 1000 ? 2e-3 : 2e-4;
    EXPECT_NEAR(r.rate_hz() / hz, 1.0, tol) << hz << " Hz";
    EXPECT_EQ(r.samples(), n);
    EXPECT_EQ(r.stretches(), 1);
  }
}

// The host starved for a while: a stretch of reads 30-80 ms late, arriving in bursts. A
// least-squares fit through these arrivals is off by several percent; the lower hull is not.
TEST(RateEstimatorTest, BurstsOfLateReadsDoNotBendTheRate) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> late(0.0, 0.0005);
  RateEstimator r;
  const double hz = 1000;
  for (int i = 0; i < 3000; ++i) {
    double sent = i / hz;
    double arrive = sent + late(rng);
    if (i < 600) arrive = std::max(arrive, 0.08 + (i / 50) * 0.0);          // startup: all at 80 ms
    if (i >= 1500 && i < 1700) arrive = sent + 0.03 + (1700 - i) * 0.0002;  // a late burst
    r.Add(arrive);
  }
  EXPECT_NEAR(r.rate_hz() / hz, 1.0, 2e-4) << r.rate_hz();
}

// The reader stalled for 150 ms at the end of a run: the last samples came in one burst after
// a gap that looks like a pause. Alone, that burst would say the period is 0.
TEST(RateEstimatorTest, ABurstAfterAStallIsNotAStretch) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> late(0.0, 0.002);
  RateEstimator r;
  const double p = 0.01;
  for (int i = 0; i < 150; ++i) r.Add(i * p + late(rng));
  // Samples 150..164, read in three reads at 1.65 s.
  for (int i = 150; i < 165; ++i) r.Add(1.65 + ((i - 150) / 5) * 0.0001);
  EXPECT_NEAR(r.period_s() / p, 1.0, 2e-3) << r.period_s();
  // And a burst at the start of a stretch (after a reconnect) does not count either.
  r.Break();
  for (int i = 0; i < 20; ++i) r.Add(10.2 + (i / 5) * 0.0001);
  for (int i = 20; i < 60; ++i) r.Add(10.0 + i * p + late(rng));
  EXPECT_NEAR(r.period_s() / p, 1.0, 2e-3) << r.period_s();
}

TEST(RateEstimatorTest, PausesAndBreaksDoNotBendTheRate) {
  RateEstimator r;
  double t = 0;
  for (int i = 0; i < 100; ++i) r.Add(t += 0.02);
  t += 3.0;  // the board paused for 3 s
  for (int i = 0; i < 100; ++i) r.Add(t += 0.02);
  r.Break();  // reconnect
  t += 0.5;
  for (int i = 0; i < 100; ++i) r.Add(t += 0.02);
  EXPECT_NEAR(r.rate_hz(), 50.0, 1e-6);
  EXPECT_EQ(r.stretches(), 3);
}

TEST(RateEstimatorTest, UnknownUntilTwoSamples) {
  RateEstimator r;
  EXPECT_EQ(r.rate_hz(), 0.0);
  r.Add(5.0);
  EXPECT_EQ(r.rate_hz(), 0.0);
  r.Add(7.0);
  EXPECT_NEAR(r.rate_hz(), 0.5, 1e-12);
}

}  // namespace
}  // namespace emlkit::collect
