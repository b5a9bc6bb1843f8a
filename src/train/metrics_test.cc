// Metrics and anomaly thresholds against hand-computed values.
#include "train/metrics.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "train/anomaly.h"

namespace emlkit::train {
namespace {

TEST(Metrics, ClassificationCountsAndRates) {
  std::vector<int32_t> truth = {0, 0, 0, 1, 1, 2}, pred = {0, 0, 1, 1, 0, 2};
  ClassificationMetrics m =
      ComputeClassification(truth.data(), pred.data(), nullptr, 6, {"a", "b", "c"});
  EXPECT_EQ(m.n, 6);
  EXPECT_DOUBLE_EQ(m.accuracy, 4.0 / 6.0);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int64_t>>{{2, 1, 0}, {1, 1, 0}, {0, 0, 1}}));
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.per_class[1].precision, 0.5);
  EXPECT_EQ(m.per_class[2].support, 1);
  EXPECT_DOUBLE_EQ(m.per_class[2].f1, 1.0);
  EXPECT_FALSE(m.auc.has_value());
}

// Issue 15: a class with no true record (support 0) is left out of macro F1 and listed.
TEST(Metrics, MacroF1SkipsClassesWithoutSupport) {
  std::vector<int32_t> truth = {0, 0, 0, 0}, pred = {0, 0, 0, 1};
  ClassificationMetrics m =
      ComputeClassification(truth.data(), pred.data(), nullptr, 4, {"flex", "punch"});
  EXPECT_EQ(m.per_class[1].support, 0);
  EXPECT_DOUBLE_EQ(m.macro_f1, m.per_class[0].f1);  // 0.857..., not half of it
  EXPECT_EQ(ToJson(m)["classes_without_support"], nlohmann::json({"punch"}));
  std::vector<int32_t> both = {0, 1};
  EXPECT_FALSE(ToJson(ComputeClassification(both.data(), both.data(), nullptr, 2, {"a", "b"}))
                   .contains("classes_without_support"));
}

TEST(Metrics, RocAucWithTies) {
  std::vector<float> score = {0.1f, 0.4f, 0.35f, 0.8f};
  std::vector<int32_t> truth = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(*RocAuc(score.data(), truth.data(), 4), 0.75);
  std::vector<float> tied = {0.5f, 0.5f, 0.5f, 0.5f};
  EXPECT_DOUBLE_EQ(*RocAuc(tied.data(), truth.data(), 4), 0.5);
  std::vector<int32_t> one_class = {1, 1, 1, 1};
  EXPECT_FALSE(RocAuc(score.data(), one_class.data(), 4).has_value());
}

TEST(Metrics, Regression) {
  std::vector<float> pred = {1, 2, 4}, truth = {1, 3, 5};
  RegressionMetrics m = ComputeRegression(pred.data(), truth.data(), 3, 1);
  EXPECT_DOUBLE_EQ(m.mae, 2.0 / 3.0);
  EXPECT_NEAR(m.rmse, std::sqrt(2.0 / 3.0), 1e-12);
  // var sum of truth around 3: 4 + 0 + 4 = 8; squared error sum 2.
  EXPECT_NEAR(m.r2, 1.0 - 2.0 / 8.0, 1e-12);
}

TEST(Threshold, BestF1AndPercentile) {
  std::vector<float> s = {0.1f, 0.2f, 0.3f, 0.9f, 0.35f, 0.8f};
  std::vector<int32_t> y = {0, 0, 0, 1, 0, 1};
  auto best = ChooseThreshold(s.data(), y.data(), 6, ThresholdMethod::kAuto, 99);
  ASSERT_TRUE(best.ok());
  EXPECT_EQ(best->method, ThresholdMethod::kBestF1);
  EXPECT_DOUBLE_EQ(best->f1, 1.0);
  EXPECT_NEAR(best->threshold, (0.8 + 0.35) / 2, 1e-7);  // between the two classes
  auto pct = ChooseThreshold(s.data(), y.data(), 6, ThresholdMethod::kPercentile, 50);
  ASSERT_TRUE(pct.ok());
  EXPECT_NEAR(pct->threshold, 0.25, 1e-7);  // median of the normal scores 0.1 0.2 0.3 0.35
  auto unlabelled = ChooseThreshold(s.data(), nullptr, 6, ThresholdMethod::kAuto, 100);
  ASSERT_TRUE(unlabelled.ok());
  EXPECT_EQ(unlabelled->rule, "auto (1.5 x quantile:0.999)");
  // 1.5 x the 99.9th percentile of all six scores: 0.8 + 0.995 * (0.9 - 0.8).
  EXPECT_NEAR(unlabelled->threshold, 1.5 * (0.8 + 0.995 * 0.1), 1e-6);
  EXPECT_FALSE(ChooseThreshold(s.data(), nullptr, 6, ThresholdMethod::kBestF1, 99).ok());
}

