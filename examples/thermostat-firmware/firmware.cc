#include "firmware.h"

#include <cmath>

#include "model.h"
#include "thermostat_preprocess.h"
#include "thermostat_settings.h"

namespace thermostat {
namespace {

// Which reading feeds each raw column of the model, by column name.
enum class Source : uint8_t { kTemperature, kHumidity, kLight, kCo2, kMotion, kUnknown };

bool NameIs(const char* name, const char* a, const char* b) {
  auto same = [](const char* x, const char* y) {
    for (; *x && *y; ++x, ++y) {
      char cx = *x >= 'A' && *x <= 'Z' ? static_cast<char>(*x - 'A' + 'a') : *x;
      if (cx != *y) return false;
    }
    return *x == *y;
  };
  return same(name, a) || same(name, b);
}

Source SourceFor(const char* column) {
  if (NameIs(column, "temperature_c", "temperature")) return Source::kTemperature;
  if (NameIs(column, "humidity_pct", "humidity")) return Source::kHumidity;
  if (NameIs(column, "light_lux", "light")) return Source::kLight;
  if (NameIs(column, "co2_ppm", "co2")) return Source::kCo2;
  if (NameIs(column, "motion", "motion")) return Source::kMotion;
  return Source::kUnknown;
}

const char* const kColumns[THERMOSTAT_NUM_COLUMNS] = THERMOSTAT_COLUMN_NAMES;
Source g_sources[THERMOSTAT_NUM_COLUMNS];
float g_scores[8];

// Runs the model on a completed record, in the preprocessing's own buffer (no copy of it is
// kept), and stores P(occupied) in *p.
void OnRecord(const float* record, void* p) {
  if (!ModelRun(record, g_scores)) return;
  *static_cast<float*>(p) = emlkit::app::OccupancyFromScores(
      g_scores, ModelOutputSize(), THERMOSTAT_OCCUPIED_CLASS, THERMOSTAT_OUTPUT_PROBABILITIES != 0);
}

}  // namespace

emlkit::app::ThermostatConfig Settings() { return SettingsForThisRoom(); }

bool Firmware::Init(const emlkit::app::ThermostatConfig& config) {
  for (int i = 0; i < THERMOSTAT_NUM_COLUMNS; ++i) {
    g_sources[i] = SourceFor(kColumns[i]);
    if (g_sources[i] == Source::kUnknown) return false;
  }
  if (!ModelInit() || ModelOutputSize() > 8 || ModelOutputSize() < 1) return false;
  thermostat_reset();
  period_s_ = THERMOSTAT_SAMPLING_PERIOD_S;
  return controller_.Init(config);
}

// P(occupied) as src/roomsim/model_occupancy.cc computes it; NaN when the model has no answer.
float Firmware::Occupancy(const SensorRow& row) {
  if (row.missing) return NAN;  // no reading: the preprocessing does not see the period
  double raw[THERMOSTAT_NUM_COLUMNS];
  for (int i = 0; i < THERMOSTAT_NUM_COLUMNS; ++i) {
    switch (g_sources[i]) {
      case Source::kTemperature:
        raw[i] = row.temperature_c;
        break;
      case Source::kHumidity:
        raw[i] = row.humidity_pct;
        break;
      case Source::kLight:
        raw[i] = row.light_lux;
        break;
      case Source::kCo2:
        raw[i] = row.co2_ppm;
        break;
      default:
        raw[i] = row.motion < 0 ? NAN : static_cast<double>(row.motion);
        break;
    }
  }
  float p = NAN;  // stays NaN while the window fills or when the row is dropped
  thermostat_push_row_each(row.time_s, raw, OnRecord, &p);
  return p;
}

Decision Firmware::Step(const SensorRow& row) {
  Decision d;
  d.occupancy_probability = Occupancy(row);
  emlkit::app::ThermostatInput in;
  in.dt_s = period_s_;
  in.weekday = row.weekday;
  in.second_of_day = row.second_of_day;
  in.temperature_c = row.missing ? NAN : static_cast<float>(row.temperature_c);
  in.motion_events = row.missing ? -1 : row.motion;
  in.occupancy_probability = d.occupancy_probability;
  d.out = controller_.Step(in);
  return d;
}

}  // namespace thermostat
