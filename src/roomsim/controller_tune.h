// Choosing the model controller's settings for the closed-loop cost: the occupancy threshold,
// the occupy delay and the vacate delay (the smoothing that keeps comfort after the model's last
// "occupied") that give the lowest cost = discomfort minutes + lambda x kWh, summed over validation
// runs — other seeds than any test — of every scenario. Accuracy plays no part: a missed occupant
// costs comfort, a false alarm a little energy, and the cost weighs the two as the user does.
//
//   TuneOptions t;                       // the grid below, seeds {5, 6}
//   t.base = eval_options;               // room, days per scenario, scenarios, lambda
//   EMLKIT_ASSIGN_OR_RETURN(TuneResult r, TuneModelController(t, model.get(), &progress));
//   eval_options.threshold = r.best.threshold;  // and the two delays
#ifndef EMLKIT_ROOMSIM_CONTROLLER_TUNE_H_
#define EMLKIT_ROOMSIM_CONTROLLER_TUNE_H_

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/progress.h"
#include "common/status.h"
#include "roomsim/thermostat_eval.h"

namespace emlkit::roomsim {

struct TuneOptions {
  EvalOptions base;  // everything but the seed, threshold, occupy and vacate delays
  std::vector<uint64_t> seeds = {5, 6};  // validation seeds: never the test seeds
  std::vector<float> thresholds = {0.05f, 0.1f, 0.2f, 0.35f, 0.5f};
  std::vector<uint32_t> occupy_delays_s = {60, 120};
  std::vector<uint32_t> vacate_delays_s = {300, 600, 1200, 2400};
};

struct TunePoint {
  float threshold = 0.5f;
  uint32_t occupy_delay_s = 120;
  uint32_t vacate_delay_s = 1200;
  double discomfort_min = 0, energy_kwh = 0, cost = 0;  // summed over the seeds
};

struct TuneResult {
  std::vector<TunePoint> points;   // in grid order
  TunePoint best;                  // lowest cost (the first of equals)
  double motion_timeout_cost = 0;  // the motion-timeout baseline on the same runs, for scale
};

// Runs(TuneOptions) closed-loop runs; `progress` (optional) counts them.
int64_t TuneRuns(const TuneOptions& options);
Result<TuneResult> TuneModelController(const TuneOptions& options, OccupancyModel* model,
                                       Progress* progress = nullptr);
nlohmann::ordered_json TuneResultJson(const TuneOptions& options, const TuneResult& result);

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_CONTROLLER_TUNE_H_
