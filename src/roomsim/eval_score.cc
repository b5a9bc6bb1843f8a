#include "roomsim/eval_score.h"

namespace emlkit::roomsim {

void Confusion::Add(bool predicted, bool truth) {
  if (predicted) {
    ++(truth ? tp : fp);
  } else {
    ++(truth ? fn : tn);
  }
}

void Confusion::Merge(const Confusion& o) {
  tp += o.tp;
  fp += o.fp;
  tn += o.tn;
  fn += o.fn;
}

double Confusion::accuracy() const {
  return total() ? static_cast<double>(tp + tn) / static_cast<double>(total()) : 0.0;
}

double Confusion::precision() const {
  return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0.0;
}

double Confusion::recall() const {
  return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0.0;
}

double Confusion::f1() const {
  return 2 * tp + fp + fn ? 2.0 * tp / static_cast<double>(2 * tp + fp + fn) : 0.0;
}

void ControllerScore::Merge(const ControllerScore& o) {
  decision.Merge(o.decision);
  estimate.Merge(o.estimate);
  too_cold += o.too_cold;
  too_warm += o.too_warm;
  sensor_fault += o.sensor_fault;
  switches += o.switches;
  energy_j += o.energy_j;
}

ScoreKeeper::ScoreKeeper(double band_low_c, double band_high_c, double period_s)
    : low_(band_low_c), high_(band_high_c) {
  score_.period_s = period_s;
}

void ScoreKeeper::Add(const Sample& s, const app::ThermostatOutput& out) {
  score_.decision.Add(out.occupied, s.occupied);
  score_.estimate.Add(out.estimate_occupied, s.occupied);
  if (s.occupied && s.air_c < low_) ++score_.too_cold;
  if (s.occupied && s.air_c > high_) ++score_.too_warm;
  score_.sensor_fault += out.sensor_fault ? 1 : 0;
  score_.energy_j += s.heater_w * score_.period_s;
  if (out.heating != heating_) ++score_.switches;
  heating_ = out.heating;
}

}  // namespace emlkit::roomsim
