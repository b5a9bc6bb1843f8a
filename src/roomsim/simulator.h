// RoomSimulator: one room, stepped one sampling period at a time with the heater power the
// controller chose; returns what the sensors read and what really happened.
//
//   SimConfig cfg;                                  // an office, 28 days from 2024-02-05, 60 s
//   cfg.scenarios.push_back({ScenarioId::kPet, 2, 3});
//   EMLKIT_ASSIGN_OR_RETURN(std::unique_ptr<RoomSimulator> sim, RoomSimulator::Create(cfg));
//   double heater_w = 0;
//   while (!sim->done()) {
//     const Sample& s = sim->Step(heater_w);        // the period ending at s.time_s
//     heater_w = controller(s);                     // applied during the next period
//   }
//
// Row k describes the period (start + (k-1) * period, start + k * period]: readings are taken at
// its end, ground truth (occupants, heater power) is the state during it. Everything random comes
// from `seed` through separate streams (random.h), so the same config gives the same samples, and
// runs that differ only in the heater power see the same weather, people and sensor noise.
// Not thread-safe; create one simulator per thread.
#ifndef EMLKIT_ROOMSIM_SIMULATOR_H_
#define EMLKIT_ROOMSIM_SIMULATOR_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "common/status.h"
#include "roomsim/faults.h"
#include "roomsim/lighting.h"
#include "roomsim/occupants.h"
#include "roomsim/physics.h"
#include "roomsim/room_profile.h"
#include "roomsim/scenario.h"
#include "roomsim/sensors.h"
#include "roomsim/weather.h"

namespace emlkit::roomsim {

// 2024-02-05, a Monday in the heating season.
int64_t DefaultStartDay();

struct SimConfig {
  RoomProfile room = RoomProfileFor(RoomType::kOffice);
  int64_t start_day = DefaultStartDay();  // days since 1970-01-01, the first midnight
  int days = 28;                          // 1 .. 3660
  int period_s = 60;                      // 1 .. 3600, must divide 86,400
  uint64_t seed = 1;
  std::vector<ScenarioUse> scenarios;  // days must lie within [0, days)
  FaultRates faults;                   // on every day, on top of the scenarios'
  SensorSpecs sensors = DefaultSensorSpecs();
  double outdoor_co2_ppm = 420;
};
// Errors name the option (--days, --period, ...) and the allowed values.
Status ValidateSimConfig(const SimConfig& config);

struct Sample {
  int64_t time_s = 0;  // seconds since 1970-01-01 (local standard time) of the reading
  int weekday = 0;     // 0 = Monday
  int32_t second_of_day = 0;
  Readings readings;         // quantized; NaN / -1 where a field is empty
  bool row_missing = false;  // the logger lost this row (not written to CSV)
  uint32_t faults = 0;       // FaultBit mask of the faults in this row
  // Ground truth
  int occupants = 0;  // people in the room (a pet does not count)
  bool occupied = false;
  bool pet_in_room = false;
  bool lamp_on = false;
  bool window_open = false;
  double heater_w = 0;  // heater power during the period
  double air_c = 0, mass_c = 0, rh_pct = 0, co2_ppm = 0, light_lux = 0, outdoor_c = 0;
};

class RoomSimulator {
 public:
  static Result<std::unique_ptr<RoomSimulator>> Create(const SimConfig& config);
  RoomSimulator(const RoomSimulator&) = delete;
  RoomSimulator& operator=(const RoomSimulator&) = delete;

  int64_t total_steps() const { return total_steps_; }
  int64_t steps_done() const { return step_; }
  bool done() const { return step_ >= total_steps_; }
  // Simulates the next period with `heater_w` (clamped to [0, heater_max_w]). Must not be
  // called once done(). The reference stays valid until the next call.
  const Sample& Step(double heater_w);
  const SimConfig& config() const { return config_; }
  const Sensors& sensors() const { return sensors_; }

 private:
  RoomSimulator(const SimConfig& config, std::vector<DaySetup> setup);
  struct Airing {
    int64_t start_s, end_s;
  };

  SimConfig config_;
  std::vector<DaySetup> setup_;
  int64_t total_steps_;
  int64_t step_ = 0;
  Weather weather_;
  Occupants occupants_;
  Pet pet_;
  Lighting lighting_;
  RoomPhysics physics_;
  Sensors sensors_;
  FaultInjector faults_;
  std::vector<Airing> airings_;
  size_t next_airing_ = 0;
  double sin_az_, cos_az_;
  Sample sample_;
};

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_SIMULATOR_H_
