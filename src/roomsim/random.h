// Random helpers for the room simulator on top of emlkit::Rng (deterministic on every platform).
//
// Each part of the simulation draws from its own stream (weather, occupants, sensors, faults,
// ...), and day plans from a stream per day, so changing one part (a scenario on day 3, the heater
// power the controller chooses) never shifts the random numbers another part sees.
#ifndef EMLKIT_ROOMSIM_RANDOM_H_
#define EMLKIT_ROOMSIM_RANDOM_H_

#include <cmath>
#include <cstdint>

#include "common/rng.h"

namespace emlkit::roomsim {

enum class Stream : uint64_t {
  kWeather = 1,
  kHabits,
  kOccupantDay,
  kActivity,
  kPet,
  kSensorNoise,
  kSensorBias,
  kFaultDay,
  kFaultValues,
  kLighting,
  kWindow,
};

// A seed for (stream, index) derived from the run's seed; distinct inputs give unrelated seeds.
inline uint64_t StreamSeed(uint64_t seed, Stream stream, uint64_t index = 0) {
  uint64_t s = seed ^ (static_cast<uint64_t>(stream) * 0xD1B54A32D192ED03ull);
  uint64_t a = SplitMix64(s);
  uint64_t t = a ^ (index * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull);
  return SplitMix64(t);
}

// Poisson-distributed count with mean `lambda`: Knuth's product method up to 30, the normal
// approximation above.
inline int Poisson(Rng& rng, double lambda) {
  if (lambda <= 0.0) return 0;
  if (lambda > 30.0) {
    double k = std::round(lambda + std::sqrt(lambda) * rng.Normal());
    return k < 0 ? 0 : static_cast<int>(k);
  }
  double limit = std::exp(-lambda), p = rng.Uniform();
  int k = 0;
  while (p > limit) {
    p *= rng.Uniform();
    ++k;
  }
  return k;
}

// Probability that an event with `rate_per_min` happens within `dt_s` seconds.
inline double ChanceWithin(double rate_per_min, double dt_s) {
  return 1.0 - std::exp(-rate_per_min * dt_s / 60.0);
}

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_RANDOM_H_
