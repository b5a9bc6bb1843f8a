// Where the sun is and how much light and heat it sends, for a site and a clock time.
//
// Solar position from the declination and the hour angle (Cooper's declination, Spencer's
// equation of time), clock time corrected by longitude and time zone. Clear-sky irradiance from
// Meinel's direct-beam formula with the Kasten-Young air mass and ASHRAE's seasonal diffuse ratio
// (0.058 in January to 0.136 in July); cloud cover from Kasten and Czeplak (1980):
// global = clear global * (1 - 0.75 C^3.4), beam = clear beam * (1 - C), diffuse = the rest.
// Units: W/m^2 for irradiance, radians for angles unless a name says _deg.
#ifndef EMLKIT_ROOMSIM_SUN_H_
#define EMLKIT_ROOMSIM_SUN_H_

namespace emlkit::roomsim {

struct Site {
  double latitude_deg = 50.5;  // north positive (default: Belgium, like the real office data)
  double longitude_deg = 4.0;  // east positive
  double utc_offset_h = 1.0;   // the clock's zone (standard time, no daylight saving)
};

// Per-day quantities, computed once a day.
struct SunDay {
  double sin_decl = 0, cos_decl = 0;
  double clock_to_solar_h = 0;     // solar time = clock time + this
  double diffuse_ratio = 0.1;      // clear-sky diffuse / direct normal (ASHRAE "C")
  double extraterrestrial = 1367;  // W/m^2 on a plane normal to the beam, outside the atmosphere
};
SunDay ComputeSunDay(const Site& site, int day_of_year);

// The sun's unit direction vector (east, north, up).
struct SunVector {
  double east = 0, north = 0, up = -1;
};
SunVector SunDirection(const Site& site, const SunDay& day, double clock_hour);

struct Irradiance {
  double direct_normal = 0;       // beam on a plane facing the sun (DNI)
  double diffuse_horizontal = 0;  // sky diffuse on a horizontal plane (DHI)
  double global_horizontal = 0;   // beam * sin(elevation) + diffuse (GHI)
};
// `cloud` is the cloud cover fraction in [0, 1]. Zero when the sun is below the horizon.
Irradiance SkyIrradiance(const SunDay& day, const SunVector& sun, double cloud);

// Cosine of the beam's incidence angle on a vertical window facing `azimuth_deg` (0 = north,
// 90 = east, 180 = south), clamped at 0 when the sun is behind the facade or below the horizon.
double VerticalIncidenceCos(const SunVector& sun, double sin_azimuth, double cos_azimuth);

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_SUN_H_
