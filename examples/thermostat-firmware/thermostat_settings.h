// The thermostat's settings for one room and one model: the simulated office of `emlkit
// roomsim` (runtime/app/thermostat_settings.h, which the Arduino library's thermostat example
// uses too) with a model that ends in SOFTMAX and names its classes 0/1. Edit for another room
// or model (the firmware test writes its own copy from the host's settings, so both run the same
// controller).
#ifndef THERMOSTAT_FIRMWARE_THERMOSTAT_SETTINGS_H_
#define THERMOSTAT_FIRMWARE_THERMOSTAT_SETTINGS_H_

#include "app/thermostat_settings.h"

namespace thermostat {

inline emlkit::app::ThermostatConfig SettingsForThisRoom() {
  return emlkit::app::OfficeThermostatConfig();
}

}  // namespace thermostat

#endif  // THERMOSTAT_FIRMWARE_THERMOSTAT_SETTINGS_H_
