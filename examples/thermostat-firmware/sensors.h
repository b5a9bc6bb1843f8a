// The thermostat firmware's view of its board: one sensor reading per sampling period in, one
// heater decision out. A real board implements these functions over its drivers (an RTC,
// an SHT3x, a light sensor, an NDIR CO2 sensor, a PIR counter and a relay); replay_sensors.cc
// implements them over files, so the same firmware runs on the host and, through semihosting,
// on the emulated Cortex-M4.
#ifndef THERMOSTAT_FIRMWARE_SENSORS_H_
#define THERMOSTAT_FIRMWARE_SENSORS_H_

#include <cstdint>

#include "app/thermostat.h"

namespace thermostat {

// One period's readings. Values are double because the preprocessing the model was trained with
// cleans raw values in double (src/data/row_steps.h); a driver giving float just widens them.
struct SensorRow {
  double time_s = 0;           // seconds since 1970-01-01, local time (from the RTC)
  uint8_t weekday = 0;         // 0 = Monday ... 6 = Sunday
  uint32_t second_of_day = 0;  // 0 ... 86399
  bool missing = false;        // no reading at all this period (the bus failed)
  double temperature_c = 0;    // NaN: this sensor gave nothing
  double humidity_pct = 0;
  double light_lux = 0;
  double co2_ppm = 0;
  int32_t motion = 0;  // PIR events during the period; negative: no reading
};

// What the firmware decided for a period (written back by DecisionWrite).
struct Decision {
  float occupancy_probability = 0;  // the model's P(occupied); NaN when it had no answer
  emlkit::app::ThermostatOutput out;
};

// Opens the board's sensors (the replay: argv names the input and output files). False on
// failure, with a message on the board's console.
bool SensorsOpen(int argc, char** argv);
// The next period's readings; false when there are no more (the replay's end).
bool SensorsRead(SensorRow* row);
// Applies (relay) and reports a decision.
void DecisionWrite(const SensorRow& row, const Decision& decision);
void SensorsClose();
// Reports a fatal error on the board's console (the replay: stdout; the deployable image has no
// console and no printf: it ignores the message, main's exit status says it).
void ReportError(const char* message);

}  // namespace thermostat

#endif  // THERMOSTAT_FIRMWARE_SENSORS_H_
