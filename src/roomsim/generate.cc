#include "roomsim/generate.h"

#include <algorithm>
#include <limits>

#include "common/fs.h"
#include "roomsim/calendar.h"
#include "roomsim/closed_loop.h"
#include "roomsim/csv.h"

namespace emlkit::roomsim {

const char* HeatingName(Heating h) {
  switch (h) {
    case Heating::kOff:
      return "off";
    case Heating::kSchedule:
      return "schedule";
    case Heating::kMotionTimeout:
      return "motion-timeout";
    case Heating::kAlwaysComfort:
      return "always-comfort";
  }
  return "unknown";
}

Result<Heating> ParseHeating(const std::string& name) {
  for (Heating h :
       {Heating::kOff, Heating::kSchedule, Heating::kMotionTimeout, Heating::kAlwaysComfort}) {
    if (name == HeatingName(h)) return h;
  }
  return Status::InvalidArgument("--heating '" + name +
                                 "': choose off, schedule, motion-timeout or always-comfort");
}

Result<RunSummary> RunRoom(const SimConfig& config, Heating heating,
                           const std::function<void(const Sample&)>& on_sample,
                           Progress* progress) {
  EMLKIT_ASSIGN_OR_RETURN(std::unique_ptr<RoomSimulator> sim, RoomSimulator::Create(config));
  std::optional<app::ThermostatConfig> thermostat;
  if (heating != Heating::kOff) {
    app::OccupancySource source = heating == Heating::kSchedule ? app::OccupancySource::kSchedule
                                  : heating == Heating::kMotionTimeout
                                      ? app::OccupancySource::kMotionTimeout
                                      : app::OccupancySource::kAlwaysComfort;
    thermostat = ThermostatConfigFor(config.room, source);
  }
  ClosedLoop loop(sim.get(), thermostat, nullptr);
  EMLKIT_RETURN_IF_ERROR(loop.Init());
  RunSummary sum;
  sum.air_min_c = std::numeric_limits<double>::infinity();
  sum.air_max_c = -sum.air_min_c;
  const int64_t per_day = kSecondsPerDay / config.period_s;
  const double kwh_per_w_step = config.period_s / 3.6e6;
  while (!sim->done()) {
    if (sim->steps_done() % per_day == 0) {
      if (InterruptRequested()) return Status::Cancelled("interrupted; nothing was written");
      if (progress) progress->Update(sim->steps_done() / per_day);
    }
    EMLKIT_ASSIGN_OR_RETURN(const Sample* s, loop.Step());
    ++sum.rows;
    sum.rows_written += s->row_missing ? 0 : 1;
    sum.occupied_rows += s->occupied ? 1 : 0;
    sum.fault_rows += s->faults != 0 ? 1 : 0;
    sum.energy_kwh += s->heater_w * kwh_per_w_step;
    sum.air_min_c = std::min(sum.air_min_c, s->air_c);
    sum.air_max_c = std::max(sum.air_max_c, s->air_c);
    if (on_sample) on_sample(*s);
  }
  if (progress) progress->Update(config.days);
  return sum;
}

Result<RunSummary> WriteRoomCsv(const SimConfig& config, Heating heating, const std::string& path,
                                Progress* progress) {
  EMLKIT_RETURN_IF_ERROR(CheckWritableFile(path));
  std::string text;
  text.reserve(static_cast<size_t>(config.days) * (kSecondsPerDay / config.period_s) * 64 + 128);
  text.append(kCsvHeader);
  CsvRowWriter writer(config.sensors);
  EMLKIT_ASSIGN_OR_RETURN(
      RunSummary sum,
      RunRoom(
          config, heating, [&](const Sample& s) { writer.Append(s, &text); }, progress));
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(path, text));
  return sum;
}

Result<std::vector<Sample>> SimulateSamples(const SimConfig& config, Heating heating) {
  std::vector<Sample> out;
  EMLKIT_RETURN_IF_ERROR(
      RunRoom(config, heating, [&](const Sample& s) { out.push_back(s); }).status());
  return out;
}

}  // namespace emlkit::roomsim
