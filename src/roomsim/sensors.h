// The room's sensors: what a thermostat board would read, before any fault.
//
// Temperature, humidity and CO2 follow the true value with a first-order lag (housing, NDIR
// chamber), a fixed per-device calibration error (offset and gain, drawn once per run), Gaussian
// noise (absolute + relative) and the reading's resolution; readings clip to the measuring range.
// Light has no lag. The PIR counts motion events during the period: a Poisson draw with the rate
// of what moves in the room (people by activity, a pet), at most 10 per minute (retrigger time).
// Defaults follow common parts (SHT3x-class temperature/humidity, BH1750-class light, NDIR CO2);
// see docs/roomsim.md.
#ifndef EMLKIT_ROOMSIM_SENSORS_H_
#define EMLKIT_ROOMSIM_SENSORS_H_

#include <cstdint>

#include "common/rng.h"

namespace emlkit::roomsim {

// The analog sensors, in CSV column order. The PIR is separate.
enum SensorId : int { kTemperature = 0, kHumidity, kLight, kCo2, kNumAnalog };
inline constexpr int kMotion = kNumAnalog;  // the PIR, for fault targets
inline constexpr int kNumSensors = kNumAnalog + 1;
// "temperature", "humidity", "light", "co2", "motion".
const char* SensorName(int sensor);

struct SensorSpec {
  double noise_sd = 0;      // absolute noise, in the reading's unit
  double noise_rel = 0;     // noise relative to the value
  double resolution = 1;    // reading step (> 0)
  double lag_s = 0;         // first-order time constant
  double offset_sd = 0;     // per-device calibration offset
  double gain_sd = 0;       // per-device relative gain error
  double min = 0, max = 0;  // measuring range
};

struct SensorSpecs {
  SensorSpec analog[kNumAnalog];
  double pir_max_per_min = 10;
};
SensorSpecs DefaultSensorSpecs();
// Decimals needed to print multiples of `resolution` exactly (0 for 1, 2 for 0.01; at most 6).
int ResolutionDecimals(double resolution);

// The truth the sensors look at.
struct TrueValues {
  double value[kNumAnalog] = {};  // degC, %RH, lux, ppm
  double pir_rate = 0;            // expected PIR events per minute
};

struct Readings {
  double value[kNumAnalog] = {};  // quantized; NaN = no reading (set by faults)
  int32_t motion = 0;             // events in the period; -1 = no reading
};

class Sensors {
 public:
  Sensors(const SensorSpecs& specs, uint64_t seed);
  // Starts the lags at `truth`.
  void Reset(const TrueValues& truth);
  Readings Read(const TrueValues& truth, double dt_s);
  // Clips to the range and rounds to the resolution of `sensor`.
  double Finish(int sensor, double v) const;
  const SensorSpecs& specs() const { return specs_; }

 private:
  SensorSpecs specs_;
  double lagged_[kNumAnalog] = {};
  double offset_[kNumAnalog] = {}, gain_[kNumAnalog] = {};
  double lag_dt_ = -1, follow_[kNumAnalog] = {};  // lag coefficients for period lag_dt_
  Rng noise_, pir_;
};

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_SENSORS_H_
