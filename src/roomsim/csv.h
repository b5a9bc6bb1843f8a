// The room simulator's CSV format, written so `emlkit data prepare` reads it directly:
//
//   timestamp,temperature_c,humidity_pct,light_lux,co2_ppm,motion,occupied,occupants,heater_w,fault
//   2024-02-05 00:00:00,19.62,31.48,0,431,0,0,0,0,none
//
// timestamp     "YYYY-MM-DD hh:mm:ss", local standard time, one row per period (a row the logger
//               lost is absent: a gap in the timestamps)
// temperature_c air temperature reading, degC      } sensor readings at the sensor's
// humidity_pct  relative humidity reading, %        } resolution (fixed decimals);
// light_lux     illuminance reading, lux            } an empty field is a reading the
// co2_ppm       CO2 reading, ppm                    } sensor did not deliver
// motion        PIR events during the period (integer)
// occupied      GROUND TRUTH: 1 if anyone was in the room, else 0 (a pet does not count)
// occupants     GROUND TRUTH: people in the room
// heater_w      GROUND TRUTH: heater power during the period, W (what the controller chose)
// fault         GROUND TRUTH: "none" or the injected faults, e.g. "spike:co2+stuck:temperature"
#ifndef EMLKIT_ROOMSIM_CSV_H_
#define EMLKIT_ROOMSIM_CSV_H_

#include <cstdint>
#include <string>

#include "roomsim/sensors.h"
#include "roomsim/simulator.h"

namespace emlkit::roomsim {

inline constexpr const char* kCsvHeader =
    "timestamp,temperature_c,humidity_pct,light_lux,co2_ppm,motion,occupied,occupants,heater_w,"
    "fault\n";

// Appends `value` with exactly `decimals` decimals (round half away from zero); nothing for NaN.
void AppendFixed(double value, int decimals, std::string* out);

class CsvRowWriter {
 public:
  // Decimals per sensor column come from the sensors' resolutions.
  explicit CsvRowWriter(const SensorSpecs& specs);
  // Appends the sample's line (with '\n'); nothing for a row the logger lost. Not thread-safe
  // (caches the date of the last row).
  void Append(const Sample& s, std::string* out);

 private:
  int decimals_[kNumAnalog];
  int64_t cached_day_ = INT64_MIN;
  char date_[11] = {};  // "YYYY-MM-DD "
};

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_CSV_H_
