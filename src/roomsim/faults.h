// Sensor faults: spikes, stuck values, dropouts (empty fields or whole rows missing) and slow
// drift. What is injected is recorded per row (the CSV's ground-truth `fault` column).
//
//   spike    one reading far off: the range limit (30 %) or a large jump (temperature +-3..10 degC,
//            humidity +-10..40 %RH, light x3..10 + 200..2000 lux, CO2 +-500..3000 ppm; the PIR
//            reports a false burst of 5..10 events). Default 4 per day per sensor.
//   stuck    the reading freezes at its last value for 1..8 h (a stuck PIR reports no motion).
//            Default 0.3 episodes per day per sensor.
//   dropout  the field is empty for 1..15 min (2 per day per sensor), or with target `rows` the
//            logger loses whole rows for 1..30 min (1 per day).
//   drift    a slow linear error growing from the day it starts: temperature +-0.2..0.5 degC,
//            humidity +-1..3 %RH, CO2 +-40..80 ppm, light -3..-8 % per week.
// `--faults` items are KIND or KIND:TARGET (targets: temperature, humidity, light, co2, motion,
// rows, all); a KIND alone means spike: the four analog sensors; stuck: temperature and co2;
// dropout: every sensor and rows; drift: co2.
#ifndef EMLKIT_ROOMSIM_FAULTS_H_
#define EMLKIT_ROOMSIM_FAULTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/rng.h"
#include "common/status.h"
#include "roomsim/sensors.h"

namespace emlkit::roomsim {

enum class FaultKind : int { kSpike = 0, kStuck, kDropout, kDrift };
inline constexpr int kNumFaultKinds = 4;
inline constexpr int kRows = kNumSensors;  // fault target: whole rows (dropout only)
inline constexpr int kNumFaultTargets = kNumSensors + 1;
const char* FaultKindName(FaultKind kind);
// Sensor names and "rows".
const char* FaultTargetName(int target);

// The bit of (kind, target) in a row's fault mask.
inline uint32_t FaultBit(FaultKind kind, int target) {
  return 1u << (static_cast<int>(kind) * kNumFaultTargets + target);
}
// "none", or the active faults as "kind:target" joined by '+', e.g. "spike:co2+stuck:temperature".
void AppendFaultText(uint32_t mask, std::string* out);
std::string FaultText(uint32_t mask);

// How often each fault happens on one day: expected episodes per day for spike, stuck and
// dropout; for drift any value > 0 means the sensor drifts on that day.
struct FaultRates {
  double per_day[kNumFaultKinds][kNumFaultTargets] = {};
  // Targets with exactly one stuck episode of 3..6 h starting between 08:00 and 12:00 (the
  // stuck-sensor scenario), on top of the random ones.
  uint8_t forced_stuck = 0;
  bool any() const;
  // Elementwise maximum / union.
  void Merge(const FaultRates& other);
};

// Parses the items of --faults (see above). Errors name the item and list the valid words.
Result<FaultRates> ParseFaults(const std::vector<std::string>& items);

class FaultInjector {
 public:
  // `per_day[d]` are the rates of day d (0 = the first day); `sensors` rounds faulty values.
  FaultInjector(std::vector<FaultRates> per_day, const Sensors& sensors, int64_t dt_s,
                uint64_t seed);
  // Applies the faults active at `t` (seconds since the first midnight, growing call to call)
  // to `r`. Returns the row's fault mask; `*row_missing` tells whether the logger lost the row.
  uint32_t Apply(int64_t t, Readings* r, bool* row_missing);

 private:
  struct Episode {
    int64_t start, end;
    FaultKind kind;
    int target;
    double u, sign;  // magnitude draws for spikes
  };
  void PlanDay(int64_t day);
  double Spike(int sensor, double v, const Episode& e) const;

  std::vector<FaultRates> per_day_;
  const Sensors& sensors_;
  int64_t dt_s_;
  uint64_t seed_;
  int64_t planned_day_ = -1;
  std::vector<Episode> active_;
  double drift_per_week_[kNumAnalog] = {};
  int64_t drift_since_[kNumAnalog] = {};
  bool drifting_[kNumAnalog] = {};
  double last_[kNumSensors] = {};
  bool has_last_[kNumSensors] = {};
  bool stuck_[kNumSensors] = {};
  double held_[kNumSensors] = {};
};

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_FAULTS_H_
