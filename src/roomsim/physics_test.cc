#include "roomsim/physics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace emlkit::roomsim {
namespace {

PhysicsInputs Outdoor(double t_c) {
  PhysicsInputs in;
  in.outdoor_c = t_c;
  in.outdoor_w = HumidityRatio(t_c, 0.8);
  in.outdoor_co2_ppm = 420;
  return in;
}

// Runs `hours` with constant inputs in steps of `dt_s`.
void RunFor(RoomPhysics& p, const PhysicsInputs& in, double hours, double dt_s) {
  for (double t = 0; t < hours * 3600; t += dt_s) p.Step(in, dt_s);
}

TEST(Physics, SteadyStateMatchesTheHeatBalance) {
  RoomProfile room = RoomProfileFor(RoomType::kOffice);
  room.adjacent_w_per_k = 0;  // only outdoors
  room.heater_lag_s = 0;
  RoomPhysics p(room);
  PhysicsInputs in = Outdoor(0);
  in.wind_ms = 0;
  in.heater_w = 800;
  p.Reset(20, in);
  RunFor(p, in, 24 * 30, 600);
  // Air node: heater share + mass flow = losses through windows and ventilation; mass: walls.
  double ach = room.infiltration_ach * std::sqrt(1 + 0.03 * std::fabs(p.air_c()));
  double h_vent = kAirRhoCp * RoomVolume(room) * ach / 3600;
  double h_air = room.window_u * room.window_m2 + h_vent;
  double h_wall = room.wall_u * room.wall_m2;
  double loss = h_air * p.air_c() + h_wall * p.mass_c();
  EXPECT_NEAR(loss, 800, 2.0);
  // The air node alone: its share of the heater plus what the mass gives equals its losses.
  double from_mass = room.air_mass_w_per_m2k * room.floor_m2 * (p.mass_c() - p.air_c());
  EXPECT_NEAR(room.heater_to_air * 800 + from_mass, h_air * p.air_c(), 2.0);
}

TEST(Physics, LargeStepsAgreeWithSmallSteps) {
  RoomProfile room = RoomProfileFor(RoomType::kLiving);
  RoomPhysics fine(room), coarse(room);
  PhysicsInputs in = Outdoor(5);
  in.heater_w = 1500;
  in.internal_w = 200;
  in.co2_m3_s = 1e-5;
  in.moisture_kg_s = 2e-5;
  fine.Reset(18, in);
  coarse.Reset(18, in);
  RunFor(fine, in, 6, 10);
  RunFor(coarse, in, 6, 3600);  // sub-stepped internally
  EXPECT_NEAR(fine.air_c(), coarse.air_c(), 0.05);
  EXPECT_NEAR(fine.co2_ppm(), coarse.co2_ppm(), 1.0);
  EXPECT_NEAR(fine.relative_humidity_pct(), coarse.relative_humidity_pct(), 0.2);
}

TEST(Physics, Co2ApproachesTheWellMixedSteadyState) {
  RoomProfile room = RoomProfileFor(RoomType::kOffice);
  RoomPhysics p(room);
  PhysicsInputs in = Outdoor(20);  // no indoor-outdoor difference: ACH = infiltration_ach
  in.co2_m3_s = 2 * 0.0052e-3;     // two seated people
  p.Reset(20, in);
  RunFor(p, in, 48, 60);
  double flow = RoomVolume(room) * p.ach() / 3600;  // the stack effect adds a little
  EXPECT_NEAR(p.ach(), room.infiltration_ach, 0.02);
  EXPECT_NEAR(p.co2_ppm(), 420 + 1e6 * in.co2_m3_s / flow, 5);
  // Nobody: it decays with time constant 1/ACH.
  in.co2_m3_s = 0;
  double excess = p.co2_ppm() - 420;
  RunFor(p, in, 1 / p.ach(), 60);
  EXPECT_NEAR((p.co2_ppm() - 420) / excess, std::exp(-1.0), 0.01);
}

TEST(Physics, PeopleRaiseHumidityAndHeatLowersRelativeHumidity) {
  RoomProfile room = RoomProfileFor(RoomType::kOffice);
  RoomPhysics a(room), b(room);
  PhysicsInputs in = Outdoor(5);
  a.Reset(20, in);
  b.Reset(20, in);
  PhysicsInputs people = in;
  people.moisture_kg_s = 2 * 50 / 3.6e6;
  RunFor(a, in, 4, 60);
  RunFor(b, people, 4, 60);
  EXPECT_GT(b.humidity_ratio(), a.humidity_ratio() + 0.0005);
  double rh_cool = a.relative_humidity_pct();
  PhysicsInputs heated = in;
  heated.heater_w = 1500;
  RunFor(a, heated, 2, 60);
  EXPECT_LT(a.relative_humidity_pct(), rh_cool - 2);
}

TEST(Physics, HeaterLagDelaysTheEmission) {
  RoomProfile room = RoomProfileFor(RoomType::kOffice);
  room.heater_lag_s = 600;
  RoomPhysics p(room);
  PhysicsInputs in = Outdoor(5);
  p.Reset(20, in);
  in.heater_w = 1000;
  p.Step(in, 600);
  EXPECT_NEAR(p.emitted_w(), 1000 * (1 - std::exp(-1.0)), 1.0);
}

}  // namespace
}  // namespace emlkit::roomsim
