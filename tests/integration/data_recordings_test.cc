// Issue 15: recordings in the Arduino gesture layout (two files, punch.csv and flex.csv, columns
// aX,aY,aZ,gX,gY,gZ, many 119-row takes one after another, blank-line separated in one file and
// not in the other, no label or time column), generated here. Windows never cross a recording,
// labels come from the file names, the group split keeps recordings whole and every class in
// every split, and each silently broken case of the issue now exits 2 naming cause and fix.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/fs.h"
#include "integration/data_test_util.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using nlohmann::json;
using testing::CliResult;
using testing::Load;
using testing::ReadText;
using testing::RunEmlkit;
using testing::WriteText;

constexpr int kRows = 119;  // one take: 1 s at 119 Hz
constexpr int kTakes = 12;  // per file
const char* kImu = "aX,aY,aZ,gX,gY,gZ";

// One gesture file. With `tag`, gZ = take id * 1000 + row in the take (to check windows);
// take ids start at `first_id`. Punch: a spike on aX; flex: a slow swing on aY and gX.
std::string GestureCsv(bool punch, bool blank_lines, bool tag, int first_id, int takes = kTakes) {
  std::string s = "aX,aY,aZ,gX,gY,gZ\n";
  char line[160];
  for (int t = 0; t < takes; ++t) {
    for (int i = 0; i < kRows; ++i) {
      const double u = static_cast<double>(i) / kRows, w = 0.1 * std::sin(0.7 * i + 3.1 * t);
      const double ax = punch ? 3.5 * std::exp(-std::pow((u - 0.3) / 0.08, 2)) + w : w;
      const double ay = punch ? w : 1.5 * std::sin(M_PI * u) + w;
      const double gx = punch ? 20 * w : 300 * std::sin(2 * M_PI * u);
      const double gz = tag ? (first_id + t) * 1000.0 + i : 10 * w;
      std::snprintf(line, sizeof line, "%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n", ax, ay, -1 + w, gx,
                    punch ? 150 * std::sin(2 * M_PI * u) : 5 * w, gz);
      s += line;
    }
    if (blank_lines && t + 1 < takes) s += "\n";
  }
  return s;
}

struct Gestures {
  ScratchDir dir{"gest"};
  std::string punch, flex;
  explicit Gestures(bool tag) {
    std::filesystem::create_directories(dir.Path("g"));
    punch = dir.Path("g/punch.csv");
    flex = dir.Path("g/flex.csv");
    WriteText(punch, GestureCsv(true, true, tag, 0));
    WriteText(flex, GestureCsv(false, false, tag, kTakes));
  }
};

CliResult Prepare(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"data", "prepare"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunEmlkit(args);
}

// Exit 2, every expected piece in the message, no output folder.
void ExpectBroken(const CliResult& r, const std::string& out,
                  const std::vector<std::string>& pieces) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  for (const std::string& p : pieces) EXPECT_NE(r.err.find(p), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out)) << out;
}

