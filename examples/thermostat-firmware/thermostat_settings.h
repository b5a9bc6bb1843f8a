// The thermostat's settings for one room and one model: the simulated office of `emlkit
// roomsim` (its setpoints, heater and fixed schedule, `emlkit thermostat-eval`'s defaults) with
// a model that ends in SOFTMAX and names its classes 0/1. Edit for another room or model (the
// firmware test writes its own copy from the host's settings, so both run the same controller).
#ifndef THERMOSTAT_FIRMWARE_THERMOSTAT_SETTINGS_H_
#define THERMOSTAT_FIRMWARE_THERMOSTAT_SETTINGS_H_

#include "app/thermostat.h"

#define THERMOSTAT_SAMPLING_PERIOD_S 60    // the rate rows come at (the model's period_s)
#define THERMOSTAT_OCCUPIED_CLASS 1        // the output index of "occupied"
#define THERMOSTAT_OUTPUT_PROBABILITIES 1  // 1: the outputs are probabilities; 0: logits

namespace thermostat {

inline emlkit::app::ThermostatConfig SettingsForThisRoom() {
  emlkit::app::ThermostatConfig c;
  c.source = emlkit::app::OccupancySource::kModel;
  c.comfort_c = 21.0f;
  c.setback_c = 19.0f;
  c.heater_max_w = 1500.0f;
  c.schedule[0] = {emlkit::app::kWorkdays, 7 * 60, 19 * 60};
  c.schedule_count = 1;
  c.occupy_delay_s = 120;
  c.vacate_delay_s = 1200;
  c.occupied_threshold = 0.5f;
  c.model_start_occupied = true;  // comfort while the model's first window fills (as the host loop)
  return c;
}

}  // namespace thermostat

#endif  // THERMOSTAT_FIRMWARE_THERMOSTAT_SETTINGS_H_
