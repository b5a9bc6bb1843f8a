#include "roomsim/sensors.h"

#include <algorithm>
#include <cmath>

#include "roomsim/random.h"

namespace emlkit::roomsim {

const char* SensorName(int sensor) {
  static const char* const kNames[kNumSensors] = {"temperature", "humidity", "light", "co2",
                                                  "motion"};
  return sensor >= 0 && sensor < kNumSensors ? kNames[sensor] : "unknown";
}

SensorSpecs DefaultSensorSpecs() {
  SensorSpecs s;
  //                     noise  rel    res   lag  offset gain  min    max
  s.analog[kTemperature] = {0.02, 0, 0.01, 120, 0.15, 0, -40, 85};
  s.analog[kHumidity] = {0.1, 0, 0.01, 60, 1.0, 0, 0, 100};
  s.analog[kLight] = {0.3, 0.01, 1, 0, 0, 0.05, 0, 65535};
  s.analog[kCo2] = {8, 0.01, 1, 60, 10, 0.01, 0, 10000};
  return s;
}

int ResolutionDecimals(double resolution) {
  int d = 0;
  double scaled = resolution;
  while (d < 6 && std::fabs(scaled - std::round(scaled)) > 1e-9 * std::max(1.0, scaled)) {
    scaled *= 10;
    ++d;
  }
  return d;
}

Sensors::Sensors(const SensorSpecs& specs, uint64_t seed)
    : specs_(specs),
      noise_(StreamSeed(seed, Stream::kSensorNoise, 0)),
      pir_(StreamSeed(seed, Stream::kSensorNoise, 1)) {
  Rng bias(StreamSeed(seed, Stream::kSensorBias));
  for (int i = 0; i < kNumAnalog; ++i) {
    const SensorSpec& sp = specs_.analog[i];
    offset_[i] = sp.offset_sd * bias.Normal();
    gain_[i] = 1.0 + sp.gain_sd * bias.Normal();
  }
}

void Sensors::Reset(const TrueValues& truth) {
  for (int i = 0; i < kNumAnalog; ++i) lagged_[i] = truth.value[i];
}

double Sensors::Finish(int sensor, double v) const {
  const SensorSpec& sp = specs_.analog[sensor];
  v = std::clamp(v, sp.min, sp.max);
  return std::round(v / sp.resolution) * sp.resolution;
}

Readings Sensors::Read(const TrueValues& truth, double dt_s) {
  Readings r;
  if (dt_s != lag_dt_) {
    for (int i = 0; i < kNumAnalog; ++i) {
      double lag = specs_.analog[i].lag_s;
      follow_[i] = lag > 0 ? 1.0 - std::exp(-dt_s / lag) : 1.0;
    }
    lag_dt_ = dt_s;
  }
  for (int i = 0; i < kNumAnalog; ++i) {
    const SensorSpec& sp = specs_.analog[i];
    lagged_[i] += follow_[i] * (truth.value[i] - lagged_[i]);
    double v = gain_[i] * lagged_[i] + offset_[i];
    v += (sp.noise_sd + sp.noise_rel * std::fabs(v)) * noise_.Normal();
    r.value[i] = Finish(i, v);
  }
  double cap = specs_.pir_max_per_min * dt_s / 60.0;
  r.motion = static_cast<int32_t>(
      std::min<double>(Poisson(pir_, truth.pir_rate * dt_s / 60.0), std::floor(cap)));
  return r;
}

}  // namespace emlkit::roomsim
