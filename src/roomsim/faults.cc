#include "roomsim/faults.h"

#include <algorithm>
#include <cmath>

#include "roomsim/calendar.h"
#include "roomsim/random.h"

namespace emlkit::roomsim {
namespace {

constexpr double kDefaultPerDay[kNumFaultKinds] = {4.0, 0.3, 2.0, 1.0};
constexpr double kRowDropoutsPerDay = 1.0;
constexpr double kSpikeLimitShare = 0.3;  // spikes that read the range limit
constexpr int64_t kWeekS = 7 * kSecondsPerDay;

uint8_t DefaultTargets(FaultKind kind) {
  switch (kind) {
    case FaultKind::kSpike:
      return (1u << kTemperature) | (1u << kHumidity) | (1u << kLight) | (1u << kCo2);
    case FaultKind::kStuck:
      return (1u << kTemperature) | (1u << kCo2);
    case FaultKind::kDropout:
      return 0x3F;  // every sensor and rows
    case FaultKind::kDrift:
      return 1u << kCo2;
  }
  return 0;
}

std::string ValidTargets(FaultKind kind) {
  switch (kind) {
    case FaultKind::kDropout:
      return "temperature, humidity, light, co2, motion, rows, all";
    case FaultKind::kDrift:
      return "temperature, humidity, light, co2, all";
    default:
      return "temperature, humidity, light, co2, motion, all";
  }
}

}  // namespace

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kSpike:
      return "spike";
    case FaultKind::kStuck:
      return "stuck";
    case FaultKind::kDropout:
      return "dropout";
    case FaultKind::kDrift:
      return "drift";
  }
  return "unknown";
}

const char* FaultTargetName(int target) { return target == kRows ? "rows" : SensorName(target); }

void AppendFaultText(uint32_t mask, std::string* out) {
  if (mask == 0) {
    out->append("none");
    return;
  }
  bool first = true;
  for (int k = 0; k < kNumFaultKinds; ++k) {
    for (int t = 0; t < kNumFaultTargets; ++t) {
      if (!(mask & FaultBit(static_cast<FaultKind>(k), t))) continue;
      if (!first) out->push_back('+');
      first = false;
      out->append(FaultKindName(static_cast<FaultKind>(k)));
      out->push_back(':');
      out->append(FaultTargetName(t));
    }
  }
}

std::string FaultText(uint32_t mask) {
  std::string s;
  AppendFaultText(mask, &s);
  return s;
}

bool FaultRates::any() const {
  for (const auto& row : per_day)
    for (double r : row)
      if (r > 0) return true;
  return forced_stuck != 0;
}

void FaultRates::Merge(const FaultRates& o) {
  for (int k = 0; k < kNumFaultKinds; ++k)
    for (int t = 0; t < kNumFaultTargets; ++t)
      per_day[k][t] = std::max(per_day[k][t], o.per_day[k][t]);
  forced_stuck |= o.forced_stuck;
}

Result<FaultRates> ParseFaults(const std::vector<std::string>& items) {
  FaultRates rates;
  for (const std::string& item : items) {
    size_t colon = item.find(':');
    std::string kind_name = item.substr(0, colon);
    int kind = -1;
    for (int k = 0; k < kNumFaultKinds; ++k) {
      if (kind_name == FaultKindName(static_cast<FaultKind>(k))) kind = k;
    }
    if (kind < 0)
      return Status::InvalidArgument("--faults: unknown fault '" + kind_name + "' in '" + item +
                                     "' (choose spike, stuck, dropout or drift, optionally as "
                                     "KIND:SENSOR, e.g. stuck:co2)");
    FaultKind fk = static_cast<FaultKind>(kind);
    uint8_t targets = DefaultTargets(fk);
    if (colon != std::string::npos) {
      std::string target = item.substr(colon + 1);
      targets = 0;
      for (int t = 0; t < kNumFaultTargets; ++t) {
        if (target == FaultTargetName(t)) targets = static_cast<uint8_t>(1u << t);
      }
      if (target == "all") targets = fk == FaultKind::kDropout ? 0x3F : 0x1F;
      if (fk == FaultKind::kDrift) targets &= 0x0F;  // the PIR and rows cannot drift
      if (fk != FaultKind::kDropout) targets &= 0x1F;
      if (targets == 0)
        return Status::InvalidArgument("--faults: '" + target + "' in '" + item +
                                       "' is not a target of " + kind_name + " (choose " +
                                       ValidTargets(fk) + ")");
    }
    for (int t = 0; t < kNumFaultTargets; ++t) {
      if (!(targets & (1u << t))) continue;
      double r = t == kRows ? kRowDropoutsPerDay : kDefaultPerDay[kind];
      rates.per_day[kind][t] = std::max(rates.per_day[kind][t], r);
    }
  }
  return rates;
}

FaultInjector::FaultInjector(std::vector<FaultRates> per_day, const Sensors& sensors, int64_t dt_s,
                             uint64_t seed)
    : per_day_(std::move(per_day)), sensors_(sensors), dt_s_(dt_s), seed_(seed) {
  Rng rng(StreamSeed(seed, Stream::kFaultValues));
  auto sign = [&rng] { return rng.Bernoulli(0.5) ? 1.0 : -1.0; };
  drift_per_week_[kTemperature] = sign() * rng.Uniform(0.2, 0.5);
  drift_per_week_[kHumidity] = sign() * rng.Uniform(1.0, 3.0);
  drift_per_week_[kLight] = -rng.Uniform(0.03, 0.08);  // a relative gain loss (dust)
  drift_per_week_[kCo2] = sign() * rng.Uniform(40, 80);
}

