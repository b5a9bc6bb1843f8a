// emlkit thermostat-eval: the thermostat controller in closed loop with the simulated room,
// with an occupancy model and against three baselines, scored on occupancy, comfort and energy.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/progress.h"
#include "roomsim/calendar.h"
#include "roomsim/model_occupancy.h"
#include "roomsim/thermostat_eval.h"

namespace emlkit::cli {
namespace {

struct EvalFlags {
  std::string model;
  std::string room = "office";
  int days = 14;
  uint64_t seed = 1;
  std::string start = "2024-02-05";
  std::string period = "60s";
  std::vector<std::string> scenarios;
  std::vector<std::string> faults;
  std::string motion_timeout = "30m";
  std::string occupy_delay = "2m";
  std::string vacate_delay = "20m";
  double threshold = 0.5;
  double lambda = roomsim::kDefaultCostLambda;
  double comfort = NAN, setback = NAN;
  bool json = false;
};

Status RunThermostatEvalCommand(const EvalFlags& f) {
  roomsim::EvalOptions opt = roomsim::DefaultEvalOptions();
  EMLKIT_ASSIGN_OR_RETURN(roomsim::RoomType type, roomsim::ParseRoomType(f.room));
  opt.sim.room = roomsim::RoomProfileFor(type);
  if (!std::isnan(f.comfort)) opt.sim.room.comfort_c = f.comfort;
  if (!std::isnan(f.setback)) opt.sim.room.setback_c = f.setback;
  opt.sim.days = f.days;
  opt.sim.seed = f.seed;
  EMLKIT_ASSIGN_OR_RETURN(opt.sim.start_day, roomsim::ParseDate(f.start, "--start"));
  EMLKIT_ASSIGN_OR_RETURN(opt.sim.period_s, roomsim::ParsePeriod(f.period, "--period"));
  EMLKIT_ASSIGN_OR_RETURN(opt.sim.faults, roomsim::ParseFaults(f.faults));
  for (const std::string& s : f.scenarios) {
    EMLKIT_ASSIGN_OR_RETURN(roomsim::ScenarioId id, roomsim::ParseScenarioName(s));
    opt.scenarios.push_back(id);
  }
  EMLKIT_ASSIGN_OR_RETURN(int timeout, roomsim::ParsePeriod(f.motion_timeout, "--motion-timeout"));
  EMLKIT_ASSIGN_OR_RETURN(int occupy, roomsim::ParsePeriod(f.occupy_delay, "--occupy-delay"));
  EMLKIT_ASSIGN_OR_RETURN(int vacate, roomsim::ParsePeriod(f.vacate_delay, "--vacate-delay"));
  opt.motion_timeout_s = static_cast<uint32_t>(timeout);
  opt.occupy_delay_s = static_cast<uint32_t>(occupy);
  opt.vacate_delay_s = static_cast<uint32_t>(vacate);
  if (!(f.threshold >= 0 && f.threshold <= 1))
    return Status::InvalidArgument("--threshold " + std::to_string(f.threshold) +
                                   ": must be a probability between 0 and 1");
  opt.threshold = static_cast<float>(f.threshold);
  if (!(f.lambda >= 0 && f.lambda <= 1e6))
    return Status::InvalidArgument("--lambda " + std::to_string(f.lambda) +
                                   ": must be a number of minutes per kWh from 0 to 1e6");
  opt.cost_lambda = f.lambda;
  EMLKIT_RETURN_IF_ERROR(roomsim::ValidateSimConfig(opt.sim));

  std::unique_ptr<roomsim::OccupancyModel> model;
  if (!f.model.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(model, roomsim::OpenModelOccupancy(f.model, opt.sim.period_s));
  }
  Progress progress("thermostat-eval", roomsim::EvalRuns(opt, model != nullptr));
  EMLKIT_ASSIGN_OR_RETURN(roomsim::EvalReport report,
                          roomsim::RunThermostatEval(opt, model.get(), &progress));
  progress.Finish();
  if (f.json) {
    std::printf("%s\n", roomsim::EvalReportJson(report, f.model).dump(2).c_str());
  } else {
    std::printf("%s", roomsim::EvalReportText(report, f.model).c_str());
  }
  return Status::Ok();
}

}  // namespace

void RegisterThermostatEvalCommand(CLI::App& root, CommandList& commands) {
  auto flags = std::make_shared<EvalFlags>();
  CLI::App* app = root.add_subcommand(
      "thermostat-eval",
      "Run the thermostat controller (the firmware's own code) in closed loop with the simulated "
      "room, once per scenario, with the occupancy model and with three baselines "
      "(always-comfort, fixed schedule, motion timeout); report occupancy accuracy/F1 against "
      "the ground truth, occupied minutes outside the comfort band and heating energy.");
  app->add_option("--model", flags->model,
                  "Occupancy model (.tflite made by emlkit, with its preprocessing in the "
                  "metadata); without it only the baselines run");
  app->add_option("--room", flags->room, "Room type: office, living or bedroom")
      ->capture_default_str();
  app->add_option("--days", flags->days, "Days per scenario run")->capture_default_str();
  app->add_option("--seed", flags->seed, "Random seed")->capture_default_str();
  app->add_option("--start", flags->start, "First day, YYYY-MM-DD")->capture_default_str();
  app->add_option("--period", flags->period, "Control and sampling period")->capture_default_str();
  app->add_option("--scenario", flags->scenarios,
                  "Scenarios to run (repeat or separate with commas); default: all of them "
                  "(see emlkit roomsim --help)")
      ->delimiter(',');
  app->add_option("--faults", flags->faults, "Sensor faults on every day (as emlkit roomsim)")
      ->delimiter(',');
  app->add_option("--motion-timeout", flags->motion_timeout,
                  "Motion-timeout baseline: occupied until this long without motion")
      ->capture_default_str();
  app->add_option("--occupy-delay", flags->occupy_delay,
                  "Model: consecutive occupied estimates before switching to comfort")
      ->capture_default_str();
  app->add_option("--vacate-delay", flags->vacate_delay,
                  "Model: consecutive unoccupied estimates before switching to setback")
      ->capture_default_str();
  app->add_option("--threshold", flags->threshold, "Model: P(occupied) threshold")
      ->capture_default_str();
  app->add_option("--lambda", flags->lambda,
                  "Closed-loop cost = discomfort minutes + lambda x kWh: the occupied minutes "
                  "outside the comfort band one kWh is worth")
      ->capture_default_str();
  app->add_option("--comfort", flags->comfort, "Comfort setpoint, degC (default: the room's)");
  app->add_option("--setback", flags->setback, "Setback setpoint, degC (default: the room's)");
  app->add_flag("--json", flags->json, "Print the report as JSON on stdout");
  commands.push_back({app, [flags] { return RunThermostatEvalCommand(*flags); }});
}

}  // namespace emlkit::cli
