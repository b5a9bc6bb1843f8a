// The Arduino library's thermostat example (`emlkit export --format arduino --example
// thermostat`): examples/thermostat/thermostat.ino, the thermostat firmware of
// examples/thermostat-firmware as a sketch. It reads temperature, humidity, light, CO2 and PIR
// motion, feeds each row through NAME_push_row_each(), runs the model, reads P(occupied) with
// emlkit::app::OccupancyFromScores and lets the controller (runtime/app/thermostat.h, settings
// from runtime/app/thermostat_settings.h, both shipped in src/app/) drive a relay pin.
//
//   EMLKIT_ASSIGN_OR_RETURN(ThermostatModel t, CheckThermostatModel(m, metadata, path));
//   files.push_back({"examples/thermostat/thermostat.ino", ThermostatSketch(m, t)});
#ifndef EMLKIT_EXPORT_THERMOSTAT_EXAMPLE_H_
#define EMLKIT_EXPORT_THERMOSTAT_EXAMPLE_H_

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "export/model_info.h"

namespace emlkit::exporter {

// How the sketch feeds and reads an occupancy model.
struct ThermostatModel {
  std::vector<std::string> sensors;  // per raw column: temperature, humidity, light, co2, motion
  int occupied_class = 1;            // output index of "occupied"
  bool probabilities = true;         // the output passed through SOFTMAX / LOGISTIC
};

// The runtime files the example adds to the library (relative to runtime/).
extern const char* const kThermostatRuntimeFiles[3];

// Checks that the model can drive the thermostat: its metadata records the preprocessing (raw
// columns) and every column is one of the thermostat's sensors (temperature_c, humidity_pct,
// light_lux, co2_ppm, motion; or Temperature, Humidity, Light, CO2), its labels name an
// "occupied" class (1/occupied/true/yes, or 0/unoccupied/... of two), and output 0 has one
// score per class (or one for two classes). InvalidArgument (exit 2) naming `path` and what to
// do otherwise.
Result<ThermostatModel> CheckThermostatModel(const ModelInfo& m, const nlohmann::json* metadata,
                                             const std::string& path);

// examples/thermostat/thermostat.ino.
std::string ThermostatSketch(const ModelInfo& m, const ThermostatModel& t);

// The README section about the example.
std::string ThermostatReadme(const ModelInfo& m);

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_THERMOSTAT_EXAMPLE_H_
