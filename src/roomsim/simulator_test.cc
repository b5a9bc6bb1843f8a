#include "roomsim/simulator.h"

#include <gtest/gtest.h>

#include <cmath>

#include "roomsim/calendar.h"
#include "roomsim/closed_loop.h"
#include "roomsim/generate.h"

namespace emlkit::roomsim {
namespace {

SimConfig Days(int days, uint64_t seed = 1) {
  SimConfig c;
  c.days = days;
  c.seed = seed;
  return c;
}

TEST(Simulator, RejectsBadConfigs) {
  SimConfig c = Days(0);
  auto r = RoomSimulator::Create(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--days"), std::string::npos);
  c = Days(2);
  c.period_s = 7;  // does not divide a day
  r = RoomSimulator::Create(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--period"), std::string::npos);
  c = Days(2);
  c.room.setback_c = 25;
  r = RoomSimulator::Create(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("setback_c"), std::string::npos);
  c = Days(2);
  c.scenarios.push_back({ScenarioId::kPet, 1, 2});
  EXPECT_FALSE(RoomSimulator::Create(c).ok());
}

TEST(Simulator, TimestampsAndStepCount) {
  SimConfig c = Days(2);
  c.period_s = 300;
  auto sim = RoomSimulator::Create(c).value();
  EXPECT_EQ(sim->total_steps(), 2 * 288);
  const Sample& first = sim->Step(0);
  EXPECT_EQ(TimestampString(first.time_s), "2024-02-05 00:00:00");
  EXPECT_EQ(first.weekday, 0);
  int64_t last = 0;
  while (!sim->done()) last = sim->Step(0).time_s;
  EXPECT_EQ(TimestampString(last), "2024-02-06 23:55:00");
}

TEST(Simulator, HeaterChangesTemperatureButNotPeopleOrNoise) {
  auto a = RoomSimulator::Create(Days(3, 4)).value();
  auto b = RoomSimulator::Create(Days(3, 4)).value();
  double warmer = 0;
  while (!a->done()) {
    const Sample& x = a->Step(0);
    const Sample& y = b->Step(1500);
    ASSERT_EQ(x.occupants, y.occupants);
    ASSERT_EQ(x.readings.motion, y.readings.motion);
    ASSERT_EQ(x.readings.value[kLight], y.readings.value[kLight]);
    ASSERT_EQ(x.outdoor_c, y.outdoor_c);
    warmer = y.air_c - x.air_c;
  }
  EXPECT_GT(warmer, 5.0);
}

TEST(Simulator, SameSeedSameSamplesOtherSeedOtherSamples) {
  auto a = SimulateSamples(Days(2, 9), Heating::kSchedule).value();
  auto b = SimulateSamples(Days(2, 9), Heating::kSchedule).value();
  auto c = SimulateSamples(Days(2, 10), Heating::kSchedule).value();
  ASSERT_EQ(a.size(), b.size());
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].readings.value[kTemperature], b[i].readings.value[kTemperature]);
    ASSERT_EQ(a[i].readings.value[kCo2], b[i].readings.value[kCo2]);
    ASSERT_EQ(a[i].heater_w, b[i].heater_w);
    differ += a[i].readings.value[kCo2] != c[i].readings.value[kCo2];
  }
  EXPECT_GT(differ, static_cast<int>(a.size() / 2));
}

TEST(Simulator, PeopleRaiseCo2AndSwitchLampsOn) {
  auto s = SimulateSamples(Days(7), Heating::kSchedule).value();
  double co2_occ = 0, co2_empty = 0, lamp_when_dark = 0;
  int n_occ = 0, n_empty = 0, dark_occ = 0;
  for (const Sample& x : s) {
    if (x.occupied) {
      co2_occ += x.co2_ppm;
      ++n_occ;
      if (x.second_of_day < 7 * 3600 || x.second_of_day > 18 * 3600) {
        ++dark_occ;
        lamp_when_dark += x.lamp_on;
      }
    } else {
      co2_empty += x.co2_ppm;
      ++n_empty;
    }
  }
  ASSERT_GT(n_occ, 1000);
  EXPECT_GT(co2_occ / n_occ, co2_empty / n_empty + 300);
  EXPECT_GT(lamp_when_dark / dark_occ, 0.8);
}

TEST(ClosedLoop, ScheduleHeatsToComfortInsideTheSchedule) {
  SimConfig c = Days(7);
  auto sim = RoomSimulator::Create(c).value();
  ClosedLoop loop(sim.get(), ThermostatConfigFor(c.room, app::OccupancySource::kSchedule), nullptr);
  ASSERT_TRUE(loop.Init().ok());
  double in_sched = 0, out_sched = 0;
  int n_in = 0, n_out = 0;
  while (!sim->done()) {
    const Sample* s = loop.Step().value();
    bool sched = s->weekday < 5 && s->second_of_day >= 9 * 3600 && s->second_of_day < 19 * 3600;
    bool night = s->second_of_day < 6 * 3600;
    if (sched) {
      in_sched += s->air_c;
      ++n_in;
    }
    if (night) {
      out_sched += s->air_c;
      ++n_out;
    }
  }
  EXPECT_GT(in_sched / n_in, c.room.comfort_c - 0.3);
  EXPECT_LT(out_sched / n_out, in_sched / n_in - 0.5);
}

TEST(ClosedLoop, ModelSourceNeedsAModel) {
  SimConfig c = Days(1);
  auto sim = RoomSimulator::Create(c).value();
  ClosedLoop loop(sim.get(), ThermostatConfigFor(c.room, app::OccupancySource::kModel), nullptr);
  EXPECT_FALSE(loop.Init().ok());
}

}  // namespace
}  // namespace emlkit::roomsim
