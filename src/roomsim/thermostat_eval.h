// thermostat-eval: the thermostat controller in closed loop with the simulated room, once per
// scenario and occupancy source, scored on occupancy (accuracy, F1), comfort (occupied minutes
// outside the room's comfort band, from the true air temperature) and heating energy.
//
// Every controller sees the same room: the same weather, people and sensor noise (only the
// heater power differs), so differences come from the controller alone. Sources:
//   model           the occupancy model (OccupancyModel, e.g. a .tflite through the runtime)
//   always_comfort  comfort setpoint all the time (the upper bound on comfort and energy)
//   fixed_schedule  the room type's comfort periods (a programmable thermostat)
//   motion_timeout  occupied until motion_timeout_s without PIR motion
#ifndef EMLKIT_ROOMSIM_THERMOSTAT_EVAL_H_
#define EMLKIT_ROOMSIM_THERMOSTAT_EVAL_H_

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/progress.h"
#include "common/status.h"
#include "roomsim/closed_loop.h"
#include "roomsim/eval_score.h"
#include "roomsim/scenario.h"
#include "roomsim/simulator.h"

namespace emlkit::roomsim {

enum class Controller { kModel = 0, kAlwaysComfort, kFixedSchedule, kMotionTimeout };
inline constexpr int kNumControllers = 4;
// JSON keys: "model", "always_comfort", "fixed_schedule", "motion_timeout".
const char* ControllerKey(Controller c);

struct EvalOptions {
  SimConfig sim;  // room, start, days (default here: 14), period, seed, global faults
  std::vector<ScenarioId> scenarios;  // each a run of sim.days days; empty = every scenario
  // Controller settings (the room's setpoints and schedule come from sim.room).
  uint32_t motion_timeout_s = 1800;
  uint32_t occupy_delay_s = 120;
  uint32_t vacate_delay_s = 1200;
  float threshold = 0.5f;
  // The closed-loop objective reported for every controller: cost = discomfort minutes +
  // cost_lambda x kWh (ControllerScore::cost).
  double cost_lambda = kDefaultCostLambda;
};
EvalOptions DefaultEvalOptions();

// The thermostat settings used for `c` under `options`.
app::ThermostatConfig EvalThermostatConfig(const EvalOptions& options, Controller c);

struct ScenarioResult {
  ScenarioId scenario = ScenarioId::kNormal;
  std::array<ControllerScore, kNumControllers> scores;
};

struct EvalReport {
  EvalOptions options;
  bool has_model = false;
  std::vector<ScenarioResult> scenarios;
  std::array<ControllerScore, kNumControllers> total;  // all scenarios together
};

// Runs every scenario with every controller (the model only when `model` is given; it is Reset
// before each run). `progress` (optional) counts runs, EvalRuns() of them. Ctrl-C stops with
// kCancelled.
int64_t EvalRuns(const EvalOptions& options, bool with_model);
// One closed-loop run: `scenario` on every one of options.sim.days days, under `controller`.
Result<ControllerScore> RunScenario(const EvalOptions& options, ScenarioId scenario,
                                    Controller controller, OccupancyModel* model);
Result<EvalReport> RunThermostatEval(const EvalOptions& options, OccupancyModel* model,
                                     Progress* progress = nullptr);

// The report as JSON: {"room", "days", ..., "model": {...} or null, "baselines": {...},
// "scenarios": [{"name", "model", "baselines"}]}; see docs/roomsim.md.
nlohmann::ordered_json EvalReportJson(const EvalReport& report, const std::string& model_name);
// A plain-text table for the terminal.
std::string EvalReportText(const EvalReport& report, const std::string& model_name);

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_THERMOSTAT_EVAL_H_
