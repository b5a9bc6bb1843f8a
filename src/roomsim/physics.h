// The room's physical state and how it changes: heat (a 2R2C network), CO2 and water vapour.
//
// Heat: an air node (air + furniture, capacity furniture_factor * rho*cp*V) and a mass node
// (walls, floor, ceiling: mass_kj_per_m2k * floor area), coupled by air_mass_w_per_m2k * floor.
// The air node loses heat through the windows (U*A) and by ventilation (rho*cp*V*ACH/3600); the
// mass node through the opaque walls to outdoors and to the neighbouring heated spaces. Each
// source splits between the nodes: the heater (heater_to_air convective), the sun
// (solar_to_air), people, appliances and lamps (60 % convective). The heater emits its power
// through a first-order lag (heater_lag_s: a radiator warms up and cools down). Integrated with
// backward Euler in sub-steps of at most 60 s (stable for any period).
//
// CO2: well mixed, dC/dt = ACH/3600 * (C_out - C) + 1e6 * G / V, solved exactly over a sub-step
// (G in m^3/s, C in ppm).
// Water vapour: humidity ratio of the air (kg/kg) exchanging with outdoor air by ventilation and,
// with a one-hour time constant, with a moisture buffer (furnishings and surfaces) holding as
// much as the air; people add moisture. Relative humidity follows from the air
// temperature (Magnus formula).
// Ventilation: ACH = infiltration_ach * sqrt(1 + 0.03 |T_in - T_out| + 0.02 wind^2) (stack and
// wind driven infiltration) + any extra ACH (an open window).
#ifndef EMLKIT_ROOMSIM_PHYSICS_H_
#define EMLKIT_ROOMSIM_PHYSICS_H_

#include "roomsim/room_profile.h"

namespace emlkit::roomsim {

inline constexpr double kAirRhoCp = 1.2 * 1005.0;  // J/(m^3 K)
inline constexpr double kAirRho = 1.2;             // kg/m^3

struct PhysicsInputs {
  double outdoor_c = 0;
  double outdoor_w = 0.004;  // outdoor humidity ratio, kg/kg
  double outdoor_co2_ppm = 420;
  double wind_ms = 0;
  double extra_ach = 0;  // open window
  double heater_w = 0;
  double internal_w = 0;  // people, appliances, lamps
  double solar_w = 0;     // transmitted solar gain
  double co2_m3_s = 0;
  double moisture_kg_s = 0;
};

class RoomPhysics {
 public:
  explicit RoomPhysics(const RoomProfile& room);
  // Air and mass at `temperature_c`, CO2 and moisture in equilibrium with `outdoor`.
  void Reset(double temperature_c, const PhysicsInputs& outdoor);
  // Advances `dt_s` seconds with the inputs held constant.
  void Step(const PhysicsInputs& in, double dt_s);

  double air_c() const { return air_c_; }
  double mass_c() const { return mass_c_; }
  double co2_ppm() const { return co2_ppm_; }
  double humidity_ratio() const { return w_air_; }
  double relative_humidity_pct() const;
  double ach() const { return ach_; }              // during the last step
  double emitted_w() const { return emitted_w_; }  // heater output into the room now

 private:
  void SubStep(const PhysicsInputs& in, double dt);

  double volume_, c_air_, c_mass_, h_air_mass_, h_window_, h_wall_, h_adjacent_;
  double adjacent_c_, infiltration_ach_, solar_to_air_, heater_to_air_, heater_lag_s_;
  double emitted_w_ = 0;
  double air_c_ = 20, mass_c_ = 20, co2_ppm_ = 420, w_air_ = 0.005, w_buffer_ = 0.005, ach_ = 0;
};

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_PHYSICS_H_