void FaultInjector::PlanDay(int64_t day) {
  planned_day_ = day;
  if (day < 0 || day >= static_cast<int64_t>(per_day_.size())) return;
  const FaultRates& rates = per_day_[static_cast<size_t>(day)];
  int64_t midnight = day * kSecondsPerDay;
  for (int s = 0; s < kNumAnalog; ++s) {
    bool drift = rates.per_day[static_cast<int>(FaultKind::kDrift)][s] > 0;
    if (drift && !drifting_[s]) drift_since_[s] = midnight;
    drifting_[s] = drift;
  }
  if (!rates.any()) return;
  Rng rng(StreamSeed(seed_, Stream::kFaultDay, static_cast<uint64_t>(day)));
  auto add = [&](FaultKind kind, int target, int64_t start, int64_t length) {
    Episode e{start,         start + std::max<int64_t>(length, 1), kind, target,
              rng.Uniform(), rng.Bernoulli(0.5) ? 1.0 : -1.0};
    active_.push_back(e);
  };
  auto second = [&](double from_h, double to_h) {
    return midnight + static_cast<int64_t>(rng.Uniform(from_h, to_h) * 3600);
  };
  for (int t = 0; t < kNumFaultTargets; ++t) {
    for (int n = Poisson(rng, rates.per_day[0][t]); n > 0; --n)
      add(FaultKind::kSpike, t, second(0, 24), dt_s_);
    for (int n = Poisson(rng, rates.per_day[1][t]); n > 0; --n)
      add(FaultKind::kStuck, t, second(0, 24), static_cast<int64_t>(rng.Uniform(1, 8) * 3600));
    if (rates.forced_stuck & (1u << t))
      add(FaultKind::kStuck, t, second(8, 12), static_cast<int64_t>(rng.Uniform(3, 6) * 3600));
    double max_min = t == kRows ? 30 : 15;
    for (int n = Poisson(rng, rates.per_day[2][t]); n > 0; --n)
      add(FaultKind::kDropout, t, second(0, 24),
          static_cast<int64_t>(rng.Uniform(1, max_min) * 60));
  }
}

double FaultInjector::Spike(int sensor, double v, const Episode& e) const {
  const SensorSpec& sp = sensors_.specs().analog[sensor];
  if (e.u < kSpikeLimitShare) return e.sign > 0 ? sp.max : sp.min;
  double m = (e.u - kSpikeLimitShare) / (1 - kSpikeLimitShare);
  switch (sensor) {
    case kTemperature:
      v += e.sign * (3 + 7 * m);
      break;
    case kHumidity:
      v += e.sign * (10 + 30 * m);
      break;
    case kLight:
      v = v * (3 + 7 * m) + 200 + 1800 * m;
      break;
    default:
      v += e.sign * (500 + 2500 * m);
  }
  return sensors_.Finish(sensor, v);
}

uint32_t FaultInjector::Apply(int64_t t, Readings* r, bool* row_missing) {
  *row_missing = false;
  int64_t day = t / kSecondsPerDay;
  while (planned_day_ < day) PlanDay(planned_day_ + 1);
  active_.erase(
      std::remove_if(active_.begin(), active_.end(), [t](const Episode& e) { return e.end <= t; }),
      active_.end());
  uint32_t mask = 0;
  for (int s = 0; s < kNumAnalog; ++s) {
    if (!drifting_[s]) continue;
    double weeks = static_cast<double>(t - drift_since_[s]) / kWeekS;
    double v = r->value[s];
    v = s == kLight ? v * (1 + drift_per_week_[s] * weeks) : v + drift_per_week_[s] * weeks;
    r->value[s] = sensors_.Finish(s, v);
    mask |= FaultBit(FaultKind::kDrift, s);
  }
  bool stuck_now[kNumSensors] = {};
  for (const Episode& e : active_) {
    if (e.start <= t && e.kind == FaultKind::kStuck) stuck_now[e.target] = true;
  }
  for (int s = 0; s < kNumSensors; ++s) {
    if (!stuck_now[s]) {
      stuck_[s] = false;
      continue;
    }
    double current = s == kMotion ? 0.0 : r->value[s];
    if (!stuck_[s]) held_[s] = has_last_[s] ? last_[s] : current;
    stuck_[s] = true;
    if (s == kMotion) {
      r->motion = 0;
    } else {
      r->value[s] = held_[s];
    }
    mask |= FaultBit(FaultKind::kStuck, s);
  }
  for (int s = 0; s < kNumAnalog; ++s) {  // what a stuck sensor would repeat: no spikes
    last_[s] = r->value[s];
    has_last_[s] = true;
  }
  for (const Episode& e : active_) {
    if (e.start > t || e.kind == FaultKind::kStuck) continue;
    if (e.kind == FaultKind::kSpike) {
      if (e.target == kMotion) {
        r->motion += 5 + static_cast<int32_t>(e.u * 6);
      } else {
        r->value[e.target] = Spike(e.target, r->value[e.target], e);
      }
    } else if (e.target == kRows) {
      *row_missing = true;
    } else if (e.target == kMotion) {
      r->motion = -1;
    } else {
      r->value[e.target] = NAN;
    }
    mask |= FaultBit(e.kind, e.target);
  }
  return mask;
}

}  // namespace emlkit::roomsim
