#include "roomsim/closed_loop.h"

#include <cmath>

namespace emlkit::roomsim {

app::ThermostatConfig ThermostatConfigFor(const RoomProfile& room, app::OccupancySource source) {
  app::ThermostatConfig c;
  c.source = source;
  c.comfort_c = static_cast<float>(room.comfort_c);
  c.setback_c = static_cast<float>(room.setback_c);
  c.heater_max_w = static_cast<float>(room.heater_max_w);
  c.schedule_count = 0;
  for (const app::SchedulePeriod& p : room.schedule) {
    if (c.schedule_count == app::kMaxSchedulePeriods) break;
    c.schedule[c.schedule_count++] = p;
  }
  return c;
}

ClosedLoop::ClosedLoop(RoomSimulator* sim, std::optional<app::ThermostatConfig> thermostat,
                       OccupancyModel* model)
    : sim_(sim), config_(thermostat), model_(model) {}

Status ClosedLoop::Init() {
  heater_w_ = 0;
  output_ = app::ThermostatOutput();
  if (!config_) return Status::Ok();
  app::ThermostatConfigError e = app::ValidateThermostatConfig(*config_);
  if (e != app::ThermostatConfigError::kOk)
    return Status::InvalidArgument(std::string("thermostat settings: ") +
                                   app::ThermostatConfigErrorText(e));
  if (config_->source == app::OccupancySource::kModel) {
    if (!model_) return Status::Internal("the model occupancy source needs a model");
    model_->BeginRun(sim_->config());
    EMLKIT_RETURN_IF_ERROR(model_->Reset());
  }
  thermostat_.Init(*config_);
  return Status::Ok();
}

Result<const Sample*> ClosedLoop::Step() {
  const Sample& s = sim_->Step(heater_w_);
  if (!config_) return &s;
  app::ThermostatInput in;
  in.dt_s = static_cast<uint32_t>(sim_->config().period_s);
  in.weekday = static_cast<uint8_t>(s.weekday);
  in.second_of_day = static_cast<uint32_t>(s.second_of_day);
  in.temperature_c = s.row_missing ? NAN : static_cast<float>(s.readings.value[kTemperature]);
  in.motion_events = s.row_missing ? -1 : s.readings.motion;
  in.occupancy_probability = NAN;
  if (config_->source == app::OccupancySource::kModel) {
    EMLKIT_ASSIGN_OR_RETURN(in.occupancy_probability, model_->Predict(s));
  }
  output_ = thermostat_.Step(in);
  heater_w_ = output_.heater_w;
  return &s;
}

}  // namespace emlkit::roomsim
