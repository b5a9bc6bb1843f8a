// Sensors and heater of a bare-metal board through memory-mapped registers: the deployable
// image (no stdio, no files), and what a port to real hardware replaces with its drivers. The
// register block is a placeholder at THERMOSTAT_MMIO_BASE (a peripheral the board's sensor
// front end fills once per period; the relay at the end); sizes of this build are the
// firmware's flash and RAM figures (README.md).
#include <cmath>

#include "sensors.h"

#ifndef THERMOSTAT_MMIO_BASE
#define THERMOSTAT_MMIO_BASE 0x40010000u
#endif

namespace thermostat {
namespace {

struct Registers {
  uint32_t ready;  // 1 when a new period's readings are latched; reading clears it
  uint32_t time_s, weekday, second_of_day;
  uint32_t valid;  // bit i: reading i below is valid (0 temperature ... 4 motion)
  float temperature_c, humidity_pct, light_lux, co2_ppm;
  int32_t motion;
  float heater_w;  // written: the heater power until the next period
};

volatile Registers* Board() { return reinterpret_cast<volatile Registers*>(THERMOSTAT_MMIO_BASE); }

double Reading(uint32_t valid, int bit, float v) { return valid & (1u << bit) ? v : NAN; }

}  // namespace

bool SensorsOpen(int, char**) { return true; }

bool SensorsRead(SensorRow* row) {
  volatile Registers* r = Board();
  while (r->ready == 0) {
  }
  const uint32_t valid = r->valid;
  row->time_s = r->time_s;
  row->weekday = static_cast<uint8_t>(r->weekday);
  row->second_of_day = r->second_of_day;
  row->missing = valid == 0;
  row->temperature_c = Reading(valid, 0, r->temperature_c);
  row->humidity_pct = Reading(valid, 1, r->humidity_pct);
  row->light_lux = Reading(valid, 2, r->light_lux);
  row->co2_ppm = Reading(valid, 3, r->co2_ppm);
  row->motion = valid & (1u << 4) ? r->motion : -1;
  return true;
}

void DecisionWrite(const SensorRow&, const Decision& d) { Board()->heater_w = d.out.heater_w; }

void SensorsClose() {}

void ReportError(const char*) {}

}  // namespace thermostat