TEST(DataRecordings, WindowsStayInsideRecordingsAndGroupSplitKeepsThemWhole) {
  Gestures g(/*tag=*/true);
  const std::string out = g.dir.Path("ds");
  // Windows of 500 ms every 250 ms at 119 Hz; raw and unscaled, so gZ can be read back.
  const std::vector<std::string> opts = {
      "--features", kImu,    "--segment",     "1s",  "--rate",    "119Hz", "--window", "500ms",
      "--stride",   "250ms", "--window-mode", "raw", "--scaling", "none"};
  auto run = [&](std::vector<std::string> in, const std::string& to) {
    in.insert(in.end(), opts.begin(), opts.end());
    in.push_back("--out");
    in.push_back(to);
    return Prepare(in);
  };
  CliResult r = run({"--input", g.punch + ":punch", "--input", g.flex + ":flex"}, out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(ReadText(out + "/dataset.json"));
  EXPECT_EQ(j["split"]["method"], "group");  // auto: the data has recordings
  EXPECT_EQ(j["label"]["names"], json({"flex", "punch"}));
  EXPECT_EQ(j["record_shape"], json({60, 6}));  // 500 ms at 119 Hz = 59.5 -> 60 rows
  EXPECT_EQ(j["recordings"]["count"], 2 * kTakes);
  EXPECT_EQ(j["recordings"]["blank_lines"], kTakes - 1);
  // Two windows per take (ending at rows 59 and 89; stride 30 rows), each in exactly one split.
  for (const json& rec : j["recordings"]["list"]) {  // [file, line, rows, group, train, val, test]
    EXPECT_EQ(rec[2], kRows);
    const auto n = rec.get<std::vector<json>>();
    const int64_t tr = n[4].get<int64_t>(), va = n[5].get<int64_t>(), te = n[6].get<int64_t>();
    EXPECT_EQ(tr + va + te, 2);
    EXPECT_EQ((tr > 0) + (va > 0) + (te > 0), 1) << rec.dump();
  }
  const char* splits[3] = {"train", "val", "test"};
  std::set<int> seen[3];
  for (int s = 0; s < 3; ++s) {
    for (int64_t c : j["split"]["class_counts"][splits[s]].get<std::vector<int64_t>>())
      EXPECT_GT(c, 0) << splits[s];
    NpyArray x = Load(out + "/X_" + splits[s] + ".npy"), y = Load(out + "/y_" + splits[s] + ".npy");
    for (int64_t k = 0; k < x.records(); ++k) {
      const float* w = x.data<float>() + k * 60 * 6;
      const int take = static_cast<int>(w[5]) / 1000;
      for (int row = 0; row < 60; ++row) {  // one take, consecutive rows: no window crosses
        ASSERT_EQ(static_cast<int>(w[row * 6 + 5]),
                  take * 1000 + static_cast<int>(w[5]) % 1000 + row)
            << splits[s] << " record " << k;
      }
      EXPECT_EQ(y.data<int32_t>()[k], take < kTakes ? 1 : 0);  // punch = 1, flex = 0
      seen[s].insert(take);
    }
  }
  for (int a = 0; a < 3; ++a)
    for (int b = a + 1; b < 3; ++b)
      for (int t : seen[a]) EXPECT_EQ(seen[b].count(t), 0u) << "take " << t << " in two splits";

  // The same data set from a glob with labels from the file names.
  const std::string out2 = g.dir.Path("ds2");
  r = run({"--input", g.dir.Path("g/*.csv"), "--label-from", "filename"}, out2);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The glob sorts: flex.csv comes first. The same files named with labels, in that order:
  const std::string out3 = g.dir.Path("ds3");
  r = run({"--input", g.flex + ":flex", "--input", g.punch + ":punch"}, out3);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"/X_train.npy", "/y_train.npy", "/X_test.npy", "/y_test.npy"})
    EXPECT_TRUE(ReadText(out2 + f) == ReadText(out3 + f)) << f;
  EXPECT_EQ(json::parse(ReadText(out2 + "/dataset.json"))["label"]["from"], "filename");
}

