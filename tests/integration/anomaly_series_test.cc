// The unsupervised anomaly flow end to end on a synthetic series generated here: a noisy daily
// wave with injected anomalies (two spikes, a level shift, a stuck stretch, a frequency change).
// data prepare (no labels, --train-until) -> train (threshold auto) -> quantize -> eval (labels
// only for scoring) -> predict, float and int8.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/fs.h"
#include "data/timestamp.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;

constexpr int kRows = 6000;
constexpr double kStart = 1.7e9;  // seconds since 1970, one row a minute
constexpr int kPeriod = 120;      // rows per wave

struct Injected {
  const char* what;
  int begin, end;  // rows [begin, end)
};
// All after the training part (the first 40 % = 2400 rows).
const Injected kInjected[] = {{"spike", 2900, 2901},
                              {"spike", 3300, 3301},
                              {"level shift", 3800, 3900},
                              {"stuck", 4400, 4520},
                              {"frequency change", 5000, 5150}};

std::string Time(int row) { return data::FormatTimestamp(kStart + 60.0 * row); }

// The series (seeded noise) as CSV, and NAB-style windows around each injection.
void WriteSeries(const std::string& csv, const std::string& windows) {
  uint64_t s = 12345;
  auto noise = [&] {  // uniform in [-1, 1)
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / static_cast<double>(1ULL << 52) - 1.0;
  };
  std::ostringstream out;
  out << "timestamp,value\n";
  double v = 0, phase = 0;
  for (int i = 0; i < kRows; ++i) {
    double step = 2 * M_PI / kPeriod;
    if (i >= 5000 && i < 5150) step *= 4;  // frequency change
    phase += step;
    const bool stuck = i >= 4400 && i < 4520;
    if (!stuck) v = 20 + 5 * std::sin(phase) + 0.3 * noise();
    double x = v;
    if (i == 2900 || i == 3300) x += 12;  // spikes
    if (i >= 3800 && i < 3900) x += 8;    // level shift
    out << Time(i) << ',' << x << '\n';
  }
  testing::WriteText(csv, out.str());
  nlohmann::json w = nlohmann::json::array();
  for (const Injected& a : kInjected) w.push_back({Time(a.begin), Time(a.end + 29)});
  testing::WriteText(windows, nlohmann::json({{"synthetic.csv", w}}).dump());
}

std::vector<std::string> Prepare(const std::string& csv, const std::string& out) {
  return {"data",     "prepare", "--task",        "anomaly",   "--input",       csv,
          "--out",    out,       "--timestamp",   "timestamp", "--features",    "value",
          "--window", "30",      "--window-mode", "raw",       "--train-until", "0.4"};
}

nlohmann::json Json(const testing::CliResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, false);
}

class AnomalySeries : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir();
    csv_ = dir_->Path("synthetic.csv");
    WriteSeries(csv_, dir_->Path("windows.json"));
    // Unsupervised: no labels for training.
    auto prep = RunEmlkit(Prepare(csv_, dir_->Path("ds")));
    ASSERT_EQ(prep.exit_code, 0) << prep.err;
    // The same preparation with the windows, to score against.
    std::vector<std::string> labelled = Prepare(csv_, dir_->Path("labelled"));
    labelled.insert(labelled.end(), {"--label-windows", dir_->Path("windows.json")});
    auto prep2 = RunEmlkit(labelled);
    ASSERT_EQ(prep2.exit_code, 0) << prep2.err;
    auto train = RunEmlkit({"train", "--data", dir_->Path("ds"), "--out", Float(), "--json"});
    ASSERT_EQ(train.exit_code, 0) << train.err;
    train_summary_ = new nlohmann::json(nlohmann::json::parse(train.out));
    auto q = RunEmlkit(
        {"quantize", Float(), "--calib", dir_->Path("labelled"), "--out", Int8(), "--json"});
    ASSERT_EQ(q.exit_code, 0) << q.err;
    quantize_report_ = new nlohmann::json(nlohmann::json::parse(q.out));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete train_summary_;
    delete quantize_report_;
  }
  static std::string Float() { return dir_->Path("ad.tflite"); }
  static std::string Int8() { return dir_->Path("ad_int8.tflite"); }
  static inline ScratchDir* dir_ = nullptr;
  static inline std::string csv_;
  static inline nlohmann::json* train_summary_ = nullptr;
  static inline nlohmann::json* quantize_report_ = nullptr;
};

