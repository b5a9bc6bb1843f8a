// Realism statistics: the figures that say whether a simulated room behaves like a real one, and
// the documented tolerances the simulated office must meet against the real office data set
// (../shared/data/occupancy, Candanedo and Feldheim 2016). docs/roomsim.md lists the values.
#ifndef EMLKIT_ROOMSIM_REALISM_H_
#define EMLKIT_ROOMSIM_REALISM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "roomsim/simulator.h"

namespace emlkit::roomsim {

// One labelled sensor row, from a simulation or a real log. NaN marks a missing reading.
struct RealismRow {
  int64_t time_s = 0;  // seconds since 1970-01-01, local time
  double temperature_c = 0, humidity_pct = 0, light_lux = 0, co2_ppm = 0;
  bool occupied = false;
};

struct RealismStats {
  int64_t rows = 0;
  double co2_occupied_median = 0, co2_empty_median = 0;
  double light_occupied_median = 0, light_occupied_p5 = 0, light_empty_median = 0;
  double temp_p5 = 0, temp_p95 = 0, temp_occupied_mean = 0, temp_empty_mean = 0;
  double humidity_median = 0;
  // Over workdays (Monday..Friday) with at least 95 % of their rows present:
  int full_workdays = 0;
  double workday_swing_median = 0;    // median of (max - min) temperature per day
  double workday_occupied_share = 0;  // share of occupied rows
};

// Rows in any order; they are sorted by time.
RealismStats ComputeRealismStats(std::vector<RealismRow> rows);
std::vector<RealismRow> RealismRowsFromSamples(const std::vector<Sample>& samples);

// Column names of a labelled sensor log (the label is occupied when it equals 1).
struct RealismColumns {
  std::string timestamp = "timestamp", temperature = "temperature_c", humidity = "humidity_pct",
              light = "light_lux", co2 = "co2_ppm", occupied = "occupied";
};
// The UCI occupancy files (../shared/data/occupancy).
inline RealismColumns UciOccupancyColumns() {
  return {"date", "Temperature", "Humidity", "Light", "CO2", "Occupancy"};
}
// Reads CSV logs with the data stage's reader (src/data/table.h: any delimiter, a leading row
// id, missing values as NaN). Errors name the file, line and column.
Result<std::vector<RealismRow>> ReadRealismRows(const std::vector<std::string>& paths,
                                                const RealismColumns& columns);

struct RealismCheck {
  std::string name;  // e.g. "co2_occupied_median"
  std::string unit;  // "ppm", "lux", "degC", "share"
  double real = 0, sim = 0;
  double tolerance = 0;  // allowed |sim - real| (relative to real when `relative`)
  bool relative = false;
  bool ok = false;
};
// Compares the simulated office with the real one; tolerances as documented in docs/roomsim.md.
std::vector<RealismCheck> CompareRealism(const RealismStats& real, const RealismStats& sim);
// One line per check: "name real sim tolerance ok".
std::string FormatRealismChecks(const std::vector<RealismCheck>& checks);

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_REALISM_H_
