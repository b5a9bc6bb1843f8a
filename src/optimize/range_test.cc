#include "optimize/range.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/rng.h"

namespace emlkit::optimize {
namespace {

// Stats of `values` with a histogram, as CollectActivationStats builds them.
TensorStats StatsOf(const std::vector<double>& values) {
  TensorStats s;
  s.min = s.max = values[0];
  for (double v : values) {
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
  }
  s.count = static_cast<int64_t>(values.size());
  s.hist_lo = std::min(s.min, 0.0);
  s.hist_hi = std::max(s.max, 0.0);
  s.hist.assign(kHistogramBins, 0);
  const double per_bin = kHistogramBins / (s.hist_hi - s.hist_lo);
  for (double v : values) {
    const int64_t b =
        std::min<int64_t>(kHistogramBins - 1, static_cast<int64_t>((v - s.hist_lo) * per_bin));
    ++s.hist[static_cast<size_t>(b)];
  }
  return s;
}

// A normal bulk in [-3, 3] (sd 1) plus one far outlier at 40. With 8 bits, clipping an outlier
// at distance D lowers the squared error only when it is rarer than about 1 in 255^2 * 12
// values (D^2 / N against D^2 / (255^2 * 12)): hence the 2 million values.
TensorStats BulkWithOutlier(int n = 2000000) {
  Rng rng(7);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(std::clamp(rng.Normal(), -3.0, 3.0));
  v.push_back(40.0);
  return StatsOf(v);
}

TEST(ChooseRange, MinMaxKeepsEverything) {
  const TensorStats s = BulkWithOutlier();
  const Range r = ChooseRange(s, {RangeMethod::kMinMax, 99.99});
  EXPECT_DOUBLE_EQ(r.lo, s.min);
  EXPECT_DOUBLE_EQ(r.hi, 40.0);
}

TEST(ChooseRange, PercentileClipsTheOutlier) {
  const TensorStats s = BulkWithOutlier();
  const Range r = ChooseRange(s, {RangeMethod::kPercentile, 99.9});
  EXPECT_LT(r.hi, 4.0);
  EXPECT_GT(r.hi, 2.0);
  EXPECT_LT(r.lo, -2.0);
}

TEST(ChooseRange, MseClipsARareOutlierAndBeatsMinMaxOnItsOwnCriterion) {
  const TensorStats s = BulkWithOutlier();
  const Range mm = ChooseRange(s, {RangeMethod::kMinMax, 99.99});
  const Range mse = ChooseRange(s, {RangeMethod::kMse, 99.99});
  EXPECT_LT(mse.hi, 10.0);
  EXPECT_LT(HistogramQuantError(s, mse.lo, mse.hi), 0.5 * HistogramQuantError(s, mm.lo, mm.hi));
}

TEST(ChooseRange, MseKeepsAnOutlierThatIsNotRareEnough) {
  const TensorStats s = BulkWithOutlier(20000);  // clipping at 3 would cost more than it saves
  const Range mse = ChooseRange(s, {RangeMethod::kMse, 99.99});
  EXPECT_GT(mse.hi, 35.0);  // the optimum is near 38.9: a slight trim
}

TEST(ChooseRange, AlwaysContainsZeroAndStaysInsideTheObservedRange) {
  Rng rng(3);
  std::vector<double> positive;
  for (int i = 0; i < 5000; ++i) positive.push_back(2.0 + rng.Uniform());  // [2, 3)
  const TensorStats s = StatsOf(positive);
  for (RangeMethod m : {RangeMethod::kMinMax, RangeMethod::kPercentile, RangeMethod::kMse}) {
    const Range r = ChooseRange(s, {m, 99.0});
    EXPECT_EQ(r.lo, 0.0) << RangeMethodName(m);
    EXPECT_GT(r.hi, 2.5) << RangeMethodName(m);
    EXPECT_LE(r.hi, s.max) << RangeMethodName(m);
  }
}

TEST(ChooseRange, WithoutAHistogramFallsBackToMinMax) {
  TensorStats s;
  s.min = -1;
  s.max = 2;
  const Range r = ChooseRange(s, {RangeMethod::kMse, 99.0});
  EXPECT_EQ(r.lo, -1.0);
  EXPECT_EQ(r.hi, 2.0);
}

TEST(RangeMethod, NamesRoundTrip) {
  for (RangeMethod m : {RangeMethod::kMinMax, RangeMethod::kPercentile, RangeMethod::kMse}) {
    RangeMethod back = RangeMethod::kMinMax;
    ASSERT_TRUE(ParseRangeMethod(RangeMethodName(m), &back));
    EXPECT_EQ(back, m);
  }
  RangeMethod ignored;
  EXPECT_FALSE(ParseRangeMethod("kl", &ignored));
}

}  // namespace
}  // namespace emlkit::optimize
