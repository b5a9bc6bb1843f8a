// `emlkit roomsim` end to end: the CSV contract, determinism, the JSON summary and bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "integration/roomsim_csv.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::ParseRoomCsv;
using testing::PathExists;
using testing::ReadText;
using testing::RoomRow;
using testing::RunEmlkit;

constexpr const char* kHeader =
    "timestamp,temperature_c,humidity_pct,light_lux,co2_ppm,motion,occupied,occupants,heater_w,"
    "fault";

TEST(RoomsimCli, WritesTheDocumentedColumns) {
  ScratchDir dir("roomsim");
  std::string out = dir.Path("office.csv");
  auto r = RunEmlkit({"roomsim", "--days", "2", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << "without --json stdout stays empty";
  EXPECT_NE(r.err.find("wrote 2880 rows"), std::string::npos) << r.err;
  std::string header;
  std::vector<RoomRow> rows = ParseRoomCsv(ReadText(out), &header);
  EXPECT_EQ(header, kHeader);
  ASSERT_EQ(rows.size(), 2880u);
  EXPECT_EQ(rows.front().timestamp, "2024-02-05 00:00:00");
  EXPECT_EQ(rows.back().timestamp, "2024-02-06 23:59:00");
  int occupied = 0;
  for (const RoomRow& row : rows) {
    ASSERT_EQ(row.timestamp.size(), 19u);
    EXPECT_FALSE(std::isnan(row.temperature_c));
    EXPECT_GE(row.co2_ppm, 300);
    EXPECT_GE(row.motion, 0);
    EXPECT_EQ(row.occupied, row.occupants > 0 ? 1 : 0);
    EXPECT_EQ(row.fault, "none");
    occupied += row.occupied;
  }
  EXPECT_GT(occupied, 300);  // a Monday and a Tuesday in an office
}

TEST(RoomsimCli, SameSeedSameBytesOtherSeedOtherBytes) {
  ScratchDir dir("roomsim");
  std::vector<std::string> common = {"roomsim",  "--room",        "living",     "--days", "3",
                                     "--faults", "spike,dropout", "--scenario", "pet:2"};
  auto run = [&](const std::string& seed, const std::string& name) {
    std::vector<std::string> args = common;
    args.insert(args.end(), {"--seed", seed, "--out", dir.Path(name)});
    EXPECT_EQ(RunEmlkit(args).exit_code, 0);
    return ReadText(dir.Path(name));
  };
  std::string a = run("42", "a.csv"), b = run("42", "b.csv"), c = run("43", "c.csv");
  EXPECT_GT(a.size(), 100000u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(RoomsimCli, JsonSummaryOnStdout) {
  ScratchDir dir("roomsim");
  auto r = RunEmlkit({"roomsim", "--room", "bedroom", "--days", "2", "--period", "5m", "--start",
                      "2024-12-30", "--json", "--out", dir.Path("b.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["room"], "bedroom");
  EXPECT_EQ(j["period_s"], 300);
  EXPECT_EQ(j["rows"], 576);
  EXPECT_EQ(j["rows_written"], 576);
  EXPECT_GT(j["occupied_fraction"].get<double>(), 0.25);  // nights in the bedroom
  EXPECT_GT(j["heater_kwh"].get<double>(), 0.0);
  std::string header;
  std::vector<RoomRow> rows = ParseRoomCsv(ReadText(dir.Path("b.csv")), &header);
  ASSERT_EQ(rows.size(), 576u);
  EXPECT_EQ(rows[1].timestamp, "2024-12-30 00:05:00");
  EXPECT_EQ(rows.back().timestamp, "2024-12-31 23:55:00");
  EXPECT_EQ(rows[0].occupied, 1);  // asleep at midnight
}

TEST(RoomsimCli, HeatingOffMeansNoHeater) {
  ScratchDir dir("roomsim");
  auto r = RunEmlkit(
      {"roomsim", "--days", "1", "--heating", "off", "--json", "--out", dir.Path("o.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["heater_kwh"].get<double>(), 0.0);
}

struct BadCase {
  std::vector<std::string> args;
  std::string message;
};

TEST(RoomsimCli, BadInputIsExitTwoWithAMessageAndNoFile) {
  ScratchDir dir("roomsim");
  std::string out = dir.Path("x.csv");
  std::vector<BadCase> cases = {
      {{"--room", "kitchen"}, "unknown room 'kitchen'"},
      {{"--scenario", "sunny"}, "unknown scenario 'sunny'"},
      {{"--scenario", "pet:9"}, "not within the run's days 1-2"},
      {{"--days", "0"}, "--days 0"},
      {{"--days", "-3"}, "--days -3"},
      {{"--period", "0s"}, "--period '0s'"},
      {{"--period", "-60s"}, "--period"},
      {{"--period", "7s"}, "divide a day"},
      {{"--start", "2024-02-30"}, "--start '2024-02-30'"},
      {{"--faults", "gremlins"}, "unknown fault 'gremlins'"},
      {{"--heating", "fire"}, "--heating 'fire'"},
      {{"--scenario", "sunny-empty", "--scenario", "brief-entry:2"}, "both decide"},
  };
  for (const BadCase& c : cases) {
    std::vector<std::string> args = {"roomsim", "--out", out};
    args.insert(args.end(), c.args.begin(), c.args.end());
    if (c.args[0] != "--days") args.insert(args.end(), {"--days", "2"});
    auto r = RunEmlkit(args);
    EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(PathExists(out)) << c.message;
  }
}

TEST(RoomsimCli, UnwritableOutputIsExitTwoAndLeavesNothing) {
  ScratchDir dir("roomsim");
  auto r = RunEmlkit({"roomsim", "--days", "1", "--out", dir.Path("missing/dir/x.csv")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing/dir"), std::string::npos) << r.err;
  auto folder = RunEmlkit({"roomsim", "--days", "1", "--out", dir.path()});
  EXPECT_EQ(folder.exit_code, 2) << folder.err;
  auto none = RunEmlkit({"roomsim", "--days", "1"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("--out"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace emlkit
