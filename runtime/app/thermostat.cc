#include "app/thermostat.h"

#include <math.h>

namespace emlkit {
namespace app {
namespace {

bool IsNan(float x) { return x != x; }

float Median3(float a, float b, float c) {
  if (a > b) {
    float t = a;
    a = b;
    b = t;
  }
  // a <= b
  if (c <= a) return a;
  if (c >= b) return b;
  return c;
}

uint32_t SaturatingAdd(uint32_t a, uint32_t b) {
  uint32_t s = a + b;
  return s < a ? UINT32_MAX : s;
}

}  // namespace

const char* OccupancySourceName(OccupancySource source) {
  switch (source) {
    case OccupancySource::kModel:
      return "model";
    case OccupancySource::kSchedule:
      return "schedule";
    case OccupancySource::kMotionTimeout:
      return "motion-timeout";
    case OccupancySource::kAlwaysComfort:
      return "always-comfort";
  }
  return "unknown";
}

ThermostatConfigError ValidateThermostatConfig(const ThermostatConfig& c) {
  if (static_cast<uint8_t>(c.source) >= kNumOccupancySources)
    return ThermostatConfigError::kBadSource;
  if (IsNan(c.comfort_c) || IsNan(c.setback_c) || c.setback_c > c.comfort_c)
    return ThermostatConfigError::kSetbackAboveComfort;
  if (IsNan(c.hysteresis_c) || c.hysteresis_c < 0.0f || c.hysteresis_c > 10.0f)
    return ThermostatConfigError::kBadHysteresis;
  if (IsNan(c.heater_max_w) || c.heater_max_w <= 0.0f)
    return ThermostatConfigError::kBadHeaterPower;
  if (IsNan(c.occupied_threshold) || c.occupied_threshold < 0.0f || c.occupied_threshold > 1.0f)
    return ThermostatConfigError::kBadThreshold;
  if (c.schedule_count > kMaxSchedulePeriods) return ThermostatConfigError::kBadSchedule;
  for (uint8_t i = 0; i < c.schedule_count; ++i) {
    const SchedulePeriod& p = c.schedule[i];
    if ((p.days & ~kEveryDay) != 0 || p.start_min >= p.end_min || p.end_min > 24 * 60)
      return ThermostatConfigError::kBadSchedule;
  }
  if (IsNan(c.failsafe_power_fraction) || c.failsafe_power_fraction < 0.0f ||
      c.failsafe_power_fraction > 1.0f)
    return ThermostatConfigError::kBadFailsafe;
  if (IsNan(c.min_valid_c) || IsNan(c.max_valid_c) || c.min_valid_c >= c.max_valid_c)
    return ThermostatConfigError::kBadValidRange;
  return ThermostatConfigError::kOk;
}

const char* ThermostatConfigErrorText(ThermostatConfigError error) {
  switch (error) {
    case ThermostatConfigError::kOk:
      return "ok";
    case ThermostatConfigError::kSetbackAboveComfort:
      return "setback_c must be a number not above comfort_c";
    case ThermostatConfigError::kBadHysteresis:
      return "hysteresis_c must be between 0 and 10 degC";
    case ThermostatConfigError::kBadHeaterPower:
      return "heater_max_w must be a positive power in watts";
    case ThermostatConfigError::kBadThreshold:
      return "occupied_threshold must be a probability between 0 and 1";
    case ThermostatConfigError::kBadSchedule:
      return "schedule periods need days within Monday..Sunday and 0 <= start < end <= 1440 "
             "minutes, at most 8 periods";
    case ThermostatConfigError::kBadFailsafe:
      return "failsafe_power_fraction must be between 0 and 1";
    case ThermostatConfigError::kBadValidRange:
      return "min_valid_c must be below max_valid_c";
    case ThermostatConfigError::kBadSource:
      return "source must be model, schedule, motion-timeout or always-comfort";
  }
  return "unknown error";
}

bool Thermostat::Init(const ThermostatConfig& config) {
  if (ValidateThermostatConfig(config) != ThermostatConfigError::kOk) return false;
  config_ = config;
  recent_count_ = 0;
  since_valid_s_ = 0;
  last_reading_ = 0.0f;
  unchanged_s_ = 0;
  occupied_ = config.source == OccupancySource::kModel && config.model_start_occupied;
  streak_s_ = 0;
  had_estimate_ = false;
  since_motion_s_ = 0;
  seen_motion_ = false;
  heating_ = false;
  since_switch_s_ = config.min_switch_s;  // the first switch is allowed at once
  return true;
}

bool Thermostat::UpdateTemperature(float reading, uint32_t dt_s) {
  bool valid = !IsNan(reading) && reading >= config_.min_valid_c && reading <= config_.max_valid_c;
  if (!valid) {
    since_valid_s_ = SaturatingAdd(since_valid_s_, dt_s);
    return recent_count_ > 0 && since_valid_s_ < config_.sensor_timeout_s;
  }
  since_valid_s_ = 0;
  if (recent_count_ > 0 && reading == last_reading_) {
    unchanged_s_ = SaturatingAdd(unchanged_s_, dt_s);
  } else {
    unchanged_s_ = 0;
  }
  last_reading_ = reading;
  recent_[0] = recent_[1];
  recent_[1] = recent_[2];
  recent_[2] = reading;
  if (recent_count_ < 3) ++recent_count_;
  return config_.stuck_timeout_s == 0 || unchanged_s_ < config_.stuck_timeout_s;
}

bool Thermostat::InSchedule(uint8_t weekday, uint32_t second_of_day) const {
  uint32_t minute = second_of_day / 60;
  for (uint8_t i = 0; i < config_.schedule_count; ++i) {
    const SchedulePeriod& p = config_.schedule[i];
    if ((p.days >> (weekday % 7)) & 1u) {
      if (minute >= p.start_min && minute < p.end_min) return true;
    }
  }
  return false;
}

bool Thermostat::EstimateOccupied(const ThermostatInput& in, bool* has_evidence) {
  *has_evidence = true;
  switch (config_.source) {
    case OccupancySource::kModel:
      if (IsNan(in.occupancy_probability)) {
        *has_evidence = false;
        return occupied_;
      }
      return in.occupancy_probability >= config_.occupied_threshold;
    case OccupancySource::kSchedule:
      return InSchedule(in.weekday, in.second_of_day);
    case OccupancySource::kMotionTimeout:
      if (in.motion_events > 0) {
        seen_motion_ = true;
        since_motion_s_ = 0;
      } else {
        since_motion_s_ = SaturatingAdd(since_motion_s_, in.dt_s);
      }
      return seen_motion_ && since_motion_s_ < config_.motion_timeout_s;
    case OccupancySource::kAlwaysComfort:
      return true;
  }
  return false;
}

void Thermostat::Smooth(bool estimate, bool has_evidence, uint32_t dt_s) {
  if (config_.source != OccupancySource::kModel) {
    occupied_ = estimate;  // schedules and the motion timeout are already decisions
    return;
  }
  if (!has_evidence) return;
  if (!had_estimate_) {
    had_estimate_ = true;
    if (config_.model_start_occupied) {
      occupied_ = estimate;  // the first estimate replaces the assumption at once
      return;
    }
  }
  if (estimate == occupied_) {
    streak_s_ = 0;
    return;
  }
  streak_s_ = SaturatingAdd(streak_s_, dt_s);
  uint32_t needed = estimate ? config_.occupy_delay_s : config_.vacate_delay_s;
  if (streak_s_ >= needed) {
    occupied_ = estimate;
    streak_s_ = 0;
  }
}

ThermostatOutput Thermostat::Step(const ThermostatInput& in) {
  ThermostatOutput out;
  bool temperature_ok = UpdateTemperature(in.temperature_c, in.dt_s);
  bool has_evidence = false;
  bool estimate = EstimateOccupied(in, &has_evidence);
  Smooth(estimate, has_evidence, in.dt_s);
  since_switch_s_ = SaturatingAdd(since_switch_s_, in.dt_s);

  out.estimate_occupied = estimate;
  out.occupied = occupied_;
  out.setpoint_c = occupied_ ? config_.comfort_c : config_.setback_c;
  if (recent_count_ == 0) {
    out.temperature_c = NAN;
  } else if (recent_count_ < 3) {
    out.temperature_c = recent_[2];
  } else {
    out.temperature_c = Median3(recent_[0], recent_[1], recent_[2]);
  }
  if (!temperature_ok) {
    out.sensor_fault = true;
    heating_ = false;
    out.heater_w = config_.failsafe_power_fraction * config_.heater_max_w;
    return out;
  }
  float half = 0.5f * config_.hysteresis_c;
  bool want = heating_;
  if (out.temperature_c < out.setpoint_c - half) want = true;
  if (out.temperature_c > out.setpoint_c + half) want = false;
  if (want != heating_ && since_switch_s_ >= config_.min_switch_s) {
    heating_ = want;
    since_switch_s_ = 0;
  }
  out.heating = heating_;
  out.heater_w = heating_ ? config_.heater_max_w : 0.0f;
  return out;
}

}  // namespace app
}  // namespace emlkit
