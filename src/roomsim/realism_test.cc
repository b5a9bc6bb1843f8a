// The simulated office against the real office (../shared/data/occupancy): every statistic in
// CompareRealism() must be within its documented tolerance, for several seeds.
#include "roomsim/realism.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <string>

#include "roomsim/calendar.h"
#include "roomsim/generate.h"
#include "support/test_util.h"

namespace emlkit::roomsim {
namespace {

// Reads the UCI occupancy files: a header one name short, then
// "id","YYYY-MM-DD hh:mm:ss",Temperature,Humidity,Light,CO2,HumidityRatio,Occupancy.
std::vector<RealismRow> ReadRealOffice(const std::string& path) {
  std::vector<RealismRow> rows;
  std::istringstream in(testing::ReadText(path));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cell;
    std::istringstream ls(line);
    while (std::getline(ls, cell, ',')) {
      if (cell.size() >= 2 && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
      f.push_back(cell);
    }
    if (f.size() != 8) continue;
    auto day = ParseDate(f[1].substr(0, 10), "date");
    if (!day.ok()) continue;
    int h = std::atoi(f[1].substr(11, 2).c_str()), m = std::atoi(f[1].substr(14, 2).c_str()),
        s = std::atoi(f[1].substr(17, 2).c_str());
    RealismRow r;
    r.time_s = *day * kSecondsPerDay + h * 3600 + m * 60 + s;
    r.temperature_c = std::atof(f[2].c_str());
    r.humidity_pct = std::atof(f[3].c_str());
    r.light_lux = std::atof(f[4].c_str());
    r.co2_ppm = std::atof(f[5].c_str());
    r.occupied = f[7] == "1";
    rows.push_back(r);
  }
  return rows;
}

TEST(Realism, SimulatedOfficeMatchesTheRealOffice) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  EMLKIT_REQUIRE_SHARED(test, "data/occupancy/datatest.txt");
  std::vector<RealismRow> real = ReadRealOffice(train);
  std::vector<RealismRow> more = ReadRealOffice(test);
  ASSERT_EQ(real.size(), 8143u);
  ASSERT_EQ(more.size(), 2665u);
  real.insert(real.end(), more.begin(), more.end());
  RealismStats real_stats = ComputeRealismStats(real);
  EXPECT_EQ(real_stats.full_workdays, 4);  // Feb 3, 5, 6 and 9, 2015

  for (uint64_t seed : {1, 2, 3}) {
    SimConfig cfg;  // the default office, 28 days, 60 s
    cfg.seed = seed;
    auto samples = SimulateSamples(cfg, Heating::kSchedule);
    ASSERT_TRUE(samples.ok()) << samples.status().ToString();
    RealismStats sim = ComputeRealismStats(RealismRowsFromSamples(*samples));
    std::vector<RealismCheck> checks = CompareRealism(real_stats, sim);
    std::string table = FormatRealismChecks(checks);
    std::printf("seed %llu\n%s", static_cast<unsigned long long>(seed), table.c_str());
    for (const RealismCheck& c : checks) EXPECT_TRUE(c.ok) << "seed " << seed << "\n" << table;
  }
}

TEST(Realism, StatisticsOfAHandMadeLog) {
  // Two full workdays (Monday 2024-02-05 and Tuesday) at 10-minute steps: occupied 08:00-16:00.
  std::vector<RealismRow> rows;
  int64_t monday = DaysFromCivil({2024, 2, 5});
  for (int d = 0; d < 2; ++d) {
    for (int k = 0; k < 144; ++k) {
      RealismRow r;
      r.time_s = (monday + d) * kSecondsPerDay + k * 600;
      r.occupied = k >= 48 && k < 96;
      r.temperature_c = 19.0 + (r.occupied ? 3.0 : 0.0) + d;
      r.co2_ppm = r.occupied ? 1000 : 420;
      r.light_lux = r.occupied ? 450 : 0;
      r.humidity_pct = 30;
      rows.push_back(r);
    }
  }
  RealismStats st = ComputeRealismStats(rows);
  EXPECT_EQ(st.rows, 288);
  EXPECT_EQ(st.full_workdays, 2);
  EXPECT_DOUBLE_EQ(st.co2_occupied_median, 1000);
  EXPECT_DOUBLE_EQ(st.co2_empty_median, 420);
  EXPECT_DOUBLE_EQ(st.light_occupied_p5, 450);
  EXPECT_DOUBLE_EQ(st.workday_swing_median, 3.0);
  EXPECT_NEAR(st.workday_occupied_share, 1.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(st.temp_occupied_mean, 22.5);
  EXPECT_DOUBLE_EQ(st.temp_empty_mean, 19.5);
  std::vector<RealismCheck> same = CompareRealism(st, st);
  for (const RealismCheck& c : same) EXPECT_TRUE(c.ok) << c.name;
  RealismStats off = st;
  off.co2_occupied_median *= 1.3;  // beyond the 25 % tolerance
  std::vector<RealismCheck> checks = CompareRealism(st, off);
  EXPECT_FALSE(checks[0].ok);
  EXPECT_TRUE(checks[1].ok);
}

}  // namespace
}  // namespace emlkit::roomsim
