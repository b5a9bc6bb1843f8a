// Whole runs of the room: the job behind `emlkit roomsim`. The heater follows a controller
// chosen by `Heating` (by default the fixed schedule, like a programmable thermostat), so the
// data show a heated room the way a logger in a real building would.
#ifndef EMLKIT_ROOMSIM_GENERATE_H_
#define EMLKIT_ROOMSIM_GENERATE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "roomsim/simulator.h"

namespace emlkit::roomsim {

enum class Heating { kOff, kSchedule, kMotionTimeout, kAlwaysComfort };
// "off", "schedule", "motion-timeout", "always-comfort".
const char* HeatingName(Heating h);
Result<Heating> ParseHeating(const std::string& name);

struct RunSummary {
  int64_t rows = 0;          // periods simulated
  int64_t rows_written = 0;  // rows in the CSV (lost rows excluded)
  int64_t occupied_rows = 0;
  int64_t fault_rows = 0;  // rows with any injected fault (lost rows included)
  double energy_kwh = 0;
  double air_min_c = 0, air_max_c = 0;
};

// Runs the closed loop over the whole configuration and calls `on_sample` for every period.
// `progress` (optional) is updated once per simulated day. Ctrl-C stops with kCancelled.
Result<RunSummary> RunRoom(const SimConfig& config, Heating heating,
                           const std::function<void(const Sample&)>& on_sample,
                           Progress* progress = nullptr);

// Writes the CSV (csv.h) atomically to `path`: on any error nothing is left at `path`.
Result<RunSummary> WriteRoomCsv(const SimConfig& config, Heating heating, const std::string& path,
                                Progress* progress = nullptr);

// Every sample of a run, in memory (tests, realism checks).
Result<std::vector<Sample>> SimulateSamples(const SimConfig& config, Heating heating);

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_GENERATE_H_
