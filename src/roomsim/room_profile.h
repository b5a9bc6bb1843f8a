// Room types and every physical parameter of a room, with units. RoomProfileFor() returns the
// documented defaults of each type (docs/roomsim.md explains the choices); callers may edit any
// field before building a simulator, and ValidateRoomProfile() says which value is impossible.
#ifndef EMLKIT_ROOMSIM_ROOM_PROFILE_H_
#define EMLKIT_ROOMSIM_ROOM_PROFILE_H_

#include <string>
#include <vector>

#include "app/thermostat.h"
#include "common/status.h"
#include "roomsim/sun.h"
#include "roomsim/weather.h"

namespace emlkit::roomsim {

enum class RoomType { kOffice, kLiving, kBedroom };
// "office", "living", "bedroom".
const char* RoomTypeName(RoomType type);
// Parses a room name; the error lists the valid names.
Result<RoomType> ParseRoomType(const std::string& name);

struct RoomProfile {
  RoomType type = RoomType::kOffice;
  Site site;
  Climate climate;

  // Geometry and envelope
  double floor_m2 = 20;
  double height_m = 3.0;
  double window_m2 = 3.0;
  double window_azimuth_deg = 180;  // the facade's outward normal: 0 north, 90 east, 180 south
  double window_g = 0.45;           // solar heat gain coefficient incl. frame, 0..1
  double window_u = 1.4;            // W/(m^2 K)
  double wall_m2 = 11.0;            // opaque exterior wall
  double wall_u = 0.5;              // W/(m^2 K)

  // Thermal network (2R2C): air node (air + furniture) and mass node (walls, floor, ceiling)
  double furniture_factor = 4.0;      // air-node capacity = factor * rho*cp*volume
  double mass_kj_per_m2k = 260;       // internal heat capacity per floor m^2 (ISO 13790 heavy)
  double air_mass_w_per_m2k = 22.75;  // air-to-mass coupling per floor m^2 (9.1 W/m^2K * 2.5)
  double adjacent_c = 20.5;           // temperature of the neighbouring heated spaces
  double adjacent_w_per_k = 60.0;     // conductance from the mass node to them (floor, ceiling)
  double infiltration_ach = 0.45;     // air changes per hour through leaks (calm, no dT)
  double solar_to_air = 0.7;          // share of solar gain heating the air node at once
  double heater_to_air = 0.7;         // convective share of the heater's output
  double heater_lag_s = 600;          // the emitter's time constant (radiator warming up)

  // Heating and comfort
  double heater_max_w = 1500;
  double comfort_c = 21.0, setback_c = 19.0;     // controller setpoints
  double band_low_c = 20.0, band_high_c = 24.0;  // comfort band scored while occupied
  std::vector<app::SchedulePeriod> schedule;     // the fixed-schedule baseline's comfort periods
  double initial_c = 19.5;                       // air and mass temperature at the start

  // People and appliances
  int occupants = 2;               // regular occupants (a cleaner or visitor may come on top)
  double appliance_base_w = 15;    // always on (standby, network)
  double appliance_person_w = 90;  // per person present (computer and screen, TV, ...)

  // Light
  double daylight_factor = 0.009;  // indoor / outdoor diffuse illuminance at the sensor
  double beam_factor = 0.004;      // share of the window's beam illuminance reaching the sensor
  double lamp_lux = 430;           // lamps' illuminance at the sensor
  double lamp_w = 160;             // lamps' electric power (all ends up as heat)
  double lamp_on_below_lux = 500;  // occupants switch lamps on when daylight is below this

  // Room-type behaviour flags
  bool has_cleaner = true;  // office: a cleaner may drop in briefly in the evening
};

RoomProfile RoomProfileFor(RoomType type);
// Checks ranges (positive areas and capacities, setback <= comfort, band ordered, ...); the
// message names the field and the allowed range.
Status ValidateRoomProfile(const RoomProfile& room);

// Derived quantities.
inline double RoomVolume(const RoomProfile& r) { return r.floor_m2 * r.height_m; }

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_ROOM_PROFILE_H_
