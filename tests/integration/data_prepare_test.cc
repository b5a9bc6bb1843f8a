// `emlkit data prepare` end to end on the real data sets, checked against values computed
// here independently from the raw CSV.
#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "integration/data_test_util.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::Load;
using testing::Numbers;
using testing::ReadSimpleCsv;
using testing::ReadText;
using testing::RunEmlkit;

const char* kFeatures = "Temperature,Humidity,Light,CO2,HumidityRatio";
const std::vector<std::string> kFeatureList = {"Temperature", "Humidity", "Light", "CO2",
                                               "HumidityRatio"};

// The default command of the issue: shapes, stratified split, labels.
TEST(DataPrepare, OccupancyDefaultsShapesAndStratifiedSplit) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  EMLKIT_REQUIRE_SHARED(test, "data/occupancy/datatest.txt");
  ScratchDir dir("prep");
  auto r = RunEmlkit({"data", "prepare", "--input", train, "--test", test, "--features", kFeatures,
                      "--label", "Occupancy", "--out", dir.Path("ds")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  NpyArray xtr = Load(dir.Path("ds/X_train.npy")), xva = Load(dir.Path("ds/X_val.npy")),
           xte = Load(dir.Path("ds/X_test.npy")), ytr = Load(dir.Path("ds/y_train.npy")),
           yva = Load(dir.Path("ds/y_val.npy")), yte = Load(dir.Path("ds/y_test.npy"));
  EXPECT_EQ(xtr.records() + xva.records(), 8143);
  EXPECT_EQ(xte.shape(), (std::vector<int64_t>{2665, 5}));
  EXPECT_EQ(xtr.shape()[1], 5);
  EXPECT_EQ(ytr.dtype(), DType::kInt32);
  EXPECT_NEAR(static_cast<double>(xva.records()), 0.15 * 8143, 2);
  // Stratified: class 1 has 1729 rows in the file; 15 % of them (259) went to val.
  int64_t ones_val = 0, ones_tr = 0, ones_te = 0;
  for (int64_t i = 0; i < yva.records(); ++i) ones_val += yva.data<int32_t>()[i];
  for (int64_t i = 0; i < ytr.records(); ++i) ones_tr += ytr.data<int32_t>()[i];
  for (int64_t i = 0; i < yte.records(); ++i) ones_te += yte.data<int32_t>()[i];
  EXPECT_EQ(ones_val + ones_tr, 1729);
  EXPECT_EQ(ones_val, std::llround(1729 * 0.15));
  // datatest.txt, in file order: 972 occupied rows.
  auto raw = ReadSimpleCsv(test);
  EXPECT_EQ(ones_te, 972);
  for (int64_t i = 0; i < yte.records(); ++i)
    ASSERT_EQ(yte.data<int32_t>()[i], std::stoi(raw["Occupancy"][i])) << "row " << i;
  auto j = nlohmann::json::parse(ReadText(dir.Path("ds/dataset.json")));
  EXPECT_EQ(j["label"]["names"], nlohmann::json({"0", "1"}));
  EXPECT_EQ(j["split"]["method"], "random");
  EXPECT_EQ(j["inputs"][0]["rows"], 8143);
  EXPECT_EQ(j["inputs"][0]["row_id_dropped"], true);
  EXPECT_EQ(j["inputs"][0]["sha256"].get<std::string>().size(), 64u);
}

// Scaling: mean and population std of every feature over the training rows, recomputed here
// from the raw file, give exactly the float32 values in X (train and test).
TEST(DataPrepare, OccupancyZScoreMatchesIndependentStatistics) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  EMLKIT_REQUIRE_SHARED(test, "data/occupancy/datatest.txt");
  ScratchDir dir("prep");
  auto r = RunEmlkit({"data", "prepare", "--input", train, "--test", test, "--features", kFeatures,
                      "--label", "Occupancy", "--val-frac", "0", "--out", dir.Path("ds")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  NpyArray xtr = Load(dir.Path("ds/X_train.npy")), xte = Load(dir.Path("ds/X_test.npy")),
           ytr = Load(dir.Path("ds/y_train.npy"));
  ASSERT_EQ(xtr.records(), 8143);
  auto raw = ReadSimpleCsv(train), raw_test = ReadSimpleCsv(test);
  for (size_t c = 0; c < kFeatureList.size(); ++c) {
    std::vector<double> x = Numbers(raw[kFeatureList[c]]);
    double mean = 0, var = 0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(x.size());
    for (double v : x) var += (v - mean) * (v - mean);
    const double sd = std::sqrt(var / static_cast<double>(x.size()));
    const float off = static_cast<float>(mean), scale = static_cast<float>(1.0 / sd);
    double zmean = 0;
    for (int64_t i = 0; i < xtr.records(); ++i) {
      float want = (static_cast<float>(x[i]) - off) * scale;
      ASSERT_EQ(xtr.data<float>()[i * 5 + static_cast<int64_t>(c)], want)
          << kFeatureList[c] << " row " << i;
      zmean += want;
    }
    EXPECT_NEAR(zmean / 8143, 0.0, 1e-5);
    std::vector<double> xt = Numbers(raw_test[kFeatureList[c]]);
    for (int64_t i = 0; i < xte.records(); ++i)
      ASSERT_EQ(xte.data<float>()[i * 5 + static_cast<int64_t>(c)],
                (static_cast<float>(xt[i]) - off) * scale);
  }
  for (int64_t i = 0; i < ytr.records(); ++i)
    ASSERT_EQ(ytr.data<int32_t>()[i], std::stoi(raw["Occupancy"][i]));
}

TEST(DataPrepare, MinMaxWindowsTimeSplitNoLeakage) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  ScratchDir dir("prep");
  auto r = RunEmlkit(
      {"data",     "prepare",     "--input",     train,  "--features",    "Temperature,CO2",
       "--label",  "Occupancy",   "--timestamp", "date", "--scaling",     "minmax",
       "--window", "10",          "--stride",    "5",    "--window-mode", "raw",
       "--out",    dir.Path("ds")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(ReadText(dir.Path("ds/dataset.json")));
  EXPECT_EQ(j["split"]["method"], "time");  // overlapping windows: auto picks time
  // 8143 rows cut at 70 % / 85 %: 5700 / 1221 / 1222 rows, windowed separately.
  auto records = [](int64_t rows) { return (rows - 10) / 5 + 1; };
  NpyArray xtr = Load(dir.Path("ds/X_train.npy")), xva = Load(dir.Path("ds/X_val.npy")),
           xte = Load(dir.Path("ds/X_test.npy"));
  EXPECT_EQ(xtr.shape(), (std::vector<int64_t>{records(5700), 10, 2}));
  EXPECT_EQ(xva.records(), records(1221));
  EXPECT_EQ(xte.records(), records(1222));
  // Min-max fitted on the training rows: train values in [0, 1], and the first window is rows
  // 0..9 of the file.
  auto raw = ReadSimpleCsv(train);
  std::vector<double> t = Numbers(raw["Temperature"]);
  double mn = *std::min_element(t.begin(), t.begin() + 5700);
  double mx = *std::max_element(t.begin(), t.begin() + 5700);
  for (int k = 0; k < 10; ++k)
    EXPECT_EQ(xtr.data<float>()[k * 2], (static_cast<float>(t[k]) - static_cast<float>(mn)) *
                                            static_cast<float>(1.0 / (mx - mn)));
  // The first val window starts at row 5700, not before: no window crosses the boundary.
  EXPECT_EQ(xva.data<float>()[0], (static_cast<float>(t[5700]) - static_cast<float>(mn)) *
                                      static_cast<float>(1.0 / (mx - mn)));
  EXPECT_EQ(j["feature_names"][0], "Temperature[t-9]");
}

TEST(DataPrepare, LabelRuleAndTimeFeatures) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  ScratchDir dir("prep");
  auto r = RunEmlkit({"data",
                      "prepare",
                      "--input",
                      train,
                      "--features",
                      "Temperature,CO2",
                      "--label-rule",
                      "any(Light > 300, 5)",
                      "--label-names",
                      "empty,occupied",
                      "--timestamp",
                      "date",
                      "--time-features",
                      "tod,weekend",
                      "--split",
                      "time",
                      "--scaling",
                      "none",
                      "--out",
                      dir.Path("ds")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto raw = ReadSimpleCsv(train);
  std::vector<double> light = Numbers(raw["Light"]);
  NpyArray y = Load(dir.Path("ds/y_train.npy")), x = Load(dir.Path("ds/X_train.npy"));
  ASSERT_EQ(x.shape(), (std::vector<int64_t>{5700, 5}));
  for (int64_t i = 0; i < y.records(); ++i) {
    bool any = false;
    for (int64_t k = std::max<int64_t>(0, i - 4); k <= i; ++k) any = any || light[k] > 300;
    ASSERT_EQ(y.data<int32_t>()[i], any ? 1 : 0) << "row " << i;
  }
  // Row 0 is 2015-02-04 17:51:00, a Wednesday: tod angle 2*pi*(17*3600+51*60)/86400.
  double a = 2 * M_PI * (17 * 3600 + 51 * 60) / 86400.0;
  EXPECT_EQ(x.data<float>()[2], static_cast<float>(std::sin(a)));
  EXPECT_EQ(x.data<float>()[3], static_cast<float>(std::cos(a)));
  EXPECT_EQ(x.data<float>()[4], 0.0f);
  auto j = nlohmann::json::parse(ReadText(dir.Path("ds/dataset.json")));
  EXPECT_EQ(j["label"]["names"], nlohmann::json({"empty", "occupied"}));
  EXPECT_EQ(j["label"]["rule"], "any(Light > 300, 5)");
}

// 45 s grid over 2015-02-04 17:51:00 .. 2015-02-10 09:33:00: multiples of 45 s in that range.
TEST(DataPrepare, ResampleToAFixedPeriod) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  ScratchDir dir("prep");
  auto r = RunEmlkit({"data",        "prepare",     "--input",   train,         "--features",
                      "Temperature", "--label",     "Occupancy", "--timestamp", "date",
                      "--resample",  "45",          "--split",   "time",        "--val-frac",
                      "0",           "--test-frac", "0",         "--scaling",   "none",
                      "--out",       dir.Path("ds")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const int64_t first = 1423072260, last = 1423560780;  // seconds since 1970
  NpyArray x = Load(dir.Path("ds/X_train.npy"));
  EXPECT_EQ(x.records(), last / 45 - (first + 44) / 45 + 1);
  // The first grid time 17:51:00 is the first row itself (1423072260 = 45 * 31623828).
  auto raw = ReadSimpleCsv(train);
  EXPECT_EQ(x.data<float>()[0], static_cast<float>(std::stod(raw["Temperature"][0])));
  EXPECT_NE(r.err.find("10857 rows on the 45 s grid (linear)"), std::string::npos) << r.err;
}

TEST(DataPrepare, RegressionTargetsAreRowsAhead) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  ScratchDir dir("prep");
  auto r = RunEmlkit({"data", "prepare", "--input", train, "--features", kFeatures, "--task",
                      "regression", "--target", "Temperature", "--horizon", "3", "--timestamp",
                      "date", "--out", dir.Path("ds")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto raw = ReadSimpleCsv(train);
  std::vector<double> t = Numbers(raw["Temperature"]);
  NpyArray y = Load(dir.Path("ds/y_train.npy")), yv = Load(dir.Path("ds/y_val.npy"));
  ASSERT_EQ(y.dtype(), DType::kFloat32);
  ASSERT_EQ(y.records(), 5700 - 3);  // the last 3 train rows have no target inside the split
  for (int64_t i = 0; i < y.records(); ++i)
    ASSERT_EQ(y.data<float>()[i], static_cast<float>(t[i + 3]));
  EXPECT_EQ(yv.data<float>()[0], static_cast<float>(t[5700 + 3]));
  auto j = nlohmann::json::parse(ReadText(dir.Path("ds/dataset.json")));
  EXPECT_EQ(j["task"], "regression");
  EXPECT_EQ(j["target"]["horizon"], 3);
}

// Both NAB files load unedited; anomaly labels equal the windows' rows counted here.
TEST(DataPrepare, NabAnomalyLabelsFromWindows) {
  EMLKIT_REQUIRE_SHARED(windows, "data/nab/labels/combined_windows.json");
  for (const char* name :
       {"machine_temperature_system_failure", "ambient_temperature_system_failure"}) {
    std::string csv = testing::SharedPath(std::string("data/nab/data/") + name + ".csv");
    ASSERT_FALSE(csv.empty());
    ScratchDir dir("prep");
    auto r = RunEmlkit({"data",        "prepare", "--input",         csv,
                        "--features",  "value",   "--timestamp",     "timestamp",
                        "--task",      "anomaly", "--label-windows", windows,
                        "--order",     "segment", "--val-frac",      "0",
                        "--test-frac", "0",       "--out",           dir.Path("ds")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(ReadText(windows));
    auto ranges = j[std::string("realKnownCause/") + name + ".csv"];
    auto raw = ReadSimpleCsv(csv);
    auto secs = [](const std::string& s) {  // "YYYY-MM-DD hh:mm:ss[.ffffff]" via timegm
      std::tm tm{};
      strptime(s.c_str(), "%Y-%m-%d %H:%M:%S", &tm);
      return static_cast<double>(timegm(&tm));
    };
    std::vector<int32_t> want;
    for (const std::string& ts : raw["timestamp"]) {
      double t = secs(ts);
      bool in = false;
      for (const auto& w : ranges)
        in = in || (t >= secs(w[0].get<std::string>()) && t <= secs(w[1].get<std::string>()));
      want.push_back(in);
    }
    NpyArray y = Load(dir.Path("ds/y_train.npy"));
    ASSERT_EQ(y.records(), static_cast<int64_t>(want.size())) << name;
    int64_t ones = 0;
    for (int64_t i = 0; i < y.records(); ++i) {
      ASSERT_EQ(y.data<int32_t>()[i], want[i]) << name << " row " << i;
      ones += want[i];
    }
    EXPECT_GT(ones, 0);
    auto d = nlohmann::json::parse(ReadText(dir.Path("ds/dataset.json")));
    EXPECT_EQ(d["label"]["names"], nlohmann::json({"normal", "anomaly"}));
  }
}

// A TOML config gives the same bytes as the equivalent flags; two runs give the same bytes.
TEST(DataPrepare, ConfigEqualsFlagsAndRunsAreDeterministic) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  ScratchDir dir("prep");
  testing::WriteText(dir.Path("cfg.toml"),
                     "[train]\nepochs = 3  # other stages' sections are left alone\n"
                     "[data]\ninput = [\"" +
                         train +
                         "\"]\nfeatures = [\"Temperature\", \"CO2\"]\n"
                         "label = \"Occupancy\"\n[data.split]\nseed = 7\nval = 0.2\n"
                         "[data.clip]\nCO2 = [400, 1500]\n");
  auto a = RunEmlkit({"data", "prepare", "--config", dir.Path("cfg.toml"), "--out", dir.Path("a")});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto b = RunEmlkit({"data", "prepare", "--input", train, "--features", "Temperature,CO2",
                      "--label", "Occupancy", "--seed", "7", "--val-frac", "0.2", "--clip",
                      "CO2=400:1500", "--out", dir.Path("b")});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto c = RunEmlkit({"data", "prepare", "--config", dir.Path("cfg.toml"), "--out", dir.Path("c")});
  for (const char* f : {"X_train.npy", "y_train.npy", "X_val.npy", "X_test.npy"}) {
    EXPECT_EQ(ReadText(dir.Path(std::string("a/") + f)), ReadText(dir.Path(std::string("b/") + f)))
        << f;
    EXPECT_EQ(ReadText(dir.Path(std::string("a/") + f)), ReadText(dir.Path(std::string("c/") + f)))
        << f;
  }
  EXPECT_EQ(ReadText(dir.Path("a/dataset.json")), ReadText(dir.Path("c/dataset.json")));
  auto j = nlohmann::json::parse(ReadText(dir.Path("a/dataset.json")));
  EXPECT_EQ(j["pipeline"]["clean"]["clip"]["CO2"], nlohmann::json({400.0, 1500.0}));
  // A different seed gives a different split.
  auto d = RunEmlkit(
      {"data", "prepare", "--config", dir.Path("cfg.toml"), "--seed", "8", "--out", dir.Path("d")});
  ASSERT_EQ(d.exit_code, 0);
  EXPECT_NE(ReadText(dir.Path("a/y_val.npy")), ReadText(dir.Path("d/y_val.npy")));
}

}  // namespace
}  // namespace emlkit
