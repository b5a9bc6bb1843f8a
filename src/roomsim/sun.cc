#include "roomsim/sun.h"

#include <algorithm>
#include <cmath>

namespace emlkit::roomsim {
namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;
}  // namespace

SunDay ComputeSunDay(const Site& site, int day_of_year) {
  SunDay d;
  double decl = 23.45 * kDeg * std::sin(2 * kPi * (284 + day_of_year) / 365.0);
  d.sin_decl = std::sin(decl);
  d.cos_decl = std::cos(decl);
  double b = 2 * kPi * (day_of_year - 81) / 364.0;
  double eot_min = 9.87 * std::sin(2 * b) - 7.53 * std::cos(b) - 1.5 * std::sin(b);
  d.clock_to_solar_h = (site.longitude_deg - 15.0 * site.utc_offset_h) / 15.0 + eot_min / 60.0;
  d.diffuse_ratio = 0.097 - 0.039 * std::cos(2 * kPi * (day_of_year - 15) / 365.0);
  d.extraterrestrial = 1367.0 * (1.0 + 0.033 * std::cos(2 * kPi * day_of_year / 365.0));
  return d;
}

SunVector SunDirection(const Site& site, const SunDay& day, double clock_hour) {
  double lat = site.latitude_deg * kDeg;
  double omega = (clock_hour + day.clock_to_solar_h - 12.0) * 15.0 * kDeg;  // hour angle
  double cw = std::cos(omega), sw = std::sin(omega);
  double sl = std::sin(lat), cl = std::cos(lat);
  SunVector v;
  v.up = sl * day.sin_decl + cl * day.cos_decl * cw;
  v.east = -day.cos_decl * sw;
  v.north = cl * day.sin_decl - sl * day.cos_decl * cw;
  return v;
}

Irradiance SkyIrradiance(const SunDay& day, const SunVector& sun, double cloud) {
  Irradiance r;
  if (sun.up <= 0.0) return r;
  double elev_deg = std::asin(std::min(1.0, sun.up)) / kDeg;
  double air_mass = 1.0 / (sun.up + 0.50572 * std::pow(elev_deg + 6.07995, -1.6364));
  double dni_clear = day.extraterrestrial * std::pow(0.7, std::pow(air_mass, 0.678));
  double dhi_clear = day.diffuse_ratio * dni_clear;
  double ghi_clear = dni_clear * sun.up + dhi_clear;
  double c = std::clamp(cloud, 0.0, 1.0);
  r.global_horizontal = ghi_clear * (1.0 - 0.75 * std::pow(c, 3.4));
  r.direct_normal = dni_clear * (1.0 - c);
  r.diffuse_horizontal = std::max(0.0, r.global_horizontal - r.direct_normal * sun.up);
  return r;
}

double VerticalIncidenceCos(const SunVector& sun, double sin_azimuth, double cos_azimuth) {
  if (sun.up <= 0.0) return 0.0;
  return std::max(0.0, sun.east * sin_azimuth + sun.north * cos_azimuth);
}

}  // namespace emlkit::roomsim
