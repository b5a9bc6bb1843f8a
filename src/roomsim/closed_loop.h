// The closed loop: the simulated room and the thermostat controller (runtime/app/thermostat.h,
// the firmware's own code) talking period by period, as on the device:
//   sample = room.Step(heater)           readings at the end of the period
//   p      = model.Predict(sample)       (OccupancySource::kModel only)
//   out    = thermostat.Step(sample, p)  heater power for the next period
#ifndef EMLKIT_ROOMSIM_CLOSED_LOOP_H_
#define EMLKIT_ROOMSIM_CLOSED_LOOP_H_

#include <optional>
#include <string>

#include "app/thermostat.h"
#include "common/status.h"
#include "roomsim/simulator.h"

namespace emlkit::roomsim {

// An occupancy model on the host side of the loop (e.g. a .tflite model run through the
// runtime with its recorded preprocessing).
class OccupancyModel {
 public:
  virtual ~OccupancyModel() = default;
  // Forget any history (window, held values): a new run starts.
  virtual Status Reset() = 0;
  // The run about to start (called by ClosedLoop::Init before Reset); most models ignore it.
  virtual void BeginRun(const SimConfig& /*config*/) {}
  // P(occupied) after this sample, or NaN when the model has no answer yet (e.g. its window is
  // not full). Called for every period, also for rows the logger lost (all fields empty).
  virtual Result<float> Predict(const Sample& sample) = 0;
};

// The thermostat settings for a room: its setpoints, heater and fixed schedule, with `source`.
app::ThermostatConfig ThermostatConfigFor(const RoomProfile& room, app::OccupancySource source);

class ClosedLoop {
 public:
  // `thermostat` empty: the heater stays off. `model` is needed (and only used) when the
  // thermostat's source is kModel. Both pointers must outlive the loop.
  ClosedLoop(RoomSimulator* sim, std::optional<app::ThermostatConfig> thermostat,
             OccupancyModel* model);
  // Fails when the configuration is invalid or a model is missing.
  Status Init();
  // One period. The returned sample stays valid until the next call.
  Result<const Sample*> Step();
  const app::ThermostatOutput& output() const { return output_; }

 private:
  RoomSimulator* sim_;
  std::optional<app::ThermostatConfig> config_;
  OccupancyModel* model_;
  app::Thermostat thermostat_;
  app::ThermostatOutput output_;
  double heater_w_ = 0;
};

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_CLOSED_LOOP_H_