TEST(Threshold, QuantileSigmaValueAndWarnings) {
  std::vector<float> s(300);
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<float>(i % 2);  // mean .5, sd .5
  auto q = ChooseThreshold(s.data(), nullptr, 300, ThresholdMethod::kQuantile, 0, 0.25);
  ASSERT_TRUE(q.ok());
  EXPECT_DOUBLE_EQ(q->threshold, 0.0);
  EXPECT_EQ(q->rule, "quantile:0.25");
  EXPECT_TRUE(q->warnings.empty());
  auto sig = ChooseThreshold(s.data(), nullptr, 300, ThresholdMethod::kSigma, 0, 3);
  EXPECT_NEAR(sig->threshold, 0.5 + 3 * 0.5, 1e-9);
  auto v = ChooseThreshold(s.data(), nullptr, 300, ThresholdMethod::kValue, 0, 1.27);
  EXPECT_DOUBLE_EQ(v->threshold, 1.27);
  EXPECT_EQ(v->rule, "1.27");
  // 91 identical scores: both warnings (too few records, near-constant).
  std::vector<float> flat(91, 0.0005f);
  auto f = ChooseThreshold(flat.data(), nullptr, 91, ThresholdMethod::kAuto, 99);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->warnings.size(), 2u);
  EXPECT_NE(f->warnings[0].find("only 91 records"), std::string::npos);
  EXPECT_NE(f->warnings[1].find("near-constant"), std::string::npos);
  ThresholdMethod m;
  double p = 0;
  EXPECT_TRUE(ParseThresholdSpec("sigma:4", &m, &p));
  EXPECT_EQ(m, ThresholdMethod::kSigma);
  EXPECT_FALSE(ParseThresholdSpec("quantile:1.5", &m, &p));
  EXPECT_FALSE(ParseThresholdSpec("quantile", &m, &p));
  EXPECT_FALSE(ParseThresholdSpec("value", &m, &p));
  EXPECT_TRUE(ParseThresholdSpec("-0.5", &m, &p));
  EXPECT_EQ(m, ThresholdMethod::kValue);
}

TEST(SeriesMetrics, WindowsFalsePositivesAndFirstFlags) {
  //                     window 1     window 2       window 3
  std::vector<int32_t> y = {0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0};
  std::vector<int32_t> f = {1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0};
  SeriesMetrics m = ComputeSeriesMetrics(y.data(), f.data(), 12);
  EXPECT_EQ(m.windows, 3);
  EXPECT_EQ(m.windows_found, 2);
  EXPECT_EQ(m.first_flag, (std::vector<int64_t>{2, -1, 0}));
  EXPECT_EQ(m.normal_records, 6);
  EXPECT_EQ(m.false_flags, 2);
  EXPECT_NEAR(m.fp_per_1000, 1000.0 * 2 / 6, 1e-9);
}

TEST(KMeans, FindsSeparatedClustersAndScoresDistances) {
  std::vector<float> x;
  for (int i = 0; i < 30; ++i) {
    float d = 0.01f * static_cast<float>(i % 5);
    x.insert(x.end(), {0.0f + d, 0.0f - d});
    x.insert(x.end(), {10.0f - d, 10.0f + d});
  }
  KMeansModel m = FitKMeans(x.data(), 60, 2, 2, 7);
  ASSERT_EQ(m.k, 2);
  float lo = std::min(m.centroids[0], m.centroids[2]),
        hi = std::max(m.centroids[0], m.centroids[2]);
  EXPECT_NEAR(lo, 0.02f, 1e-5);
  EXPECT_NEAR(hi, 9.98f, 1e-5);
  std::vector<float> probe = {0.02f, -0.02f, 5.0f, 5.0f}, scores(2);
  KMeansScores(m, probe.data(), 2, scores.data());
  EXPECT_NEAR(scores[0], 0.0f, 1e-6);
  EXPECT_NEAR(scores[1], (4.98f * 4.98f + 5.02f * 5.02f) / 2, 1e-3);
  KMeansModel capped = FitKMeans(x.data(), 3, 2, 8, 7);  // k is capped by the distinct points
  EXPECT_LE(capped.k, 3);
}

}  // namespace
}  // namespace emlkit::train
