#include "roomsim/controller_tune.h"

#include <string>

namespace emlkit::roomsim {
namespace {

std::vector<ScenarioId> ScenariosOf(const EvalOptions& o) {
  if (!o.scenarios.empty()) return o.scenarios;
  std::vector<ScenarioId> all;
  for (const ScenarioInfo& i : AllScenarios()) all.push_back(i.id);
  return all;
}

}  // namespace

int64_t TuneRuns(const TuneOptions& t) {
  const int64_t per_seed = static_cast<int64_t>(ScenariosOf(t.base).size());
  const int64_t points = static_cast<int64_t>(t.thresholds.size() * t.occupy_delays_s.size() *
                                              t.vacate_delays_s.size());
  return per_seed * static_cast<int64_t>(t.seeds.size()) * (points + 1);
}

Result<TuneResult> TuneModelController(const TuneOptions& t, OccupancyModel* model,
                                       Progress* progress) {
  if (!model) return Status::Internal("tuning the model controller needs a model");
  if (t.seeds.empty() || t.thresholds.empty() || t.occupy_delays_s.empty() ||
      t.vacate_delays_s.empty())
    return Status::InvalidArgument(
        "controller tuning: give at least one seed, threshold, occupy and vacate delay");
  const std::vector<ScenarioId> scenarios = ScenariosOf(t.base);
  const double lambda = t.base.cost_lambda;
  TuneResult r;
  int64_t runs = 0;
  auto tick = [&](ScenarioId id) {
    if (progress) progress->Update(++runs, ScenarioName(id));
  };
  for (uint64_t seed : t.seeds) {
    EvalOptions o = t.base;
    o.sim.seed = seed;
    for (ScenarioId id : scenarios) {
      EMLKIT_ASSIGN_OR_RETURN(ControllerScore s,
                              RunScenario(o, id, Controller::kMotionTimeout, nullptr));
      r.motion_timeout_cost += s.cost(lambda);
      tick(id);
    }
  }
  for (float threshold : t.thresholds) {
    for (uint32_t occupy : t.occupy_delays_s) {
      for (uint32_t vacate : t.vacate_delays_s) {
        TunePoint p;
        p.threshold = threshold;
        p.occupy_delay_s = occupy;
        p.vacate_delay_s = vacate;
        for (uint64_t seed : t.seeds) {
          EvalOptions o = t.base;
          o.sim.seed = seed;
          o.threshold = threshold;
          o.occupy_delay_s = occupy;
          o.vacate_delay_s = vacate;
          for (ScenarioId id : scenarios) {
            EMLKIT_ASSIGN_OR_RETURN(ControllerScore s,
                                    RunScenario(o, id, Controller::kModel, model));
            p.discomfort_min += s.comfort_violation_min();
            p.energy_kwh += s.energy_kwh();
            p.cost += s.cost(lambda);
            tick(id);
          }
        }
        if (r.points.empty() || p.cost < r.best.cost) r.best = p;
        r.points.push_back(p);
      }
    }
  }
  return r;
}

nlohmann::ordered_json TuneResultJson(const TuneOptions& t, const TuneResult& r) {
  nlohmann::ordered_json j;
  j["objective"] = {{"cost", "comfort_violation_min + lambda * energy_kwh"},
                    {"lambda_min_per_kwh", t.base.cost_lambda}};
  j["validation_seeds"] = t.seeds;
  j["days_per_scenario"] = t.base.sim.days;
  j["threshold"] = r.best.threshold;
  j["occupy_delay_s"] = r.best.occupy_delay_s;
  j["vacate_delay_s"] = r.best.vacate_delay_s;
  j["cost"] = r.best.cost;
  j["motion_timeout_cost"] = r.motion_timeout_cost;
  nlohmann::ordered_json grid = nlohmann::ordered_json::array();
  for (const TunePoint& p : r.points) {
    grid.push_back({{"threshold", p.threshold},
                    {"occupy_delay_s", p.occupy_delay_s},
                    {"vacate_delay_s", p.vacate_delay_s},
                    {"comfort_violation_min", p.discomfort_min},
                    {"energy_kwh", p.energy_kwh},
                    {"cost", p.cost}});
  }
  j["grid"] = grid;
  return j;
}

}  // namespace emlkit::roomsim
