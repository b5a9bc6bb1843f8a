#include "app/thermostat.h"

#include <gtest/gtest.h>

#include <cmath>

namespace emlkit {
namespace app {
namespace {

ThermostatInput At(int weekday, int hour, int minute, float temp, int motion = 0, float p = NAN) {
  ThermostatInput in;
  in.dt_s = 60;
  in.weekday = static_cast<uint8_t>(weekday);
  in.second_of_day = static_cast<uint32_t>(hour * 3600 + minute * 60);
  in.temperature_c = temp;
  in.motion_events = motion;
  in.occupancy_probability = p;
  return in;
}

ThermostatConfig Config(OccupancySource source) {
  ThermostatConfig c;
  c.source = source;
  c.min_switch_s = 0;
  return c;
}

TEST(Thermostat, RejectsInvalidConfigs) {
  ThermostatConfig c;
  EXPECT_EQ(ValidateThermostatConfig(c), ThermostatConfigError::kOk);
  c.setback_c = 22.0f;
  EXPECT_EQ(ValidateThermostatConfig(c), ThermostatConfigError::kSetbackAboveComfort);
  Thermostat t;
  EXPECT_FALSE(t.Init(c));
  c = ThermostatConfig();
  c.schedule[0] = {kWorkdays, 600, 600};
  EXPECT_EQ(ValidateThermostatConfig(c), ThermostatConfigError::kBadSchedule);
  c = ThermostatConfig();
  c.occupied_threshold = 1.5f;
  EXPECT_EQ(ValidateThermostatConfig(c), ThermostatConfigError::kBadThreshold);
  c = ThermostatConfig();
  c.heater_max_w = 0.0f;
  EXPECT_EQ(ValidateThermostatConfig(c), ThermostatConfigError::kBadHeaterPower);
  EXPECT_STRNE(ThermostatConfigErrorText(ThermostatConfigError::kBadHeaterPower), "ok");
}

TEST(Thermostat, HysteresisAroundTheSetpoint) {
  Thermostat t;
  ThermostatConfig c = Config(OccupancySource::kAlwaysComfort);
  c.hysteresis_c = 1.0f;  // on below 20.5, off above 21.5
  ASSERT_TRUE(t.Init(c));
  // Constant readings pass the median filter unchanged.
  EXPECT_EQ(t.Step(At(0, 9, 0, 20.4f)).heater_w, 2000.0f);
  EXPECT_EQ(t.Step(At(0, 9, 1, 20.4f)).heater_w, 2000.0f);
  // Inside the band the heater keeps its state (the median filter lags by one reading).
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(t.Step(At(0, 9, 2 + i, 21.4f)).heating);
  EXPECT_TRUE(t.Step(At(0, 9, 5, 21.6f)).heating);
  EXPECT_FALSE(t.Step(At(0, 9, 6, 21.6f)).heating);
  EXPECT_FALSE(t.Step(At(0, 9, 7, 20.6f)).heating);
  EXPECT_FALSE(t.Step(At(0, 9, 8, 20.6f)).heating);
  EXPECT_FALSE(t.Step(At(0, 9, 9, 20.4f)).heating);
  ThermostatOutput out = t.Step(At(0, 9, 10, 20.4f));
  EXPECT_TRUE(out.heating);
  EXPECT_FLOAT_EQ(out.setpoint_c, 21.0f);
}

TEST(Thermostat, MinimumSwitchTimeProtectsTheRelay) {
  Thermostat t;
  ThermostatConfig c = Config(OccupancySource::kAlwaysComfort);
  c.min_switch_s = 300;
  ASSERT_TRUE(t.Init(c));
  EXPECT_TRUE(t.Step(At(0, 9, 0, 19.0f)).heating);  // first switch allowed at once
  t.Step(At(0, 9, 1, 23.0f));
  t.Step(At(0, 9, 2, 23.0f));  // median is now 23: wants off, but only 120 s passed
  EXPECT_TRUE(t.Step(At(0, 9, 3, 23.0f)).heating);
  EXPECT_TRUE(t.Step(At(0, 9, 4, 23.0f)).heating);
  EXPECT_FALSE(t.Step(At(0, 9, 5, 23.0f)).heating);  // 300 s after the last switch
}

TEST(Thermostat, OneSampleSpikeDoesNotSwitch) {
  Thermostat t;
  ASSERT_TRUE(t.Init(Config(OccupancySource::kAlwaysComfort)));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(t.Step(At(0, 9, i, 20.0f)).heating);
  ThermostatOutput spike = t.Step(At(0, 9, 5, 35.0f));
  EXPECT_TRUE(spike.heating);
  EXPECT_FLOAT_EQ(spike.temperature_c, 20.0f);
}

TEST(Thermostat, ScheduleSource) {
  Thermostat t;
  ThermostatConfig c = Config(OccupancySource::kSchedule);
  c.schedule[0] = {kWorkdays, 7 * 60, 19 * 60};
  c.schedule[1] = {kWeekend, 10 * 60, 12 * 60};
  c.schedule_count = 2;
  ASSERT_TRUE(t.Init(c));
  EXPECT_FALSE(t.Step(At(0, 6, 59, 20.0f)).occupied);
  EXPECT_TRUE(t.Step(At(0, 7, 0, 20.0f)).occupied);
  EXPECT_TRUE(t.Step(At(4, 18, 59, 20.0f)).occupied);
  EXPECT_FALSE(t.Step(At(4, 19, 0, 20.0f)).occupied);
  EXPECT_FALSE(t.Step(At(5, 9, 0, 20.0f)).occupied);
  ThermostatOutput sat = t.Step(At(5, 11, 0, 20.0f));
  EXPECT_TRUE(sat.occupied);
  EXPECT_FLOAT_EQ(sat.setpoint_c, c.comfort_c);
  EXPECT_FLOAT_EQ(t.Step(At(6, 13, 0, 20.0f)).setpoint_c, c.setback_c);
}

TEST(Thermostat, MotionTimeoutSource) {
  Thermostat t;
  ThermostatConfig c = Config(OccupancySource::kMotionTimeout);
  c.motion_timeout_s = 10 * 60;
  ASSERT_TRUE(t.Init(c));
  EXPECT_FALSE(t.Step(At(0, 9, 0, 20.0f, 0)).occupied);  // no motion seen yet
  EXPECT_TRUE(t.Step(At(0, 9, 1, 20.0f, 3)).occupied);
  for (int m = 2; m <= 10; ++m) EXPECT_TRUE(t.Step(At(0, 9, m, 20.0f, 0)).occupied) << m;
  // Minute 11 is the tenth minute without motion: timed out. A missing field counts as none.
  EXPECT_FALSE(t.Step(At(0, 9, 11, 20.0f, -1)).occupied);
  EXPECT_TRUE(t.Step(At(0, 9, 12, 20.0f, 1)).occupied);
}

TEST(Thermostat, ModelSourceIsSmoothed) {
  Thermostat t;
  ThermostatConfig c = Config(OccupancySource::kModel);
  c.occupy_delay_s = 120;
  c.vacate_delay_s = 300;
  ASSERT_TRUE(t.Init(c));
  ThermostatOutput o = t.Step(At(0, 9, 0, 20.0f, 0, 0.9f));
  EXPECT_TRUE(o.estimate_occupied);
  EXPECT_FALSE(o.occupied);  // one minute is not enough
  EXPECT_TRUE(t.Step(At(0, 9, 1, 20.0f, 0, 0.8f)).occupied);
  // Four unoccupied minutes, a missing estimate (no evidence), then the fifth switches.
  for (int m = 2; m < 6; ++m) EXPECT_TRUE(t.Step(At(0, 9, m, 20.0f, 0, 0.1f)).occupied);
  EXPECT_TRUE(t.Step(At(0, 9, 6, 20.0f, 0, NAN)).occupied);
  EXPECT_FALSE(t.Step(At(0, 9, 7, 20.0f, 0, 0.1f)).occupied);
  // An occupied minute in between restarts the count.
  ASSERT_TRUE(t.Init(c));
  t.Step(At(0, 9, 0, 20.0f, 0, 0.9f));
  t.Step(At(0, 9, 1, 20.0f, 0, 0.9f));
  for (int m = 2; m < 5; ++m) t.Step(At(0, 9, m, 20.0f, 0, 0.1f));
  t.Step(At(0, 9, 5, 20.0f, 0, 0.7f));
  for (int m = 6; m < 10; ++m) EXPECT_TRUE(t.Step(At(0, 9, m, 20.0f, 0, 0.1f)).occupied) << m;
  EXPECT_FALSE(t.Step(At(0, 9, 10, 20.0f, 0, 0.1f)).occupied);
}

TEST(Thermostat, ModelStartOccupiedHoldsComfortUntilTheFirstEstimate) {
  Thermostat t;
  ThermostatConfig c = Config(OccupancySource::kModel);
  c.model_start_occupied = true;
  ASSERT_TRUE(t.Init(c));
  for (int m = 0; m < 30; ++m) EXPECT_TRUE(t.Step(At(0, 0, m, 20.0f, 0, NAN)).occupied) << m;
  EXPECT_FALSE(t.Step(At(0, 0, 30, 20.0f, 0, 0.1f)).occupied);  // no vacate delay for it
  EXPECT_FALSE(t.Step(At(0, 0, 31, 20.0f, 0, 0.9f)).occupied);  // smoothed from now on
  EXPECT_TRUE(t.Step(At(0, 0, 32, 20.0f, 0, 0.9f)).occupied);
  c.model_start_occupied = false;  // the default: setback until the model says otherwise
  ASSERT_TRUE(t.Init(c));
  EXPECT_FALSE(t.Step(At(0, 0, 0, 20.0f, 0, NAN)).occupied);
}

TEST(Thermostat, MissingTemperatureLeadsToFailsafe) {
  Thermostat t;
  ThermostatConfig c = Config(OccupancySource::kAlwaysComfort);
  c.sensor_timeout_s = 180;
  c.failsafe_power_fraction = 0.25f;
  ASSERT_TRUE(t.Init(c));
  EXPECT_TRUE(t.Step(At(0, 9, 0, NAN)).sensor_fault);  // nothing known yet
  EXPECT_FALSE(t.Step(At(0, 9, 1, 20.0f)).sensor_fault);
  EXPECT_FALSE(t.Step(At(0, 9, 2, NAN)).sensor_fault);
  EXPECT_FALSE(t.Step(At(0, 9, 3, 200.0f)).sensor_fault);  // implausible = missing
  ThermostatOutput o = t.Step(At(0, 9, 4, NAN));
  EXPECT_TRUE(o.sensor_fault);
  EXPECT_FALSE(o.heating);
  EXPECT_FLOAT_EQ(o.heater_w, 500.0f);
  EXPECT_FALSE(t.Step(At(0, 9, 5, 20.0f)).sensor_fault);
}

TEST(Thermostat, StuckReadingLeadsToFailsafe) {
  Thermostat t;
  ThermostatConfig c = Config(OccupancySource::kAlwaysComfort);
  c.stuck_timeout_s = 600;
  ASSERT_TRUE(t.Init(c));
  for (int m = 0; m < 10; ++m) EXPECT_FALSE(t.Step(At(0, 9, m, 19.5f)).sensor_fault) << m;
  EXPECT_TRUE(t.Step(At(0, 9, 10, 19.5f)).sensor_fault);
  EXPECT_FALSE(t.Step(At(0, 9, 11, 19.51f)).sensor_fault);
  c.stuck_timeout_s = 0;  // supervision off
  ASSERT_TRUE(t.Init(c));
  for (int m = 0; m < 100; ++m) EXPECT_FALSE(t.Step(At(0, 9, m, 19.5f)).sensor_fault);
}

TEST(Thermostat, NamesEverySource) {
  EXPECT_STREQ(OccupancySourceName(OccupancySource::kModel), "model");
  EXPECT_STREQ(OccupancySourceName(OccupancySource::kSchedule), "schedule");
  EXPECT_STREQ(OccupancySourceName(OccupancySource::kMotionTimeout), "motion-timeout");
  EXPECT_STREQ(OccupancySourceName(OccupancySource::kAlwaysComfort), "always-comfort");
}

}  // namespace
}  // namespace app
}  // namespace emlkit
