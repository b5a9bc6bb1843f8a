// Outdoor conditions: air temperature, humidity, wind, cloud cover and the sun.
//
// Every day gets a sky type (clear, mixed, overcast) from a Markov chain (it stays with chance
// 0.55, otherwise it is drawn with chances 0.25 / 0.35 / 0.40), a daily mean temperature (an
// annual cosine, coldest on `coldest_day_of_year`, plus an AR(1) anomaly with persistence 0.75),
// a half daily range (4.5 / 3.0 / 1.5 K by sky type), a dew-point depression (5 / 3 / 1.5 K) and a
// wind speed. Within the day the temperature follows a cosine from the minimum at 06:00 to the
// maximum at 15:00; daily means and ranges are blended between neighbouring days so there is no
// jump at midnight. Cloud cover has an hourly value around the sky type's mean (0.1 / 0.5 / 0.92),
// interpolated linearly. Units: degC, m/s, kg water per kg dry air, W/m^2.
#ifndef EMLKIT_ROOMSIM_WEATHER_H_
#define EMLKIT_ROOMSIM_WEATHER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "roomsim/sun.h"

namespace emlkit::roomsim {

struct Climate {
  double annual_mean_c = 10.5;      // mean outdoor temperature over the year
  double annual_amplitude_c = 7.0;  // half the difference between the warmest and coldest month
  int coldest_day_of_year = 20;
  double anomaly_sd_c = 2.8;  // day-to-day weather anomaly (stationary standard deviation)
};

enum class Sky : uint8_t { kClear = 0, kMixed, kOvercast };

struct WeatherDay {
  Sky sky = Sky::kMixed;
  double mean_c = 0, half_range_c = 0, dew_depression_c = 0, wind_ms = 0;
  double cloud[25] = {};  // at 00:00, 01:00, ... 24:00
};

// What the room sees at one moment.
struct Outdoor {
  double temperature_c = 0;
  double humidity_ratio = 0;  // kg/kg
  double wind_ms = 0;
  double cloud = 0;
  SunVector sun;
  Irradiance sky;
};

// Saturation vapour pressure over water (Magnus, Alduchov-Eskridge constants), Pa.
double SaturationPressure(double temperature_c);
// Humidity ratio of air at `temperature_c` with relative humidity `rh` in [0, 1], sea level.
double HumidityRatio(double temperature_c, double rh);
// Relative humidity in percent (0..100) of air with humidity ratio `w` at `temperature_c`.
double RelativeHumidityPct(double temperature_c, double w);

class Weather {
 public:
  // Days [first_day - 1, first_day + days] (days since 1970-01-01) are generated from `seed`.
  Weather(const Site& site, const Climate& climate, int64_t first_day, int days, uint64_t seed);

  // Scenario hooks for day `index` (0 = the first simulated day).
  void ForceClearSky(int index);
  void ShiftTemperature(int index, double delta_c);

  // Conditions at `t` seconds after the first day's midnight.
  Outdoor At(int64_t t) const;
  const WeatherDay& day(int index) const { return days_[static_cast<size_t>(index + 1)]; }

 private:
  Site site_;
  std::vector<WeatherDay> days_;  // index + 1
  std::vector<SunDay> sun_days_;  // index + 1
};

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_WEATHER_H_
