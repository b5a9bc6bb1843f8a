#include "data/row_steps.h"

#include <gtest/gtest.h>

#include <cmath>

namespace emlkit::data {
namespace {

const double kNaN = std::nan("");

TEST(RowSteps, ClipClampsOrMarksMissing) {
  ClipStep clamp({0}, {10}, false);
  double v[] = {12};
  clamp.Push(v);
  EXPECT_EQ(v[0], 10);
  ClipStep miss({0}, {10}, true);
  double w[] = {-1};
  miss.Push(w);
  EXPECT_TRUE(std::isnan(w[0]));
  EXPECT_EQ(miss.clipped, 1);
}

TEST(RowSteps, StuckAfterMoreThanNRepeats) {
  StuckStep s(1, 2, "drop");
  std::vector<bool> kept;
  for (double x : {5.0, 5.0, 5.0, 5.0, 6.0, 6.0}) {
    double v[] = {x};
    kept.push_back(s.Push(v));
  }
  // The third 5 is the value unchanged for more than 2 rows.
  EXPECT_EQ(kept, (std::vector<bool>{true, true, false, false, true, true}));
  StuckStep m(1, 1, "missing");
  double a[] = {1}, b[] = {1};
  m.Push(a);
  m.Push(b);
  EXPECT_TRUE(std::isnan(b[0]));
}

TEST(RowSteps, HampelReplacesALoneSpikeButKeepsSteps) {
  std::vector<std::vector<double>> cols = {{20, 20, 20, 99, 20, 20, 20, 30, 30, 30, 30}};
  int64_t n = HampelCentered(cols, 5, 3.0, {0.1});
  EXPECT_EQ(n, 1);
  EXPECT_EQ(cols[0][3], 20);
  EXPECT_EQ(cols[0][7], 30);  // a step is not a spike for the centred filter
  HampelCausalStep h(1, 5, 3.0, {0.1});
  std::vector<double> out;
  for (double x : {20.0, 20.0, 20.0, 20.0, 99.0, 20.0}) {
    double v[] = {x};
    h.Push(v);
    out.push_back(v[0]);
  }
  EXPECT_EQ(out[4], 20);
  EXPECT_EQ(h.replaced, 1);
}

TEST(RowSteps, HampelFloorKeepsQuantizationNoise) {
  std::vector<std::vector<double>> cols = {{20.0, 20.0, 20.0, 20.1, 20.0, 20.0, 20.0}};
  EXPECT_EQ(ColumnStepScale(cols[0]), 0.10000000000000142);
  EXPECT_EQ(HampelCentered(cols, 7, 3.0, {ColumnStepScale(cols[0])}), 0);
  EXPECT_EQ(HampelCentered(cols, 7, 3.0, {0.0}), 1);  // without the floor MAD = 0 flags it
}

TEST(RowSteps, ResamplerOnTheGrid) {
  std::vector<std::pair<double, double>> got;
  for (bool linear : {true, false}) {
    Resampler rs(1, 10, linear);
    got.clear();
    auto emit = [&](double t, const double* v, bool) { got.emplace_back(t, v[0]); };
    for (auto [t, v] : std::vector<std::pair<double, double>>{{5, 0}, {20, 3}, {21, 4}, {45, 0}}) {
      double x[] = {v};
      rs.Push(t, x, emit);
    }
    // Grid times 10, 20 (from the row at 20), 30, 40.
    std::vector<std::pair<double, double>> want =
        linear ? std::vector<std::pair<double, double>>{{10, 1}, {20, 3}, {30, 2.5}, {40, 5.0 / 6}}
               : std::vector<std::pair<double, double>>{{10, 0}, {20, 3}, {30, 4}, {40, 4}};
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].first, want[i].first);
      EXPECT_DOUBLE_EQ(got[i].second, want[i].second) << linear << " " << i;
    }
  }
}

TEST(RowSteps, MissingHoldDropInterpolate) {
  MissingStep hold(1, true);
  double a[] = {kNaN}, b[] = {4}, c[] = {kNaN};
  EXPECT_FALSE(hold.Push(a));  // nothing to hold yet
  EXPECT_TRUE(hold.Push(b));
  EXPECT_TRUE(hold.Push(c));
  EXPECT_EQ(c[0], 4);
  MissingStep drop(1, false);
  double d[] = {kNaN};
  EXPECT_FALSE(drop.Push(d));
  std::vector<std::vector<double>> cols = {{kNaN, 1, kNaN, kNaN, 4, kNaN}};
  EXPECT_EQ(InterpolateMissing(cols, {0, 10, 20, 40, 70, 80}), 4);
  EXPECT_EQ(cols[0], (std::vector<double>{1, 1, 1.5, 2.5, 4, 4}));  // linear in time
}

}  // namespace
}  // namespace emlkit::data
