// The thermostat controller: the same code runs in the firmware and in the host closed loop
// (`emlkit roomsim`, `emlkit thermostat-eval`). Freestanding C++11: no heap, no exceptions, no
// RTTI; only <stdint.h>, <stddef.h>, <string.h>, <math.h>. Not thread-safe; one instance per room.
//
// Once per sampling period the caller passes the time, the latest temperature reading, the PIR
// event count and (for OccupancySource::kModel) the model's P(occupied); Step() returns the
// heater power to apply until the next call.
//
//   1. Temperature: invalid readings (NaN, outside [min_valid_c, max_valid_c]) are ignored; the
//      controller uses the median of the last 3 valid readings, so one-sample spikes never switch
//      the heater. No valid reading for sensor_timeout_s, or a reading that did not change at all
//      for stuck_timeout_s, is a sensor fault: the heater then runs at failsafe_power_fraction of
//      its maximum until valid, changing readings come back.
//   2. Occupancy, from the configured source:
//        kModel          P(occupied) >= occupied_threshold; smoothed: "occupied" after
//                        occupy_delay_s of consecutive occupied estimates, "unoccupied" after
//                        vacate_delay_s of consecutive unoccupied ones. NaN = no evidence;
//                        before the first estimate the state is model_start_occupied.
//        kSchedule       inside one of the weekly comfort periods.
//        kMotionTimeout  occupied from a period with PIR motion until motion_timeout_s without
//                        any (a missing motion field counts as no motion).
//        kAlwaysComfort  always occupied.
//   3. Setpoint: comfort_c when occupied, setback_c otherwise.
//   4. Heater: on/off with hysteresis (on below setpoint - hysteresis_c / 2, off above setpoint +
//      hysteresis_c / 2), never switching more often than every min_switch_s.
//
//   emlkit::app::ThermostatConfig cfg;            // defaults: 21 / 17 degC, schedule source
//   cfg.source = emlkit::app::OccupancySource::kMotionTimeout;
//   emlkit::app::Thermostat t;
//   if (emlkit::app::ValidateThermostatConfig(cfg) != emlkit::app::ThermostatConfigError::kOk) ...
//   t.Init(cfg);
//   ThermostatOutput out = t.Step({60, weekday, second_of_day, temp_c, motion, NAN});
//   set_heater(out.heater_w);
#ifndef EMLKIT_APP_THERMOSTAT_H_
#define EMLKIT_APP_THERMOSTAT_H_

#include <math.h>
#include <stddef.h>
#include <stdint.h>

