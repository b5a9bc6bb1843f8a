#include "roomsim/room_profile.h"

#include <cmath>

namespace emlkit::roomsim {
namespace {

uint16_t Min(int h, int m = 0) { return static_cast<uint16_t>(h * 60 + m); }

RoomProfile Office() {
  RoomProfile r;  // the struct's defaults describe the office
  r.type = RoomType::kOffice;
  r.schedule = {{app::kWorkdays, Min(7), Min(19)}};
  return r;
}

RoomProfile Living() {
  RoomProfile r;
  r.type = RoomType::kLiving;
  r.floor_m2 = 25;
  r.height_m = 2.5;
  r.window_m2 = 5.0;
  r.window_azimuth_deg = 270;  // west: evening sun
  r.wall_m2 = 14;
  r.wall_u = 0.4;
  r.adjacent_c = 18.5;
  r.adjacent_w_per_k = 12;
  r.infiltration_ach = 0.6;
  r.heater_max_w = 2500;
  r.initial_c = 19.0;
  r.schedule = {{app::kWorkdays, Min(6, 30), Min(8)},
                {app::kWorkdays, Min(17), Min(23)},
                {app::kWeekend, Min(8), Min(23)}};
  r.appliance_base_w = 30;
  r.appliance_person_w = 50;
  r.daylight_factor = 0.015;
  r.lamp_lux = 200;
  r.lamp_w = 60;
  r.lamp_on_below_lux = 150;
  r.has_cleaner = false;
  return r;
}

RoomProfile Bedroom() {
  RoomProfile r;
  r.type = RoomType::kBedroom;
  r.floor_m2 = 14;
  r.height_m = 2.5;
  r.window_m2 = 2.5;
  r.window_azimuth_deg = 90;  // east: morning sun
  r.wall_m2 = 10;
  r.wall_u = 0.4;
  r.adjacent_c = 18.0;
  r.adjacent_w_per_k = 8;
  r.infiltration_ach = 0.4;
  r.heater_max_w = 1200;
  r.comfort_c = 19.0;
  r.setback_c = 16.0;
  r.band_low_c = 18.0;
  r.band_high_c = 23.0;
  r.initial_c = 18.0;
  r.schedule = {{app::kEveryDay, Min(21, 30), Min(24)},
                {app::kWorkdays, Min(0), Min(7, 30)},
                {app::kWeekend, Min(0), Min(9)}};
  r.appliance_base_w = 5;
  r.appliance_person_w = 5;
  r.daylight_factor = 0.012;
  r.lamp_lux = 150;
  r.lamp_w = 20;
  r.lamp_on_below_lux = 100;
  r.has_cleaner = false;
  return r;
}

Status Range(const char* field, double v, double lo, double hi, const char* unit) {
  if (std::isfinite(v) && v >= lo && v <= hi) return Status::Ok();
  return Status::InvalidArgument("room parameter '" + std::string(field) +
                                 "' = " + std::to_string(v) + " is outside " + std::to_string(lo) +
                                 " .. " + std::to_string(hi) + " " + unit);
}

}  // namespace

const char* RoomTypeName(RoomType type) {
  switch (type) {
    case RoomType::kOffice:
      return "office";
    case RoomType::kLiving:
      return "living";
    case RoomType::kBedroom:
      return "bedroom";
  }
  return "unknown";
}

Result<RoomType> ParseRoomType(const std::string& name) {
  for (RoomType t : {RoomType::kOffice, RoomType::kLiving, RoomType::kBedroom}) {
    if (name == RoomTypeName(t)) return t;
  }
  return Status::InvalidArgument("unknown room '" + name +
                                 "' (choose one of: office, living, bedroom)");
}

RoomProfile RoomProfileFor(RoomType type) {
  switch (type) {
    case RoomType::kOffice:
      return Office();
    case RoomType::kLiving:
      return Living();
    case RoomType::kBedroom:
      return Bedroom();
  }
  return Office();
}

Status ValidateRoomProfile(const RoomProfile& r) {
  EMLKIT_RETURN_IF_ERROR(Range("latitude_deg", r.site.latitude_deg, -66, 66, "degrees"));
  EMLKIT_RETURN_IF_ERROR(Range("longitude_deg", r.site.longitude_deg, -180, 180, "degrees"));
  EMLKIT_RETURN_IF_ERROR(Range("utc_offset_h", r.site.utc_offset_h, -12, 14, "hours"));
  EMLKIT_RETURN_IF_ERROR(Range("floor_m2", r.floor_m2, 2, 500, "m^2"));
  EMLKIT_RETURN_IF_ERROR(Range("height_m", r.height_m, 1.8, 10, "m"));
  EMLKIT_RETURN_IF_ERROR(Range("window_m2", r.window_m2, 0, 200, "m^2"));
  EMLKIT_RETURN_IF_ERROR(Range("window_azimuth_deg", r.window_azimuth_deg, 0, 360, "degrees"));
  EMLKIT_RETURN_IF_ERROR(Range("window_g", r.window_g, 0, 1, ""));
  EMLKIT_RETURN_IF_ERROR(Range("window_u", r.window_u, 0.1, 6, "W/(m^2 K)"));
  EMLKIT_RETURN_IF_ERROR(Range("wall_m2", r.wall_m2, 0, 1000, "m^2"));
  EMLKIT_RETURN_IF_ERROR(Range("wall_u", r.wall_u, 0.05, 5, "W/(m^2 K)"));
  EMLKIT_RETURN_IF_ERROR(Range("furniture_factor", r.furniture_factor, 1, 20, ""));
  EMLKIT_RETURN_IF_ERROR(Range("mass_kj_per_m2k", r.mass_kj_per_m2k, 10, 1000, "kJ/(m^2 K)"));
  EMLKIT_RETURN_IF_ERROR(Range("air_mass_w_per_m2k", r.air_mass_w_per_m2k, 1, 100, "W/(m^2 K)"));
  EMLKIT_RETURN_IF_ERROR(Range("adjacent_c", r.adjacent_c, -30, 40, "degC"));
  EMLKIT_RETURN_IF_ERROR(Range("adjacent_w_per_k", r.adjacent_w_per_k, 0, 1000, "W/K"));
  EMLKIT_RETURN_IF_ERROR(Range("infiltration_ach", r.infiltration_ach, 0.05, 20, "1/h"));
  EMLKIT_RETURN_IF_ERROR(Range("solar_to_air", r.solar_to_air, 0, 1, ""));
  EMLKIT_RETURN_IF_ERROR(Range("heater_to_air", r.heater_to_air, 0, 1, ""));
  EMLKIT_RETURN_IF_ERROR(Range("heater_lag_s", r.heater_lag_s, 0, 7200, "s"));
  EMLKIT_RETURN_IF_ERROR(Range("heater_max_w", r.heater_max_w, 1, 100000, "W"));
  EMLKIT_RETURN_IF_ERROR(Range("comfort_c", r.comfort_c, 5, 35, "degC"));
  EMLKIT_RETURN_IF_ERROR(Range("setback_c", r.setback_c, 5, r.comfort_c, "degC (<= comfort_c)"));
  EMLKIT_RETURN_IF_ERROR(Range("band_low_c", r.band_low_c, 0, 40, "degC"));
  EMLKIT_RETURN_IF_ERROR(
      Range("band_high_c", r.band_high_c, r.band_low_c, 50, "degC (>= band_low_c)"));
  EMLKIT_RETURN_IF_ERROR(Range("initial_c", r.initial_c, -20, 40, "degC"));
  EMLKIT_RETURN_IF_ERROR(Range("occupants", r.occupants, 0, 8, "people"));
  EMLKIT_RETURN_IF_ERROR(Range("appliance_base_w", r.appliance_base_w, 0, 10000, "W"));
  EMLKIT_RETURN_IF_ERROR(Range("appliance_person_w", r.appliance_person_w, 0, 2000, "W"));
  EMLKIT_RETURN_IF_ERROR(Range("daylight_factor", r.daylight_factor, 0, 0.5, ""));
  EMLKIT_RETURN_IF_ERROR(Range("beam_factor", r.beam_factor, 0, 1, ""));
  EMLKIT_RETURN_IF_ERROR(Range("lamp_lux", r.lamp_lux, 0, 5000, "lux"));
  EMLKIT_RETURN_IF_ERROR(Range("lamp_w", r.lamp_w, 0, 5000, "W"));
  EMLKIT_RETURN_IF_ERROR(Range("lamp_on_below_lux", r.lamp_on_below_lux, 0, 5000, "lux"));
  if (r.schedule.size() > static_cast<size_t>(app::kMaxSchedulePeriods))
    return Status::InvalidArgument("room schedule has " + std::to_string(r.schedule.size()) +
                                   " periods; at most " + std::to_string(app::kMaxSchedulePeriods) +
                                   " are allowed");
  for (const app::SchedulePeriod& p : r.schedule) {
    if (p.days == 0 || (p.days & ~app::kEveryDay) || p.start_min >= p.end_min || p.end_min > 1440)
      return Status::InvalidArgument(
          "room schedule period needs at least one day and 0 <= start < end <= 24:00");
  }
  return Status::Ok();
}

}  // namespace emlkit::roomsim
