#include "data/pipeline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/rng.h"

namespace emlkit::data {
namespace {

PipelineSpec Spec(int size, int stride, const std::string& mode) {
  PipelineSpec s;
  s.columns = {"a", "b"};
  s.clip_lo = {-INFINITY, -INFINITY};
  s.clip_hi = {INFINITY, INFINITY};
  s.hampel_min_scale = {0, 0};
  s.window.size = size;
  s.window.stride = stride;
  s.window.mode = mode;
  s.offset = {1.0f, -2.0f};
  s.scale = {0.5f, 2.0f};
  s.Finalize();
  return s;
}

TEST(Pipeline, FeatureNamesAndShapes) {
  PipelineSpec s = Spec(3, 1, "raw");
  EXPECT_EQ(s.record_shape, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(s.feature_names[0], "a[t-2]");
  EXPECT_EQ(s.feature_names[5], "b[t]");
  PipelineSpec t = Spec(4, 2, "stats");
  EXPECT_EQ(t.record_shape, (std::vector<int64_t>{14}));
  EXPECT_EQ(t.feature_names[4], "a_slope");
  EXPECT_EQ(t.feature_names[7], "b_mean");
}

// Window statistics against a plain double-precision computation.
TEST(Pipeline, WindowStatisticsMatchAReference) {
  PipelineSpec s = Spec(5, 2, "stats");
  Windower w(s);
  Rng rng(1);
  std::vector<std::array<float, 2>> rows;
  std::vector<float> rec(static_cast<size_t>(s.record_size()));
  int records = 0;
  for (int i = 0; i < 20; ++i) {
    double raw[2] = {rng.Normal(3, 2), rng.Normal(-1, 0.5)};
    std::array<float, 2> scaled;
    ScaleRow(s, raw, scaled.data());
    EXPECT_EQ(scaled[0], (static_cast<float>(raw[0]) - 1.0f) * 0.5f);
    rows.push_back(scaled);
    bool got = w.Push(scaled.data(), rec.data());
    EXPECT_EQ(got, i >= 4 && (i - 4) % 2 == 0) << i;
    if (!got) continue;
    ++records;
    for (int c = 0; c < 2; ++c) {
      double sum = 0, sq = 0, mn = 1e9, mx = -1e9, sxy = 0;
      for (int k = 0; k < 5; ++k) {
        double x = rows[static_cast<size_t>(i - 4 + k)][c];
        sum += x;
        sq += x * x;
        mn = std::min(mn, x);
        mx = std::max(mx, x);
      }
      double mean = sum / 5, var = 0;
      for (int k = 0; k < 5; ++k) {
        double d = rows[static_cast<size_t>(i - 4 + k)][c] - mean;
        var += d * d;
        sxy += (k - 2.0) * d;
      }
      const float* r = rec.data() + c * 7;  // mean std min max slope last rms
      EXPECT_NEAR(r[0], mean, 1e-5);
      EXPECT_NEAR(r[1], std::sqrt(var / 5), 1e-5);
      EXPECT_EQ(r[2], mn);
      EXPECT_EQ(r[3], mx);
      EXPECT_NEAR(r[4], sxy / 10.0, 1e-5);
      EXPECT_EQ(r[5], rows[static_cast<size_t>(i)][c]);
      EXPECT_NEAR(r[6], std::sqrt(sq / 5), 1e-5);
    }
  }
  EXPECT_EQ(records, 8);
}

TEST(Pipeline, JsonRoundTripAndErrors) {
  PipelineSpec s = Spec(4, 2, "raw");
  s.time_features = {};
  nlohmann::json j = PipelineToJson(s);
  auto back = PipelineFromJson(j, "ds.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->feature_names, s.feature_names);
  EXPECT_EQ(back->scale, s.scale);
  EXPECT_EQ(back->period_s, 0.0);
  EXPECT_TRUE(j["period_s"].is_null()) << "unknown period: null";
  s.period_s = 30;
  auto with_period = PipelineFromJson(PipelineToJson(s), "ds.json");
  ASSERT_TRUE(with_period.ok());
  EXPECT_EQ(with_period->period_s, 30.0);
  nlohmann::json old = j;
  old.erase("period_s");
  auto older = PipelineFromJson(old, "ds.json");
  ASSERT_TRUE(older.ok()) << "data sets written before period_s still load";
  EXPECT_EQ(older->period_s, 0.0);
  old["period_s"] = -5;
  EXPECT_FALSE(PipelineFromJson(old, "ds.json").ok());
  j["scaling"]["offset"] = {1.0};
  auto bad = PipelineFromJson(j, "ds.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("one offset and one scale per channel"), std::string::npos);
}

TEST(Pipeline, RowCountingSteps) {
  PipelineSpec s = Spec(4, 2, "raw");
  EXPECT_NE(s.row_counting_steps().find("windows of 4 rows"), std::string::npos);
  s.window.size = 0;
  EXPECT_EQ(s.row_counting_steps(), "");
  s.clean.stuck_rows = 30;
  s.clean.stuck = "report";  // only reported: values unchanged
  EXPECT_EQ(s.row_counting_steps(), "");
  s.clean.stuck = "missing";
  s.clean.spikes = "hampel";
  s.clean.hampel_window = 7;
  EXPECT_EQ(s.row_counting_steps(), "a Hampel window of 7 rows, stuck runs of 30 rows");
}

TEST(Pipeline, TimeFeatures) {
  double out[3];
  TimeFeatures({"tod", "weekend"}, 1704067200 + 6 * 3600, out);  // Monday 2024-01-01 06:00
  EXPECT_NEAR(out[0], 1.0, 1e-12);
  EXPECT_NEAR(out[1], 0.0, 1e-12);
  EXPECT_EQ(out[2], 0.0);
  TimeFeatures({"weekend"}, 1704067200 - 86400, out);  // Sunday
  EXPECT_EQ(out[0], 1.0);
}

}  // namespace
}  // namespace emlkit::data
