// emlkit roomsim: simulate a room and write its sensor log as CSV (see src/roomsim/csv.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/progress.h"
#include "roomsim/calendar.h"
#include "roomsim/generate.h"
#include "roomsim/scenario.h"

namespace emlkit::cli {
namespace {

struct RoomsimFlags {
  std::string room = "office";
  int days = 28;
  uint64_t seed = 1;
  std::string start = "2024-02-05";
  std::string period = "60s";
  std::vector<std::string> scenarios;
  std::vector<std::string> faults;
  std::string heating = "schedule";
  std::string out;
  bool json = false;
};

std::string ScenarioHelp() {
  std::string s =
      "Scenario NAME (every day), NAME:D or NAME:D1-D2 (days, 1-based); repeat or separate "
      "with commas. Names:";
  for (const roomsim::ScenarioInfo& i : roomsim::AllScenarios())
    s += std::string("\n  ") + i.name + ": " + i.summary;
  return s;
}

Status RunRoomsim(const RoomsimFlags& f) {
  roomsim::SimConfig cfg;
  EMLKIT_ASSIGN_OR_RETURN(roomsim::RoomType type, roomsim::ParseRoomType(f.room));
  cfg.room = roomsim::RoomProfileFor(type);
  cfg.days = f.days;
  cfg.seed = f.seed;
  EMLKIT_ASSIGN_OR_RETURN(cfg.start_day, roomsim::ParseDate(f.start, "--start"));
  EMLKIT_ASSIGN_OR_RETURN(cfg.period_s, roomsim::ParsePeriod(f.period, "--period"));
  if (cfg.days < 1 || cfg.days > 3660)
    return Status::InvalidArgument("--days " + std::to_string(f.days) +
                                   ": must be a whole number of days from 1 to 3660");
  for (const std::string& s : f.scenarios) {
    EMLKIT_ASSIGN_OR_RETURN(roomsim::ScenarioUse use, roomsim::ParseScenarioUse(s, cfg.days));
    cfg.scenarios.push_back(use);
  }
  EMLKIT_ASSIGN_OR_RETURN(cfg.faults, roomsim::ParseFaults(f.faults));
  EMLKIT_ASSIGN_OR_RETURN(roomsim::Heating heating, roomsim::ParseHeating(f.heating));
  EMLKIT_RETURN_IF_ERROR(roomsim::ValidateSimConfig(cfg));

  Progress progress("roomsim", cfg.days);
  EMLKIT_ASSIGN_OR_RETURN(roomsim::RunSummary sum,
                          roomsim::WriteRoomCsv(cfg, heating, f.out, &progress));
  progress.Finish();
  double occupied = sum.rows ? static_cast<double>(sum.occupied_rows) / sum.rows : 0.0;
  std::fprintf(stderr,
               "roomsim: wrote %lld rows to %s (%s, %d days from %s, period %d s, seed %llu, "
               "heating %s): occupied %.1f %% of the time, heater %.1f kWh, air %.1f..%.1f degC, "
               "%lld rows with injected faults\n",
               static_cast<long long>(sum.rows_written), f.out.c_str(), f.room.c_str(), cfg.days,
               f.start.c_str(), cfg.period_s, static_cast<unsigned long long>(cfg.seed),
               f.heating.c_str(), 100 * occupied, sum.energy_kwh, sum.air_min_c, sum.air_max_c,
               static_cast<long long>(sum.fault_rows));
  if (f.json) {
    nlohmann::ordered_json j;
    j["out"] = f.out;
    j["room"] = f.room;
    j["start"] = f.start;
    j["days"] = cfg.days;
    j["period_s"] = cfg.period_s;
    j["seed"] = cfg.seed;
    j["heating"] = f.heating;
    j["scenarios"] = f.scenarios;
    j["faults"] = f.faults;
    j["rows"] = sum.rows;
    j["rows_written"] = sum.rows_written;
    j["occupied_fraction"] = occupied;
    j["heater_kwh"] = sum.energy_kwh;
    j["air_min_c"] = sum.air_min_c;
    j["air_max_c"] = sum.air_max_c;
    j["fault_rows"] = sum.fault_rows;
    std::printf("%s\n", j.dump(2).c_str());
  }
  return Status::Ok();
}

}  // namespace

void RegisterRoomsimCommand(CLI::App& root, CommandList& commands) {
  auto flags = std::make_shared<RoomsimFlags>();
  CLI::App* app = root.add_subcommand(
      "roomsim",
      "Simulate a room (heat, CO2, humidity, light, people, a pet, sensors and their faults) and "
      "write its sensor log as CSV, ready for `emlkit data prepare`. Columns: timestamp, "
      "temperature_c, humidity_pct, light_lux, co2_ppm, motion (sensor readings), occupied, "
      "occupants, heater_w, fault (ground truth). The same seed gives the same bytes.");
  app->add_option("--room", flags->room, "Room type: office, living or bedroom")
      ->capture_default_str();
  app->add_option("--days", flags->days, "Days to simulate (1 to 3660)")->capture_default_str();
  app->add_option("--seed", flags->seed, "Random seed")->capture_default_str();
  app->add_option("--start", flags->start, "First day, YYYY-MM-DD (local standard time)")
      ->capture_default_str();
  app->add_option("--period", flags->period,
                  "Sampling period (e.g. 10s, 60s, 5m); must divide a day")
      ->capture_default_str();
  app->add_option("--scenario", flags->scenarios, ScenarioHelp())->delimiter(',');
  app->add_option("--faults", flags->faults,
                  "Sensor faults on every day: spike, stuck, dropout, drift, each optionally "
                  "KIND:SENSOR (temperature, humidity, light, co2, motion, rows, all); "
                  "repeat or separate with commas")
      ->delimiter(',');
  app->add_option("--heating", flags->heating,
                  "Heater control: schedule (the room's fixed comfort schedule), motion-timeout, "
                  "always-comfort or off")
      ->capture_default_str();
  app->add_option("--out", flags->out, "Output CSV file (written atomically)")->required();
  app->add_flag("--json", flags->json, "Print a JSON summary on stdout");
  commands.push_back({app, [flags] { return RunRoomsim(*flags); }});
}

}  // namespace emlkit::cli
