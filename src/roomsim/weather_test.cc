#include "roomsim/weather.h"

#include <gtest/gtest.h>

#include <cmath>

#include "roomsim/calendar.h"
#include "roomsim/sun.h"

namespace emlkit::roomsim {
namespace {

TEST(Sun, NoonElevationFollowsTheSeason) {
  Site site;  // 50.5 N
  for (auto [month, expected_deg] : {std::pair{6, 63.0}, std::pair{12, 16.0}}) {
    int doy = DayOfYear(DaysFromCivil({2024, month, 21}));
    SunDay day = ComputeSunDay(site, doy);
    double best = -1;
    for (double h = 10; h < 15; h += 1.0 / 60) best = std::max(best, SunDirection(site, day, h).up);
    double elevation = std::asin(best) * 180 / 3.14159265358979;
    EXPECT_NEAR(elevation, expected_deg, 1.0) << "month " << month;
  }
}

TEST(Sun, SouthWindowSeesTheNoonSunNorthWindowDoesNot) {
  Site site;
  SunDay day = ComputeSunDay(site, 36);
  SunVector noon = SunDirection(site, day, 13.0);         // solar noon is near 12:50 in winter
  EXPECT_GT(VerticalIncidenceCos(noon, 0.0, -1.0), 0.8);  // facing south
  EXPECT_EQ(VerticalIncidenceCos(noon, 0.0, 1.0), 0.0);   // facing north
  SunVector night = SunDirection(site, day, 0.0);
  EXPECT_LT(night.up, 0);
  Irradiance dark = SkyIrradiance(day, night, 0.0);
  EXPECT_EQ(dark.global_horizontal, 0.0);
  Irradiance clear = SkyIrradiance(day, noon, 0.0);
  Irradiance overcast = SkyIrradiance(day, noon, 1.0);
  EXPECT_GT(clear.direct_normal, 500);  // winter noon, clear
  EXPECT_EQ(overcast.direct_normal, 0);
  EXPECT_NEAR(overcast.global_horizontal, 0.25 * clear.global_horizontal, 1e-9);
}

TEST(Weather, HumidityHelpersAreConsistent) {
  EXPECT_NEAR(SaturationPressure(20), 2339, 10);  // Pa, tables: 2339
  double w = HumidityRatio(20, 0.5);
  EXPECT_NEAR(w, 0.00726, 0.0001);
  EXPECT_NEAR(RelativeHumidityPct(20, w), 50.0, 1e-9);
  EXPECT_EQ(RelativeHumidityPct(5, 0.05), 100.0);  // clipped when saturated
}

TEST(Weather, SeasonAndDailyCycle) {
  Site site;
  Climate climate;
  int64_t feb = DaysFromCivil({2024, 2, 5}), jul = DaysFromCivil({2024, 7, 15});
  double feb_sum = 0, jul_sum = 0, feb_6 = 0, feb_15 = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Weather w(site, climate, feb, 7, seed), s(site, climate, jul, 7, seed);
    for (int d = 0; d < 7; ++d) {
      feb_6 += w.At(d * kSecondsPerDay + 6 * 3600).temperature_c;
      feb_15 += w.At(d * kSecondsPerDay + 15 * 3600).temperature_c;
      for (int h = 0; h < 24; ++h) {
        feb_sum += w.At(d * kSecondsPerDay + h * 3600).temperature_c;
        jul_sum += s.At(d * kSecondsPerDay + h * 3600).temperature_c;
      }
    }
  }
  EXPECT_NEAR(feb_sum / (10 * 7 * 24), 3.8, 2.0);
  EXPECT_NEAR(jul_sum / (10 * 7 * 24), 17.3, 2.0);
  EXPECT_GT(feb_15 - feb_6, 10 * 7 * 2.0);  // afternoons warmer than dawns by > 2 K on average
}

TEST(Weather, ContinuousAtMidnightAndDeterministic) {
  Site site;
  Climate climate;
  Weather a(site, climate, DaysFromCivil({2024, 2, 5}), 10, 7);
  Weather b(site, climate, DaysFromCivil({2024, 2, 5}), 10, 7);
  for (int d = 1; d < 10; ++d) {
    double before = a.At(d * kSecondsPerDay - 60).temperature_c;
    double after = a.At(d * kSecondsPerDay).temperature_c;
    EXPECT_LT(std::fabs(after - before), 0.1) << "day " << d;
  }
  for (int64_t t = 0; t < 10 * kSecondsPerDay; t += 3337) {
    Outdoor x = a.At(t), y = b.At(t);
    ASSERT_EQ(x.temperature_c, y.temperature_c);
    ASSERT_EQ(x.sky.global_horizontal, y.sky.global_horizontal);
  }
}

TEST(Weather, ScenarioHooks) {
  Site site;
  Climate climate;
  Weather w(site, climate, DaysFromCivil({2024, 2, 5}), 3, 1);
  double before = w.At(kSecondsPerDay + 12 * 3600).temperature_c;
  w.ShiftTemperature(1, -12);
  EXPECT_NEAR(w.At(kSecondsPerDay + 12 * 3600).temperature_c - before, -12, 1e-9);
  w.ForceClearSky(1);
  Outdoor noon = w.At(kSecondsPerDay + 12 * 3600);
  EXPECT_LE(noon.cloud, 0.05);
  EXPECT_EQ(w.day(1).sky, Sky::kClear);
  EXPECT_GT(noon.sky.direct_normal, 300);
}

}  // namespace
}  // namespace emlkit::roomsim
