// Sensors and heater over files: the replay board. Reads one CSV row per period and writes one
// decision line per period; with semihosting (the emulated Cortex-M4) the files are the host's.
//
//   thermostat_firmware SENSORS.csv DECISIONS.csv
//
// SENSORS.csv: a header line, then per period
//   time_s,weekday,second_of_day,lost,temperature_c,humidity_pct,light_lux,co2_ppm,motion
// (lost = 1 when the logger got no reading at all; an empty value is a missing reading; values
// as written by the host, %.17g, so they read back as the same doubles).
// DECISIONS.csv: a header line, then per period
//   time_s,p_occupied,heater_w,setpoint_c,occupied,heating,sensor_fault
// with the three floats as the hex of their IEEE bits, so host and device compare exactly.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sensors.h"

namespace thermostat {
namespace {

FILE* g_in = nullptr;
FILE* g_out = nullptr;

// The next comma-separated field of *p as a double; NaN when empty.
double Field(char** p) {
  char* s = *p;
  char* end = std::strchr(s, ',');
  if (end) *end = '\0';
  *p = end ? end + 1 : s + std::strlen(s);
  while (*s == ' ') ++s;
  if (*s == '\0' || *s == '\n' || *s == '\r') return NAN;
  return std::strtod(s, nullptr);
}

unsigned long Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

}  // namespace

bool SensorsOpen(int argc, char** argv) {
  if (argc != 3) {
    std::printf("usage: thermostat_firmware SENSORS.csv DECISIONS.csv\n");
    return false;
  }
  g_in = std::fopen(argv[1], "r");
  g_out = std::fopen(argv[2], "w");
  char header[256];
  if (!g_in || !g_out || !std::fgets(header, sizeof(header), g_in)) {
    std::printf("thermostat: cannot open %s or %s\n", argv[1], argv[2]);
    return false;
  }
  std::fputs("time_s,p_occupied,heater_w,setpoint_c,occupied,heating,sensor_fault\n", g_out);
  return true;
}

bool SensorsRead(SensorRow* row) {
  char line[256];
  if (!std::fgets(line, sizeof(line), g_in)) return false;
  char* p = line;
  row->time_s = Field(&p);
  row->weekday = static_cast<uint8_t>(Field(&p));
  row->second_of_day = static_cast<uint32_t>(Field(&p));
  row->missing = Field(&p) == 1.0;
  row->temperature_c = Field(&p);
  row->humidity_pct = Field(&p);
  row->light_lux = Field(&p);
  row->co2_ppm = Field(&p);
  const double motion = Field(&p);
  row->motion = motion == motion ? static_cast<int32_t>(motion) : -1;
  return true;
}

void DecisionWrite(const SensorRow& row, const Decision& d) {
  std::fprintf(g_out, "%lu,%08lx,%08lx,%08lx,%d,%d,%d\n", static_cast<unsigned long>(row.time_s),
               Bits(d.occupancy_probability), Bits(d.out.heater_w), Bits(d.out.setpoint_c),
               d.out.occupied ? 1 : 0, d.out.heating ? 1 : 0, d.out.sensor_fault ? 1 : 0);
}

void ReportError(const char* message) { std::printf("%s\n", message); }

void SensorsClose() {
  std::fclose(g_in);
  std::fclose(g_out);
}

}  // namespace thermostat
