#include "roomsim/thermostat_eval.h"

#include <cstdio>

#include "roomsim/calendar.h"

namespace emlkit::roomsim {
namespace {

nlohmann::ordered_json ScoreJson(const ControllerScore& s, bool with_estimate, double lambda) {
  nlohmann::ordered_json j;
  j["occupancy_accuracy"] = s.decision.accuracy();
  j["occupancy_f1"] = s.decision.f1();
  j["occupancy_precision"] = s.decision.precision();
  j["occupancy_recall"] = s.decision.recall();
  if (with_estimate) {  // the model's own per-period output, before smoothing
    j["estimate_accuracy"] = s.estimate.accuracy();
    j["estimate_f1"] = s.estimate.f1();
  }
  j["comfort_violation_min"] = s.comfort_violation_min();
  j["too_cold_min"] = s.too_cold * s.period_s / 60;
  j["too_warm_min"] = s.too_warm * s.period_s / 60;
  j["energy_kwh"] = s.energy_kwh();
  j["heater_switches"] = s.switches;
  j["sensor_fault_min"] = s.sensor_fault * s.period_s / 60;
  j["occupied_min"] = (s.decision.tp + s.decision.fn) * s.period_s / 60;
  j["cost"] = s.cost(lambda);
  return j;
}

nlohmann::ordered_json Baselines(const std::array<ControllerScore, kNumControllers>& scores,
                                 double lambda) {
  nlohmann::ordered_json b;
  for (int c = 1; c < kNumControllers; ++c)
    b[ControllerKey(static_cast<Controller>(c))] = ScoreJson(scores[c], false, lambda);
  return b;
}

}  // namespace

const char* ControllerKey(Controller c) {
  switch (c) {
    case Controller::kModel:
      return "model";
    case Controller::kAlwaysComfort:
      return "always_comfort";
    case Controller::kFixedSchedule:
      return "fixed_schedule";
    case Controller::kMotionTimeout:
      return "motion_timeout";
  }
  return "unknown";
}

EvalOptions DefaultEvalOptions() {
  EvalOptions o;
  o.sim.days = 14;
  return o;
}

app::ThermostatConfig EvalThermostatConfig(const EvalOptions& options, Controller c) {
  app::OccupancySource source = app::OccupancySource::kModel;
  if (c == Controller::kAlwaysComfort) source = app::OccupancySource::kAlwaysComfort;
  if (c == Controller::kFixedSchedule) source = app::OccupancySource::kSchedule;
  if (c == Controller::kMotionTimeout) source = app::OccupancySource::kMotionTimeout;
  app::ThermostatConfig t = ThermostatConfigFor(options.sim.room, source);
  t.motion_timeout_s = options.motion_timeout_s;
  t.occupy_delay_s = options.occupy_delay_s;
  t.vacate_delay_s = options.vacate_delay_s;
  t.occupied_threshold = options.threshold;
  t.model_start_occupied = true;  // comfort while the model's window fills at the run's start
  return t;
}

int64_t EvalRuns(const EvalOptions& options, bool with_model) {
  const size_t scenarios =
      options.scenarios.empty() ? AllScenarios().size() : options.scenarios.size();
  return static_cast<int64_t>(scenarios) * (with_model ? kNumControllers : kNumControllers - 1);
}

Result<ControllerScore> RunScenario(const EvalOptions& options, ScenarioId scenario,
                                    Controller controller, OccupancyModel* model) {
  SimConfig cfg = options.sim;
  cfg.scenarios = {{scenario, 0, cfg.days - 1}};
  EMLKIT_ASSIGN_OR_RETURN(std::unique_ptr<RoomSimulator> sim, RoomSimulator::Create(cfg));
  ClosedLoop loop(sim.get(), EvalThermostatConfig(options, controller), model);
  EMLKIT_RETURN_IF_ERROR(loop.Init());
  ScoreKeeper keeper(cfg.room.band_low_c, cfg.room.band_high_c, cfg.period_s);
  while (!sim->done()) {
    if (sim->steps_done() % 1440 == 0 && InterruptRequested())
      return Status::Cancelled("thermostat-eval interrupted");
    EMLKIT_ASSIGN_OR_RETURN(const Sample* s, loop.Step());
    keeper.Add(*s, loop.output());
  }
  return keeper.score();
}

Result<EvalReport> RunThermostatEval(const EvalOptions& options, OccupancyModel* model,
                                     Progress* progress) {
  EvalReport report;
  report.options = options;
  report.has_model = model != nullptr;
  if (report.options.scenarios.empty()) {
    for (const ScenarioInfo& i : AllScenarios()) report.options.scenarios.push_back(i.id);
  }
  for (int c = 0; c < kNumControllers; ++c) report.total[c].period_s = options.sim.period_s;
  int64_t runs = 0;
  for (ScenarioId id : report.options.scenarios) {
    ScenarioResult result;
    result.scenario = id;
    for (int c = 0; c < kNumControllers; ++c) {
      Controller controller = static_cast<Controller>(c);
      if (controller == Controller::kModel && !model) continue;
      EMLKIT_ASSIGN_OR_RETURN(result.scores[c], RunScenario(options, id, controller, model));
      report.total[c].Merge(result.scores[c]);
      if (progress) progress->Update(++runs, ScenarioName(id));
    }
    report.scenarios.push_back(result);
  }
  return report;
}

nlohmann::ordered_json EvalReportJson(const EvalReport& r, const std::string& model_name) {
  const SimConfig& sim = r.options.sim;
  const double lambda = r.options.cost_lambda;
  nlohmann::ordered_json j;
  j["room"] = RoomTypeName(sim.room.type);
  j["start"] = TimestampString(sim.start_day * kSecondsPerDay).substr(0, 10);
  j["days"] = sim.days;
  j["period_s"] = sim.period_s;
  j["seed"] = sim.seed;
  j["comfort_band_c"] = {sim.room.band_low_c, sim.room.band_high_c};
  j["setpoints_c"] = {{"comfort", sim.room.comfort_c}, {"setback", sim.room.setback_c}};
  j["controller"] = {{"motion_timeout_s", r.options.motion_timeout_s},
                     {"occupy_delay_s", r.options.occupy_delay_s},
                     {"vacate_delay_s", r.options.vacate_delay_s},
                     {"threshold", r.options.threshold}};
  j["objective"] = {{"cost", "comfort_violation_min + lambda * energy_kwh"},
                    {"lambda_min_per_kwh", r.options.cost_lambda}};
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (const ScenarioResult& s : r.scenarios) names.push_back(ScenarioName(s.scenario));
  j["scenarios_run"] = names;
  if (r.has_model) {
    j["model"] = ScoreJson(r.total[0], true, lambda);
    j["model"]["name"] = model_name;
  } else {
    j["model"] = nullptr;
  }
  j["baselines"] = Baselines(r.total, lambda);
  nlohmann::ordered_json per = nlohmann::ordered_json::array();
  for (const ScenarioResult& s : r.scenarios) {
    nlohmann::ordered_json e;
    e["name"] = ScenarioName(s.scenario);
    e["model"] =
        r.has_model ? ScoreJson(s.scores[0], true, lambda) : nlohmann::ordered_json(nullptr);
    e["baselines"] = Baselines(s.scores, lambda);
    per.push_back(e);
  }
  j["scenarios"] = per;
  return j;
}

std::string EvalReportText(const EvalReport& r, const std::string& model_name) {
  std::string out;
  char line[200];
  const SimConfig& sim = r.options.sim;
  std::snprintf(line, sizeof line,
                "thermostat-eval: %s, %d days per scenario, period %d s, seed %llu; comfort band "
                "%.1f..%.1f degC while occupied, setpoints %.1f / %.1f degC\n",
                RoomTypeName(sim.room.type), sim.days, sim.period_s,
                static_cast<unsigned long long>(sim.seed), sim.room.band_low_c,
                sim.room.band_high_c, sim.room.comfort_c, sim.room.setback_c);
  out += line;
  auto rows = [&](const char* title, const std::array<ControllerScore, kNumControllers>& s) {
    out += std::string("\n") + title + "\n";
    std::snprintf(line, sizeof line, "  %-16s %9s %7s %14s %11s %9s\n", "controller", "accuracy",
                  "F1", "discomfort min", "energy kWh", "cost");
    out += line;
    for (int c = 0; c < kNumControllers; ++c) {
      if (c == 0 && !r.has_model) continue;
      std::string name = c == 0 ? "model" : ControllerKey(static_cast<Controller>(c));
      std::snprintf(line, sizeof line, "  %-16s %9.3f %7.3f %14.0f %11.2f %9.0f\n", name.c_str(),
                    s[c].decision.accuracy(), s[c].decision.f1(), s[c].comfort_violation_min(),
                    s[c].energy_kwh(), s[c].cost(r.options.cost_lambda));
      out += line;
    }
  };
  for (const ScenarioResult& s : r.scenarios) rows(ScenarioName(s.scenario), s.scores);
  rows("all scenarios", r.total);
  std::snprintf(line, sizeof line,
                "\ncost = discomfort min + %g x kWh (lambda: occupied minutes outside the band one "
                "kWh is worth; --lambda)\n",
                r.options.cost_lambda);
  out += line;
  if (r.has_model) out += "\nmodel: " + model_name + "\n";
  return out;
}

}  // namespace emlkit::roomsim