TEST_F(AnomalySeries, UnsupervisedFlowFindsEveryInjectedAnomalyFloatAndInt8) {
  ASSERT_NE(train_summary_, nullptr);
  EXPECT_EQ((*train_summary_)["anomaly_threshold_rule"], "auto (1.5 x quantile:0.999)");
  for (const std::string& model : {Float(), Int8()}) {
    SCOPED_TRACE(model);
    nlohmann::json ev =
        Json(RunEmlkit({"eval", model, "--data", dir_->Path("labelled"), "--json"}));
    EXPECT_EQ(ev["windows"], 5) << ev.dump();
    EXPECT_EQ(ev["windows_found"], 5) << ev.dump();
    EXPECT_LT(ev["fp_per_1000"].get<double>(), 5.0) << ev.dump();
    EXPECT_GT(ev["auc"].get<double>(), 0.9);
    EXPECT_FALSE(ev.contains("warnings")) << ev["warnings"].dump();  // same pipeline
  }
  const nlohmann::json& flags = (*quantize_report_)["anomaly_flags"];
  EXPECT_GE(flags["agreement"].get<double>(), 0.99) << flags.dump();
  EXPECT_GT(flags["int8_max_score"].get<double>(), flags["threshold"].get<double>());
}

// Row k of predict's output is row k of the input: the first 29 rows (the first window) empty.
void ExpectLinedUp(const std::string& pred_csv, const std::string& input_csv, int window) {
  std::istringstream p(pred_csv), in(testing::ReadText(input_csv));
  std::string pl, il;
  std::getline(p, pl);
  std::getline(in, il);
  EXPECT_EQ(pl, "timestamp,score,anomaly");
  int row = 0, flagged = 0;
  while (std::getline(in, il)) {
    ASSERT_TRUE(std::getline(p, pl)) << "output ends at row " << row;
    EXPECT_EQ(pl.substr(0, 19), il.substr(0, 19)) << "row " << row;
    const bool empty = pl.substr(19) == ",,";
    EXPECT_EQ(empty, row < window - 1) << "row " << row << ": " << pl;
    flagged += pl.size() > 2 && pl.substr(pl.size() - 2) == ",1";
    ++row;
  }
  EXPECT_FALSE(std::getline(p, pl)) << "extra output row: " << pl;
  EXPECT_EQ(row, kRows);
  EXPECT_GT(flagged, 0);
}

TEST_F(AnomalySeries, PredictLinesUpRowForRowFloatAndInt8) {
  for (const std::string& model : {Float(), Int8()}) {
    SCOPED_TRACE(model);
    const std::string out = dir_->Path("pred.csv");
    nlohmann::json s = Json(RunEmlkit({"predict", model, "--input", csv_, "--out", out, "--json"}));
    EXPECT_EQ(s["rows"], kRows);
    EXPECT_EQ(s["predicted"], kRows - 29);
    ExpectLinedUp(testing::ReadText(out), csv_, 30);
  }
}

TEST_F(AnomalySeries, PredictRowWiseModelHasNoEmptyRows) {
  const std::string ds = dir_->Path("rows_ds"), model = dir_->Path("rows.tflite");
  std::vector<std::string> prep = Prepare(csv_, ds);
  prep.resize(prep.size() - 6);  // no window options
  prep.insert(prep.end(), {"--train-until", "0.4"});
  ASSERT_EQ(RunEmlkit(prep).exit_code, 0);
  ASSERT_EQ(
      RunEmlkit({"train", "--data", ds, "--out", model, "--epochs", "5", "--quiet"}).exit_code, 0);
  const std::string int8 = dir_->Path("rows_int8.tflite");
  ASSERT_EQ(
      RunEmlkit({"quantize", model, "--calib", ds, "--out", int8, "--max-flag-disagreement", "1"})
          .exit_code,
      0);
  for (const std::string& m : {model, int8}) {
    SCOPED_TRACE(m);
    const std::string out = dir_->Path("rows_pred.csv");
    ASSERT_EQ(RunEmlkit({"predict", m, "--input", csv_, "--out", out, "--quiet"}).exit_code, 0);
    ExpectLinedUp(testing::ReadText(out), csv_, 1);
  }
}

// A threshold far above every calibration score: quantize widens the output range so the int8
// model can still flag (or refuses), never silently writes a model that cannot.
TEST_F(AnomalySeries, ThresholdAboveTheCalibratedRangeStaysRepresentable) {
  const std::string high = dir_->Path("high.tflite"), high8 = dir_->Path("high_int8.tflite");
  ASSERT_EQ(RunEmlkit({"train", "--data", dir_->Path("ds"), "--out", high, "--threshold", "50",
                       "--epochs", "3", "--quiet"})
                .exit_code,
            0);
  nlohmann::json q = Json(
      RunEmlkit({"quantize", high, "--calib", dir_->Path("labelled"), "--out", high8, "--json"}));
  EXPECT_EQ(q["anomaly_flags"]["threshold"], 50.0);
  EXPECT_GE(q["anomaly_flags"]["int8_max_score"].get<double>(), 99.0) << q.dump();
  EXPECT_NE(q.value("threshold_note", "").find("widened"), std::string::npos) << q.dump();
  nlohmann::json ins = Json(RunEmlkit({"inspect", high8, "--json"}));
  EXPECT_EQ(ins["metadata"]["anomaly"]["threshold"], 50.0);
  EXPECT_EQ(ins["metadata"]["anomaly"]["threshold_rule"], "50");
}

}  // namespace
}  // namespace emlkit
