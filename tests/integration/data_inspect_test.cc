// `emlkit data inspect` on the real files, checked against values computed here.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "integration/data_test_util.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using nlohmann::json;
using testing::RunEmlkit;

json Column(const json& j, const std::string& name) {
  for (const json& c : j["columns"])
    if (c["name"] == name) return c;
  return json();
}

TEST(DataInspect, OccupancyJsonMatchesTheFile) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  auto r = RunEmlkit({"data", "inspect", train, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);  // stdout holds only the JSON document
  EXPECT_EQ(j["rows"], 8143);
  EXPECT_EQ(j["row_id_dropped"], true);
  ASSERT_EQ(j["columns"].size(), 7u);
  EXPECT_EQ(Column(j, "date")["type"], "timestamp");
  EXPECT_EQ(Column(j, "date")["time"]["median_step_s"], 60.0);
  EXPECT_EQ(Column(j, "date")["time"]["out_of_order"], 0);
  EXPECT_EQ(Column(j, "date")["time"]["first"], "2015-02-04 17:51:00");
  EXPECT_EQ(Column(j, "Temperature")["type"], "number");
  EXPECT_EQ(Column(j, "Occupancy")["type"], "boolean");
  EXPECT_EQ(Column(j, "Occupancy")["classes"],
            json::parse(R"([{"count":6414,"value":"0"},{"count":1729,"value":"1"}])"));
  auto raw = testing::ReadSimpleCsv(train);
  for (const char* name : {"Temperature", "Humidity", "Light", "CO2", "HumidityRatio"}) {
    std::vector<double> x = testing::Numbers(raw[name]);
    double mean = 0, var = 0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(x.size());
    for (double v : x) var += (v - mean) * (v - mean);
    json c = Column(j, name);
    EXPECT_EQ(c["count"], 8143) << name;
    EXPECT_EQ(c["missing"], 0) << name;
    EXPECT_NEAR(c["mean"].get<double>(), mean, 1e-9 * std::fabs(mean)) << name;
    EXPECT_NEAR(c["std"].get<double>(), std::sqrt(var / x.size()), 1e-9 * std::sqrt(var)) << name;
    EXPECT_EQ(c["min"].get<double>(), *std::min_element(x.begin(), x.end())) << name;
    EXPECT_EQ(c["max"].get<double>(), *std::max_element(x.begin(), x.end())) << name;
  }
  // The text report says the same in words.
  auto t = RunEmlkit({"data", "inspect", train});
  ASSERT_EQ(t.exit_code, 0);
  EXPECT_NE(t.out.find("8143 rows x 7 columns"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("unnamed leading row id dropped"), std::string::npos);
  EXPECT_NE(t.out.find("classes of Occupancy:  0 6414 (78.8%)  1 1729 (21.2%)"), std::string::npos);
}

TEST(DataInspect, NabMachineTemperatureShowsTheRepeatedHour) {
  EMLKIT_REQUIRE_SHARED(csv, "data/nab/data/machine_temperature_system_failure.csv");
  auto r = RunEmlkit({"data", "inspect", csv, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["rows"], 22695);
  json t = Column(j, "timestamp")["time"];
  EXPECT_EQ(t["median_step_s"], 300.0);
  EXPECT_EQ(t["out_of_order"], 1);
  EXPECT_EQ(t["out_of_order_lines"], json({10151}));
  EXPECT_NE(j["problems"].dump().find("1 row is earlier than the row before (first at line 10151, "
                                      "3300 s back)"),
            std::string::npos)
      << j["problems"];
  EMLKIT_REQUIRE_SHARED(amb, "data/nab/data/ambient_temperature_system_failure.csv");
  auto a = RunEmlkit({"data", "inspect", amb, "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  json aj = json::parse(a.out);
  EXPECT_EQ(Column(aj, "timestamp")["time"]["median_step_s"], 3600.0);
  // pandas: 9 steps longer than 2 h (3 h .. 174 h), the largest 626400 s.
  EXPECT_EQ(Column(aj, "timestamp")["time"]["gaps"], 9);
  EXPECT_EQ(Column(aj, "timestamp")["time"]["largest_step_s"], 626400.0);
}

// Spikes, stuck runs, missing values and a text cell in a number column are reported (exit 0).
TEST(DataInspect, FlagsSpikesStuckRunsAndBadCells) {
  ScratchDir dir("insp");
  std::string csv = "time,temp,hum,state\n";
  for (int i = 0; i < 400; ++i) {
    double temp = 20 + 0.01 * (i % 7) + (i == 150 ? 15 : 0);             // one spike at row 150
    double hum = i >= 200 && i < 300 ? 41.5 : 40 + 0.1 * ((i * 7) % 5);  // stuck for 100 rows
    char line[128];
    std::snprintf(line, sizeof line, "2024-01-01 %02d:%02d:00,%.2f,%s,%s\n", i / 60, i % 60, temp,
                  i == 77 ? "" : (i == 99 ? "oops" : std::to_string(hum).c_str()),
                  i % 3 ? "idle" : "busy");
    csv += line;
  }
  testing::WriteText(dir.Path("log.csv"), csv);
  auto r = RunEmlkit({"data", "inspect", dir.Path("log.csv"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  json temp = Column(j, "temp"), hum = Column(j, "hum"), state = Column(j, "state");
  EXPECT_EQ(temp["spikes"]["count"], 1);
  EXPECT_EQ(temp["spikes"]["examples"][0]["line"], 152);  // header is line 1, row 150 is line 152
  EXPECT_EQ(hum["stuck"]["count"], 1);
  EXPECT_EQ(hum["stuck"]["longest"][0]["rows"], 100);
  EXPECT_EQ(hum["stuck"]["longest"][0]["first_line"], 202);
  EXPECT_EQ(hum["missing"], 1);
  EXPECT_EQ(hum["invalid"]["count"], 1);
  EXPECT_EQ(hum["invalid"]["first"], dir.Path("log.csv") + ":101:27");
  EXPECT_EQ(state["type"], "text");
  EXPECT_EQ(state["classes"][0], json({{"count", 134}, {"value", "busy"}}));
}

}  // namespace
}  // namespace emlkit
