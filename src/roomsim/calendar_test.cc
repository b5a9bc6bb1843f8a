#include "roomsim/calendar.h"

#include <gtest/gtest.h>

namespace emlkit::roomsim {
namespace {

TEST(Calendar, KnownDates) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(WeekdayOfDays(0), 3);                            // Thursday
  EXPECT_EQ(WeekdayOfDays(DaysFromCivil({2024, 2, 5})), 0);  // Monday
  EXPECT_EQ(WeekdayOfDays(DaysFromCivil({2015, 2, 7})), 5);  // Saturday
  EXPECT_EQ(DayOfYear(DaysFromCivil({2024, 12, 31})), 366);  // leap year
  EXPECT_EQ(DayOfYear(DaysFromCivil({2023, 3, 1})), 60);
}

TEST(Calendar, RoundTripsEveryDayOfFourCenturies) {
  for (int64_t d = DaysFromCivil({1900, 1, 1}); d < DaysFromCivil({2300, 1, 1}); ++d) {
    CivilDate c = CivilFromDays(d);
    ASSERT_EQ(DaysFromCivil(c), d) << c.year << "-" << c.month << "-" << c.day;
  }
}

TEST(Calendar, FormatsTimestamps) {
  int64_t t = DaysFromCivil({2024, 2, 29}) * kSecondsPerDay + 23 * 3600 + 59 * 60 + 7;
  EXPECT_EQ(TimestampString(t), "2024-02-29 23:59:07");
  EXPECT_EQ(TimestampString(0), "1970-01-01 00:00:00");
}

TEST(Calendar, ParsesDatesAndRejectsBadOnes) {
  auto d = ParseDate("2024-02-05", "--start");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, DaysFromCivil({2024, 2, 5}));
  for (const char* bad : {"2024-2-5", "2023-02-29", "2024-13-01", "yesterday", "1800-01-01", ""}) {
    auto r = ParseDate(bad, "--start");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("--start"), std::string::npos);
    EXPECT_NE(r.status().message().find("YYYY-MM-DD"), std::string::npos);
  }
}

TEST(Calendar, ParsesPeriods) {
  EXPECT_EQ(*ParsePeriod("60s", "--period"), 60);
  EXPECT_EQ(*ParsePeriod("60", "--period"), 60);
  EXPECT_EQ(*ParsePeriod("5m", "--period"), 300);
  EXPECT_EQ(*ParsePeriod("5min", "--period"), 300);
  EXPECT_EQ(*ParsePeriod("1h", "--period"), 3600);
  for (const char* bad : {"0s", "-5s", "s", "5x", "2d", "90000"}) {
    auto r = ParsePeriod(bad, "--period");
    EXPECT_FALSE(r.ok()) << bad;
  }
}

}  // namespace
}  // namespace emlkit::roomsim
