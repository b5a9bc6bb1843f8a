#include "roomsim/physics.h"

#include <algorithm>
#include <cmath>

namespace emlkit::roomsim {
namespace {
constexpr double kInternalToAir = 0.6;
constexpr double kBufferCapacity = 1.0;  // moisture buffer / air capacity
constexpr double kBufferTimeS = 3600.0;  // air-side exchange time constant
constexpr double kMaxSubStepS = 60.0;
}  // namespace

RoomPhysics::RoomPhysics(const RoomProfile& r)
    : volume_(RoomVolume(r)),
      c_air_(r.furniture_factor * kAirRhoCp * RoomVolume(r)),
      c_mass_(r.mass_kj_per_m2k * 1000.0 * r.floor_m2),
      h_air_mass_(r.air_mass_w_per_m2k * r.floor_m2),
      h_window_(r.window_u * r.window_m2),
      h_wall_(r.wall_u * r.wall_m2),
      h_adjacent_(r.adjacent_w_per_k),
      adjacent_c_(r.adjacent_c),
      infiltration_ach_(r.infiltration_ach),
      solar_to_air_(r.solar_to_air),
      heater_to_air_(r.heater_to_air),
      heater_lag_s_(r.heater_lag_s) {}

void RoomPhysics::Reset(double temperature_c, const PhysicsInputs& outdoor) {
  air_c_ = mass_c_ = temperature_c;
  co2_ppm_ = outdoor.outdoor_co2_ppm;
  w_air_ = w_buffer_ = outdoor.outdoor_w;
  ach_ = 0;
  emitted_w_ = 0;
}

double RoomPhysics::relative_humidity_pct() const { return RelativeHumidityPct(air_c_, w_air_); }

void RoomPhysics::Step(const PhysicsInputs& in, double dt_s) {
  int n = std::max(1, static_cast<int>(std::ceil(dt_s / kMaxSubStepS)));
  double dt = dt_s / n;
  for (int i = 0; i < n; ++i) SubStep(in, dt);
}

void RoomPhysics::SubStep(const PhysicsInputs& in, double dt) {
  double dT = std::fabs(air_c_ - in.outdoor_c);
  ach_ = infiltration_ach_ * std::sqrt(1.0 + 0.03 * dT + 0.02 * in.wind_ms * in.wind_ms) +
         in.extra_ach;
  double air_flow = volume_ * ach_ / 3600.0;  // m^3/s
  double h_vent = kAirRhoCp * air_flow;

  // Heat: the emitter's lag (exact for a constant set power), then backward Euler on the nodes.
  double follow = heater_lag_s_ > 0 ? 1.0 - std::exp(-dt / heater_lag_s_) : 1.0;
  emitted_w_ += follow * (in.heater_w - emitted_w_);
  double q_air =
      heater_to_air_ * emitted_w_ + kInternalToAir * in.internal_w + solar_to_air_ * in.solar_w;
  double q_mass = (1 - heater_to_air_) * emitted_w_ + (1 - kInternalToAir) * in.internal_w +
                  (1 - solar_to_air_) * in.solar_w;
  double ha = h_window_ + h_vent;
  double a11 = c_air_ / dt + h_air_mass_ + ha, a12 = -h_air_mass_;
  double a21 = -h_air_mass_, a22 = c_mass_ / dt + h_air_mass_ + h_wall_ + h_adjacent_;
  double b1 = c_air_ / dt * air_c_ + ha * in.outdoor_c + q_air;
  double b2 = c_mass_ / dt * mass_c_ + h_wall_ * in.outdoor_c + h_adjacent_ * adjacent_c_ + q_mass;
  double det = a11 * a22 - a12 * a21;
  air_c_ = (b1 * a22 - a12 * b2) / det;
  mass_c_ = (a11 * b2 - a21 * b1) / det;

  // CO2: exact solution for constant inputs.
  double rate = air_flow / volume_;  // 1/s
  double steady = in.outdoor_co2_ppm + 1e6 * in.co2_m3_s / air_flow;
  co2_ppm_ = steady + (co2_ppm_ - steady) * std::exp(-rate * dt);

  // Water vapour: backward Euler on air and buffer.
  double m_air = kAirRho * volume_;        // kg of air
  double m_buf = kBufferCapacity * m_air;  // kg-equivalent of the buffer
  double k = m_air / kBufferTimeS;         // kg/s exchanged per unit difference
  double g_vent = kAirRho * air_flow;      // kg/s of air exchanged with outdoors
  double c11 = m_air / dt + g_vent + k, c12 = -k;
  double c21 = -k, c22 = m_buf / dt + k;
  double d1 = m_air / dt * w_air_ + g_vent * in.outdoor_w + in.moisture_kg_s;
  double d2 = m_buf / dt * w_buffer_;
  double det_w = c11 * c22 - c12 * c21;
  w_air_ = (d1 * c22 - c12 * d2) / det_w;
  w_buffer_ = (c11 * d2 - c21 * d1) / det_w;
}

}  // namespace emlkit::roomsim
