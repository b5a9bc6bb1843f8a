// The online Preprocessor against a time-ordered `prepare` of the real occupancy file.
#include "data/preprocessor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "common/fs.h"
#include "common/npy.h"
#include "data/csv_reader.h"
#include "data/prepare.h"
#include "support/test_util.h"

namespace emlkit::data {
namespace {

// Feeds every row of `csv` (columns of `pre`, timestamp `ts`) and returns the records.
std::vector<std::vector<float>> Stream(Preprocessor& pre, const std::string& csv,
                                       const std::string& ts) {
  auto reader = CsvReader::Open(csv);
  EXPECT_TRUE(reader.ok());
  const CsvSchema& s = (*reader)->schema();
  std::vector<int> cols;
  for (const std::string& c : pre.columns()) cols.push_back(s.Find(c));
  int tc = s.Find(ts);
  std::vector<std::vector<float>> out;
  std::vector<double> raw(cols.size());
  std::vector<float> recs;
  const size_t rs = static_cast<size_t>(pre.record_size());
  EXPECT_TRUE((*reader)
                  ->ForEachBatch([&](const CsvBatch& b) {
                    for (int64_t r = 0; r < b.rows; ++r) {
                      for (size_t k = 0; k < cols.size(); ++k) raw[k] = b.columns[cols[k]].value[r];
                      recs.clear();
                      int n = pre.PushAll(b.columns[tc].value[r], raw.data(), &recs);
                      for (int i = 0; i < n; ++i)
                        out.emplace_back(recs.begin() + i * rs, recs.begin() + (i + 1) * rs);
                    }
                    return Status::Ok();
                  })
                  .ok());
  return out;
}

PrepareOptions TimeOrdered(const std::string& csv, const std::string& out) {
  PrepareOptions o;
  o.inputs = {csv};
  o.features = {"Temperature", "Humidity", "Light", "CO2", "HumidityRatio"};
  o.label = "Occupancy";
  o.timestamp = "date";
  o.time_features = {"tod", "weekend"};
  o.clean.clip = {{"Light", 0, 1000}};
  o.clean.stuck_rows = 200;
  o.clean.stuck = "missing";
  o.clean.missing = "hold";
  o.clean.spikes = "hampel";
  o.clean.hampel_mode = "causal";
  o.window.size = 10;
  o.window.stride = 3;
  o.split.method = "time";
  o.out = out;
  return o;
}

// Bit-for-bit: the stream's first records are X_train of a time-ordered prepare.
TEST(Preprocessor, ReproducesTimeOrderedPrepareBitForBit) {
  EMLKIT_REQUIRE_SHARED(csv, "data/occupancy/datatraining.txt");
  ScratchDir dir("pre");
  for (const std::string mode : {"stats", "raw", "resample"}) {
    PrepareOptions o = TimeOrdered(csv, dir.Path(mode));
    o.window.mode = mode == "raw" ? "raw" : "stats";
    if (mode == "resample") {
      o.clean.resample = 45;  // rows are ~60 s apart: some rows close two grid times
      o.window.size = 4;
    }
    auto res = Prepare(o);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    auto x = ReadNpy(dir.Path(mode + "/X_train.npy"));
    ASSERT_TRUE(x.ok());
    auto pre = Preprocessor::FromDatasetJson(res->dataset_json, "dataset.json");
    ASSERT_TRUE(pre.ok()) << pre.status().ToString();
    EXPECT_TRUE(pre->online_exact());
    std::vector<std::vector<float>> recs = Stream(*pre, csv, "date");
    ASSERT_GE(static_cast<int64_t>(recs.size()), x->records());
    ASSERT_GT(x->records(), 1000);
    const int64_t per = x->record_elements();
    ASSERT_EQ(per, pre->record_size());
    for (int64_t i = 0; i < x->records(); ++i)
      ASSERT_EQ(std::memcmp(recs[i].data(), x->data<float>() + i * per, per * sizeof(float)), 0)
          << mode << " record " << i;
  }
}

// A centred Hampel filter looks ahead: prepare says so and the online stand-in (causal) differs.
TEST(Preprocessor, CentredHampelIsDeclaredOfflineOnly) {
  EMLKIT_REQUIRE_SHARED(csv, "data/occupancy/datatraining.txt");
  ScratchDir dir("pre");
  PrepareOptions o = TimeOrdered(csv, dir.Path("c"));
  o.clean.hampel_mode = "centered";
  o.window.size = 0;
  auto res = Prepare(o);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_NE(res->dataset_json.find("\"online_exact\": false"), std::string::npos);
  EXPECT_NE(res->dataset_json.find("Hampel"), std::string::npos);
  auto pre = Preprocessor::FromDatasetJson(res->dataset_json, "dataset.json");
  ASSERT_TRUE(pre.ok());
  EXPECT_FALSE(pre->online_exact());
  auto x = ReadNpy(dir.Path("c/X_train.npy"));
  ASSERT_TRUE(x.ok());
  std::vector<std::vector<float>> recs = Stream(*pre, csv, "date");
  int64_t differ = 0;
  for (int64_t i = 0; i < x->records(); ++i)
    differ += std::memcmp(recs[i].data(), x->data<float>() + i * 8, 8 * sizeof(float)) != 0;
  EXPECT_GT(differ, 0);                 // the filters disagree somewhere ...
  EXPECT_LT(differ, x->records() / 4);  // ... but only around spikes and steps
}

TEST(Preprocessor, SegmentsResetOnTimeGoingBackAndGaps) {
  PipelineSpec s;
  s.columns = {"x"};
  s.timestamp = "t";
  s.clip_lo = {-INFINITY};
  s.clip_hi = {INFINITY};
  s.hampel_min_scale = {0};
  s.clean.max_gap = 10;
  s.clean.duplicates = "drop";
  s.scaling = "none";
  s.offset = {0};
  s.scale = {1};
  s.window.size = 2;
  s.window.stats = {"mean"};
  s.Finalize();
  Preprocessor pre(s);
  float rec;
  double v = 1;
  EXPECT_FALSE(pre.Push(0, &v, &rec));
  v = 3;
  EXPECT_FALSE(pre.Push(0, &v, &rec));  // duplicate time: dropped
  EXPECT_TRUE(pre.Push(1, &v, &rec));
  EXPECT_EQ(rec, 2.0f);
  EXPECT_FALSE(pre.Push(100, &v, &rec));  // gap: new segment, window refills
  EXPECT_TRUE(pre.Push(101, &v, &rec));
  EXPECT_FALSE(pre.Push(50, &v, &rec));  // back in time: new segment
}

}  // namespace
}  // namespace emlkit::data
