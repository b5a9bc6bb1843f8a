// The simulated office against the real office (../shared/data/occupancy): every statistic in
// CompareRealism() must be within its documented tolerance, for several seeds.
#include "roomsim/realism.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "common/fs.h"
#include "roomsim/calendar.h"
#include "roomsim/generate.h"
#include "support/test_util.h"

namespace emlkit::roomsim {
namespace {

TEST(Realism, SimulatedOfficeMatchesTheRealOffice) {
  EMLKIT_REQUIRE_SHARED(train, "data/occupancy/datatraining.txt");
  EMLKIT_REQUIRE_SHARED(test, "data/occupancy/datatest.txt");
  auto real = ReadRealismRows({train, test}, UciOccupancyColumns());
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  ASSERT_EQ(real->size(), 8143u + 2665u);
  RealismStats real_stats = ComputeRealismStats(*real);
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

TEST(Realism, CsvReadBackGivesTheSameStatistics) {
  // The CSV as written, read by the data stage's reader, equals the samples it came from.
  SimConfig cfg;
  cfg.days = 7;
  cfg.faults = ParseFaults({"dropout"}).value();
  auto samples = SimulateSamples(cfg, Heating::kSchedule);
  ASSERT_TRUE(samples.ok());
  ScratchDir dir("realism");
  ASSERT_TRUE(WriteRoomCsv(cfg, Heating::kSchedule, dir.Path("r.csv")).ok());
  auto rows = ReadRealismRows({dir.Path("r.csv")}, RealismColumns());
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<RealismRow> expected = RealismRowsFromSamples(*samples);
  ASSERT_EQ(rows->size(), expected.size());
  ASSERT_LT(expected.size(), 7u * 1440);  // rows were lost
  for (size_t i = 0; i < expected.size(); ++i) {
    const RealismRow &a = (*rows)[i], &b = expected[i];
    ASSERT_EQ(a.time_s, b.time_s) << i;
    ASSERT_EQ(a.occupied, b.occupied) << i;
    for (auto [x, y] : {std::pair{a.temperature_c, b.temperature_c},
                        std::pair{a.co2_ppm, b.co2_ppm}, std::pair{a.light_lux, b.light_lux}}) {
      if (std::isnan(y)) {
        ASSERT_TRUE(std::isnan(x)) << i;
      } else {
        ASSERT_NEAR(x, y, 1e-9) << i;
      }
    }
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
