// The thermostat firmware's main loop: read the sensors once per period, decide, drive the
// heater. On a board the loop never ends; the replay ends with its input file.
#include "firmware.h"
#include "sensors.h"

int main(int argc, char** argv) {
  if (!thermostat::SensorsOpen(argc, argv)) return 2;
  // Static: the controller's settings and state count in the image's RAM, not on the stack.
  static thermostat::Firmware firmware;
  if (!firmware.Init(thermostat::Settings())) {
    thermostat::ReportError("thermostat: the model or the settings do not load");
    return 3;
  }
  thermostat::SensorRow row;
  while (thermostat::SensorsRead(&row)) thermostat::DecisionWrite(row, firmware.Step(row));
  thermostat::SensorsClose();
  return 0;
}