TEST(DataRecordings, GroupColumnStartsRecordings) {
  ScratchDir dir("grp");
  std::string csv = "take,x,label\n";
  for (int t = 0; t < 9; ++t)
    for (int i = 0; i < 10; ++i)
      csv += std::to_string(t) + "," + std::to_string(t % 3 == 0 ? i : -i) + "," +
             (t % 3 == 0 ? "up" : "down") + "\n";
  WriteText(dir.Path("a.csv"), csv);
  CliResult r = Prepare({"--input", dir.Path("a.csv"), "--features", "x", "--label", "label",
                         "--group", "take", "--window", "4", "--stride", "2", "--val-frac", "0.34",
                         "--test-frac", "0.34", "--out", dir.Path("ds")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(ReadText(dir.Path("ds/dataset.json")));
  EXPECT_EQ(j["recordings"]["count"], 9);
  EXPECT_EQ(j["recordings"]["group_values"].size(), 9u);
  EXPECT_EQ(j["split"]["method"], "group");
  EXPECT_EQ(j["split"]["groups"]["val"], 3);  // one "up" take, two "down" ones
  EXPECT_NE(r.err.find("warning: the validation split is small: "), std::string::npos) << r.err;
}

TEST(DataRecordings, BrokenDataSetsExitTwoWithCauseAndFix) {
  Gestures g(/*tag=*/false);
  const std::string out = g.dir.Path("bad");
  const std::vector<std::string> in = {"--input",        g.punch + ":punch", "--input",
                                       g.flex + ":flex", "--features",       kImu};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = in;
    a.insert(a.end(), extra.begin(), extra.end());
    a.push_back("--out");
    a.push_back(out);
    return Prepare(a);
  };
  // A window longer than any recording (and than flex.csv): nothing fits.
  ExpectBroken(with({"--window", "2000"}), out,
               {"no window fits", "shorter than the recordings", "at most 1428 rows"});
  // Windows longer than punch's blank-line recordings: punch gets no record.
  ExpectBroken(with({"--window", "150", "--stride", "150"}), out,
               {"class 'punch'", "longest recording has 119 rows", "shorter --window"});
  // The time split over files one class each: punch lands in train only.
  ExpectBroken(
      with({"--window", "60", "--stride", "30", "--split", "time"}), out,
      {"class 'punch' is in train but has no record in the validation split", "--split group"});
  // flex.csv has no blank lines: one recording, so it cannot be in every split.
  ExpectBroken(with({"--window", "60", "--stride", "30"}), out,
               {"class 'flex'", "validation split", "--segment-rows"});
  // Overlapping windows under a random split leak; --allow-leakage lets it through.
  ExpectBroken(
      with({"--window", "60", "--stride", "30", "--segment-rows", "119", "--split", "random"}), out,
      {"overlapping windows", "--allow-leakage", "--split group"});
  EXPECT_EQ(with({"--window", "60", "--stride", "30", "--segment-rows", "119", "--split", "random",
                  "--allow-leakage"})
                .exit_code,
            0);
  std::filesystem::remove_all(out);
  // Time units need the rate; feature names are case-sensitive.
  ExpectBroken(with({"--window", "1s"}), out, {"--rate", "--window 119"});
  ExpectBroken(Prepare({"--input", g.punch + ":punch", "--input", g.flex + ":flex", "--features",
                        "ax,aY", "--out", out}),
               out, {"no column 'ax'", "case-sensitive", "'aX'"});
}

// The five commands of the README's IMU flow, on generated files: inspect, prepare (labels from
// files, windows in time, group split), train, quantize (calibrating on train + validation),
// eval; then a data set whose test split lost a class is refused by train.
TEST(DataRecordings, ImuFlowFiveCommands) {
  Gestures g(/*tag=*/false);
  auto path = [&](const std::string& n) { return g.dir.Path(n); };
  CliResult r = RunEmlkit({"data", "inspect", g.punch});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Prepare({"--input", g.punch + ":punch", "--input", g.flex + ":flex", "--features", kImu,
               "--rate", "119Hz", "--segment", "1s", "--window", "1s", "--stride", "1s", "--out",
               path("ds")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunEmlkit({"train", "--data", path("ds"), "--out", path("m.tflite"), "--epochs", "40",
                 "--layers", "flatten,dense:8:relu", "--quiet", "--json", "--cv", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // --cv 3: folds of whole takes over train + val (16 + 4 takes), every take held out once.
  const json cv = json::parse(r.out)["cv"];
  ASSERT_EQ(cv["folds"].size(), 3u) << r.out;
  int64_t held_out = 0;
  for (const json& f : cv["folds"]) held_out += f["val_recordings"].get<int64_t>();
  EXPECT_EQ(held_out, 2 * kTakes - 4);
  EXPECT_GE(cv["mean"].get<double>(), 0.9) << cv.dump();
  EXPECT_NE(r.err.find("cv: accuracy"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("warning: the validation split is small: "), std::string::npos) << r.err;
  r = RunEmlkit({"quantize", path("m.tflite"), "--calib", path("ds"), "--calib-split", "train,val",
                 "--out", path("q.tflite")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("train + val splits"), std::string::npos) << r.out;
  r = RunEmlkit({"eval", path("q.tflite"), "--data", path("ds"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json e = json::parse(r.out.substr(r.out.find('{')));
  const json& m = e.is_array() ? e[0] : e;
  EXPECT_GE(m["metrics"]["accuracy"].get<double>(), 0.99) << r.out;

  // A test split without punch (as an older prepare could write): train refuses it.
  NpyArray y = Load(path("ds/y_test.npy"));
  for (int64_t i = 0; i < y.records(); ++i) y.data<int32_t>()[i] = 0;
  ASSERT_TRUE(WriteNpy(path("ds/y_test.npy"), y).ok());
  r = RunEmlkit({"train", "--data", path("ds"), "--out", path("m2.tflite"), "--quiet"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("class 'punch' is in train but has no record in the test split"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(path("m2.tflite")));
}

}  // namespace
}  // namespace emlkit
