// The thermostat's settings for the simulated office of `emlkit roomsim` (the setpoints, heater
// and fixed schedule that `emlkit thermostat-eval` uses by default), shared by the thermostat
// firmware (examples/thermostat-firmware) and the Arduino library's thermostat example
// (`emlkit export --format arduino --example thermostat`). Edit a copy for another room.
// Freestanding C++11 (no C++ standard headers).
//
// How to read the model's output (define before including this header to change them):
//   THERMOSTAT_SAMPLING_PERIOD_S     seconds between sensor rows (the model's period_s)
//   THERMOSTAT_OCCUPIED_CLASS        the output index of "occupied"
//   THERMOSTAT_OUTPUT_PROBABILITIES  1: the outputs are probabilities (SOFTMAX/LOGISTIC); 0: logits
#ifndef EMLKIT_APP_THERMOSTAT_SETTINGS_H_
#define EMLKIT_APP_THERMOSTAT_SETTINGS_H_

#include "app/thermostat.h"

#ifndef THERMOSTAT_SAMPLING_PERIOD_S
#define THERMOSTAT_SAMPLING_PERIOD_S 60
#endif
#ifndef THERMOSTAT_OCCUPIED_CLASS
#define THERMOSTAT_OCCUPIED_CLASS 1
#endif
#ifndef THERMOSTAT_OUTPUT_PROBABILITIES
#define THERMOSTAT_OUTPUT_PROBABILITIES 1
#endif

namespace emlkit {
namespace app {

// The office's controller settings with the occupancy model as the source (checked against
// thermostat-eval's by tests/firmware: ThermostatSettings.OfficeSettingsAreThermostatEvals).
inline ThermostatConfig OfficeThermostatConfig() {
  ThermostatConfig c;
  c.source = OccupancySource::kModel;
  c.comfort_c = 21.0f;
  c.setback_c = 19.0f;
  c.heater_max_w = 1500.0f;
  c.schedule[0] = SchedulePeriod(kWorkdays, 7 * 60, 19 * 60);
  c.schedule_count = 1;
  c.occupy_delay_s = 120;
  c.vacate_delay_s = 1200;
  c.occupied_threshold = 0.5f;
  c.model_start_occupied = true;  // comfort while the model's first window fills (as the host loop)
  return c;
}

}  // namespace app
}  // namespace emlkit

#endif  // EMLKIT_APP_THERMOSTAT_SETTINGS_H_
