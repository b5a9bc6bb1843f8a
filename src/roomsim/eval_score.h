// Scoring a controller over a closed-loop run: how well its occupancy decision matches the
// truth, how long occupants were outside the comfort band, and the heating energy.
#ifndef EMLKIT_ROOMSIM_EVAL_SCORE_H_
#define EMLKIT_ROOMSIM_EVAL_SCORE_H_

#include <cstdint>
#include <string>

#include "app/thermostat.h"
#include "roomsim/simulator.h"

namespace emlkit::roomsim {

struct Confusion {
  int64_t tp = 0, fp = 0, tn = 0, fn = 0;  // positive = occupied
  void Add(bool predicted, bool truth);
  void Merge(const Confusion& o);
  int64_t total() const { return tp + fp + tn + fn; }
  double accuracy() const;
  double precision() const;  // 0 when nothing was predicted occupied
  double recall() const;     // 0 when nothing was occupied
  double f1() const;
};

// Default lambda of the closed-loop objective: one kWh (about 0.30 EUR of electricity) is worth 10
// occupied minutes outside the comfort band. Comfort weighs heavily: saving 10 % of a living
// room's week of heating (about 3 kWh) may not cost more than half an hour of a cold occupant.
inline constexpr double kDefaultCostLambda = 10.0;

struct ControllerScore {
  Confusion decision;  // the (smoothed) occupancy the setpoint followed
  Confusion estimate;  // the per-period estimate before smoothing (differs for the model)
  double period_s = 60;
  int64_t too_cold = 0, too_warm = 0;  // occupied periods below / above the comfort band
  int64_t sensor_fault = 0;            // periods the controller ran in failsafe
  int64_t switches = 0;                // heater on/off changes
  double energy_j = 0;

  double comfort_violation_min() const { return (too_cold + too_warm) * period_s / 60; }
  double energy_kwh() const { return energy_j / 3.6e6; }
  // The closed-loop objective: discomfort minutes + lambda x kWh (lower is better); lambda is
  // how many occupied minutes outside the comfort band one kWh is worth (kDefaultCostLambda).
  double cost(double lambda_min_per_kwh) const {
    return comfort_violation_min() + lambda_min_per_kwh * energy_kwh();
  }
  void Merge(const ControllerScore& o);
};

// Accumulates one controller's score period by period.
class ScoreKeeper {
 public:
  ScoreKeeper(double band_low_c, double band_high_c, double period_s);
  // `sample` is the period just simulated (its heater_w is what the controller chose for it);
  // `out` is the controller's output computed from that sample.
  void Add(const Sample& sample, const app::ThermostatOutput& out);
  const ControllerScore& score() const { return score_; }

 private:
  double low_, high_;
  ControllerScore score_;
  bool heating_ = false;
};

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_EVAL_SCORE_H_
