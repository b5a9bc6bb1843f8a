#include "roomsim/weather.h"

#include <algorithm>
#include <cmath>

#include "common/rng.h"
#include "roomsim/calendar.h"
#include "roomsim/random.h"

namespace emlkit::roomsim {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kPressurePa = 101325.0;
constexpr double kCloudMean[3] = {0.1, 0.5, 0.92};
constexpr double kHalfRange[3] = {4.5, 3.0, 1.5};
constexpr double kDewDepression[3] = {5.0, 3.0, 1.5};
constexpr double kSkyChance[3] = {0.25, 0.35, 0.40};
constexpr double kPersistence = 0.75;

Sky DrawSky(Rng& rng) {
  double u = rng.Uniform();
  if (u < kSkyChance[0]) return Sky::kClear;
  if (u < kSkyChance[0] + kSkyChance[1]) return Sky::kMixed;
  return Sky::kOvercast;
}

void FillClouds(WeatherDay& d, Rng& rng) {
  double base = kCloudMean[static_cast<int>(d.sky)];
  double drift = 0;
  for (double& c : d.cloud) {
    drift = 0.6 * drift + 0.12 * rng.Normal();
    c = std::clamp(base + drift, 0.0, 1.0);
  }
}

}  // namespace

double SaturationPressure(double temperature_c) {
  return 610.94 * std::exp(17.625 * temperature_c / (temperature_c + 243.04));
}

double HumidityRatio(double temperature_c, double rh) {
  double pv = rh * SaturationPressure(temperature_c);
  return 0.622 * pv / (kPressurePa - pv);
}

double RelativeHumidityPct(double temperature_c, double w) {
  double pv = w * kPressurePa / (0.622 + w);
  return std::clamp(100.0 * pv / SaturationPressure(temperature_c), 0.0, 100.0);
}

Weather::Weather(const Site& site, const Climate& climate, int64_t first_day, int days,
                 uint64_t seed)
    : site_(site) {
  Rng rng(StreamSeed(seed, Stream::kWeather));
  size_t n = static_cast<size_t>(days) + 2;
  days_.resize(n);
  sun_days_.resize(n);
  double anomaly = climate.anomaly_sd_c * rng.Normal();
  Sky sky = DrawSky(rng);
  for (size_t i = 0; i < n; ++i) {
    int64_t day = first_day - 1 + static_cast<int64_t>(i);
    int doy = DayOfYear(day);
    if (i > 0) {
      anomaly = kPersistence * anomaly +
                std::sqrt(1 - kPersistence * kPersistence) * climate.anomaly_sd_c * rng.Normal();
      if (!rng.Bernoulli(0.55)) sky = DrawSky(rng);
    }
    WeatherDay& d = days_[i];
    d.sky = sky;
    int k = static_cast<int>(sky);
    d.mean_c = climate.annual_mean_c -
               climate.annual_amplitude_c *
                   std::cos(2 * kPi * (doy - climate.coldest_day_of_year) / 365.0) +
               anomaly;
    d.half_range_c = kHalfRange[k] * (0.8 + 0.4 * rng.Uniform());
    d.dew_depression_c = kDewDepression[k] * (0.7 + 0.6 * rng.Uniform());
    d.wind_ms = 1.0 + 3.0 * -std::log(1.0 - rng.Uniform()) + (sky == Sky::kOvercast ? 1.0 : 0.0);
    FillClouds(d, rng);
    sun_days_[i] = ComputeSunDay(site, doy);
  }
}

void Weather::ForceClearSky(int index) {
  WeatherDay& d = days_[static_cast<size_t>(index + 1)];
  d.sky = Sky::kClear;
  d.half_range_c = std::max(d.half_range_c, kHalfRange[0]);
  d.dew_depression_c = std::max(d.dew_depression_c, kDewDepression[0]);
  for (double& c : d.cloud) c = std::min(c, 0.05);
}

void Weather::ShiftTemperature(int index, double delta_c) {
  days_[static_cast<size_t>(index + 1)].mean_c += delta_c;
}

Outdoor Weather::At(int64_t t) const {
  int64_t index = t / kSecondsPerDay;  // t >= 0
  double h = static_cast<double>(t - index * kSecondsPerDay) / 3600.0;
  size_t i = static_cast<size_t>(index) + 1;
  const WeatherDay& d = days_[i];
  // Blend the daily mean and range between day centres (noon).
  const WeatherDay& other = h < 12 ? days_[i - 1] : days_[std::min(i + 1, days_.size() - 1)];
  double w = h < 12 ? (12 - h) / 24.0 : (h - 12) / 24.0;
  double mean = (1 - w) * d.mean_c + w * other.mean_c;
  double range = (1 - w) * d.half_range_c + w * other.half_range_c;
  double dew_dep = (1 - w) * d.dew_depression_c + w * other.dew_depression_c;
  double shape;  // -1 at 06:00, +1 at 15:00
  if (h >= 6 && h < 15) {
    shape = -std::cos(kPi * (h - 6) / 9.0);
  } else {
    double since = h >= 15 ? h - 15 : h + 9;
    shape = std::cos(kPi * since / 15.0);
  }
  Outdoor o;
  o.temperature_c = mean + range * shape;
  double dew = std::min(mean - dew_dep, o.temperature_c);
  o.humidity_ratio = HumidityRatio(dew, 1.0);
  o.wind_ms = d.wind_ms;
  int hi = std::min(static_cast<int>(h), 23);
  double f = h - hi;
  o.cloud = (1 - f) * d.cloud[hi] + f * d.cloud[hi + 1];
  const SunDay& sd = sun_days_[i];
  o.sun = SunDirection(site_, sd, h);
  o.sky = SkyIrradiance(sd, o.sun, o.cloud);
  return o;
}

}  // namespace emlkit::roomsim