namespace emlkit {
namespace app {

enum class OccupancySource : uint8_t { kModel = 0, kSchedule, kMotionTimeout, kAlwaysComfort };
constexpr int kNumOccupancySources = 4;
// "model", "schedule", "motion-timeout", "always-comfort".
const char* OccupancySourceName(OccupancySource source);

// One weekly comfort period: on the days in `days` (bit 0 = Monday ... bit 6 = Sunday), from
// start_min (inclusive) to end_min (exclusive), in minutes after midnight, 0 <= start < end <=
// 1440.
struct SchedulePeriod {
  constexpr SchedulePeriod(uint8_t days_ = 0, uint16_t start = 0, uint16_t end = 0)
      : days(days_), start_min(start), end_min(end) {}
  uint8_t days;
  uint16_t start_min;
  uint16_t end_min;
};
constexpr int kMaxSchedulePeriods = 8;
constexpr uint8_t kWorkdays = 0x1F;  // Monday..Friday
constexpr uint8_t kWeekend = 0x60;   // Saturday, Sunday
constexpr uint8_t kEveryDay = 0x7F;

struct ThermostatConfig {
  OccupancySource source = OccupancySource::kSchedule;
  float comfort_c = 21.0f;       // setpoint when occupied
  float setback_c = 17.0f;       // setpoint when unoccupied (<= comfort_c)
  float hysteresis_c = 0.4f;     // width of the dead band around the setpoint (>= 0)
  float heater_max_w = 2000.0f;  // heater power when on (> 0)
  uint32_t min_switch_s = 120;   // minimum time between heater switches (relay protection)
  // kModel
  float occupied_threshold = 0.5f;  // P(occupied) at or above this counts as occupied
  uint32_t occupy_delay_s = 120;    // consecutive occupied estimates before switching to comfort
  uint32_t vacate_delay_s = 1200;   // consecutive unoccupied estimates before switching to setback
  // Occupancy until the model's first estimate (while its window fills after power-up); the first
  // estimate then decides at once. true: comfort meanwhile, as a missed occupant costs more
  // than half an hour of heating.
  bool model_start_occupied = false;
  // kMotionTimeout
  uint32_t motion_timeout_s = 1800;
  // kSchedule: the first schedule_count entries of `schedule` are used.
  SchedulePeriod schedule[kMaxSchedulePeriods] = {{kWorkdays, 7 * 60, 19 * 60}};
  uint8_t schedule_count = 1;
  // Sensor supervision
  float min_valid_c = -40.0f, max_valid_c = 85.0f;  // readings outside are invalid
  uint32_t sensor_timeout_s = 600;                  // no valid reading this long: fault
  uint32_t stuck_timeout_s = 3600;                  // identical reading this long: fault; 0 = off
  float failsafe_power_fraction = 0.2f;             // heater output while in fault, [0, 1]
};

enum class ThermostatConfigError : uint8_t {
  kOk = 0,
  kSetbackAboveComfort,
  kBadHysteresis,
  kBadHeaterPower,
  kBadThreshold,
  kBadSchedule,
  kBadFailsafe,
  kBadValidRange,
  kBadSource,
};
// Checks the configuration; Init() refuses any config this does not accept.
ThermostatConfigError ValidateThermostatConfig(const ThermostatConfig& config);
// A sentence naming the field at fault and what is allowed.
const char* ThermostatConfigErrorText(ThermostatConfigError error);

struct ThermostatInput {
  uint32_t dt_s = 60;                  // seconds since the previous Step() (the sampling period)
  uint8_t weekday = 0;                 // 0 = Monday ... 6 = Sunday
  uint32_t second_of_day = 0;          // 0 ... 86399, local time
  float temperature_c = 0.0f;          // the latest reading; NaN when missing
  int32_t motion_events = 0;           // PIR events during the period; negative when missing
  float occupancy_probability = 0.0f;  // the model's P(occupied) (kModel only); NaN = none
};

struct ThermostatOutput {
  float heater_w = 0.0f;           // power to apply until the next Step()
  float setpoint_c = 0.0f;         // comfort_c or setback_c
  float temperature_c = 0.0f;      // the filtered temperature the decision used (NaN: none yet)
  bool occupied = false;           // the (smoothed) occupancy the setpoint follows
  bool estimate_occupied = false;  // this period's estimate before smoothing
  bool heating = false;            // heater on (false while in fault)
  bool sensor_fault = false;       // missing or stuck temperature: heater in failsafe
};

class Thermostat {
 public:
  // Starts unoccupied, heater off, no temperature known. Returns false (and keeps the previous
  // configuration) when ValidateThermostatConfig() rejects `config`.
  bool Init(const ThermostatConfig& config);
  ThermostatOutput Step(const ThermostatInput& in);
  const ThermostatConfig& config() const { return config_; }

 private:
  bool UpdateTemperature(float reading, uint32_t dt_s);  // true when a usable value exists
  bool EstimateOccupied(const ThermostatInput& in, bool* has_evidence);
  void Smooth(bool estimate, bool has_evidence, uint32_t dt_s);
  bool InSchedule(uint8_t weekday, uint32_t second_of_day) const;

  ThermostatConfig config_;
  // Temperature filter and supervision
  float recent_[3] = {0, 0, 0};
  uint8_t recent_count_ = 0;
  uint32_t since_valid_s_ = 0;
  float last_reading_ = 0.0f;
  uint32_t unchanged_s_ = 0;
  // Occupancy
  bool occupied_ = false;
  uint32_t streak_s_ = 0;      // time the estimate has disagreed with occupied_
  bool had_estimate_ = false;  // kModel: an estimate has arrived since Init()
  uint32_t since_motion_s_ = 0;
  bool seen_motion_ = false;
  // Heater
  bool heating_ = false;
  uint32_t since_switch_s_ = 0;
};

// The occupancy model's P(occupied) from its `count` output scores (dequantized), as the host
// closed loop reads it (src/roomsim/model_occupancy.cc): with one output for two classes it is
// P(class 1) (a logit when `probabilities` is false); with one score per class it is
// scores[occupied_class] when they are probabilities (the model ends in SOFTMAX or LOGISTIC),
// else the softmax of the logits in double. The firmware and the Arduino thermostat example
// call it, so all of them read the model the same way. Inline: with `probabilities` a constant,
// firmware links no exp.
inline float OccupancyFromScores(const float* scores, int32_t count, int32_t occupied_class,
                                 bool probabilities) {
  if (count == 1) {  // one output for two classes: P(class 1)
    const float p1 = probabilities ? scores[0] : 1.0f / (1.0f + expf(-scores[0]));
    return occupied_class == 1 ? p1 : 1.0f - p1;
  }
  if (probabilities) return scores[occupied_class];
  float top = scores[0];
  for (int32_t i = 1; i < count; ++i) top = scores[i] > top ? scores[i] : top;
  double sum = 0;
  for (int32_t i = 0; i < count; ++i) sum += exp(static_cast<double>(scores[i] - top));
  return static_cast<float>(exp(static_cast<double>(scores[occupied_class] - top)) / sum);
}

}  // namespace app
}  // namespace emlkit

#endif  // EMLKIT_APP_THERMOSTAT_H_
