#include "roomsim/faults.h"

#include <gtest/gtest.h>

#include <cmath>

namespace emlkit::roomsim {
namespace {

constexpr int kSpike = 0, kStuckK = 1, kDrop = 2, kDriftK = 3;

TEST(Faults, ParsesKindsAndTargets) {
  auto r = ParseFaults({"spike", "stuck:co2", "dropout:rows", "drift:all"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->per_day[kSpike][kTemperature], 0);
  EXPECT_EQ(r->per_day[kSpike][kMotion], 0);  // not a default spike target
  EXPECT_GT(r->per_day[kStuckK][kCo2], 0);
  EXPECT_EQ(r->per_day[kStuckK][kTemperature], 0);
  EXPECT_GT(r->per_day[kDrop][kRows], 0);
  EXPECT_EQ(r->per_day[kDrop][kLight], 0);
  EXPECT_GT(r->per_day[kDriftK][kLight], 0);
  EXPECT_EQ(r->per_day[kDriftK][kMotion], 0);
  EXPECT_FALSE(ParseFaults({}).value().any());
}

TEST(Faults, RejectsUnknownWords) {
  auto a = ParseFaults({"spiky"});
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("spiky"), std::string::npos);
  EXPECT_NE(a.status().message().find("stuck"), std::string::npos);
  auto b = ParseFaults({"drift:motion"});
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("not a target of drift"), std::string::npos);
  EXPECT_FALSE(ParseFaults({"stuck:rows"}).ok());
}

TEST(Faults, Text) {
  EXPECT_EQ(FaultText(0), "none");
  EXPECT_EQ(
      FaultText(FaultBit(FaultKind::kSpike, kCo2) | FaultBit(FaultKind::kStuck, kTemperature)),
      "spike:co2+stuck:temperature");
  EXPECT_EQ(FaultText(FaultBit(FaultKind::kDropout, kRows)), "dropout:rows");
}

Readings Clean() {
  Readings r;
  r.value[kTemperature] = 21.0;
  r.value[kHumidity] = 30.0;
  r.value[kLight] = 400;
  r.value[kCo2] = 700;
  r.motion = 2;
  return r;
}

TEST(Faults, InjectorMarksWhatItChanges) {
  FaultRates rates = ParseFaults({"spike", "dropout", "stuck:all"}).value();
  Sensors sensors(DefaultSensorSpecs(), 1);
  FaultInjector inj(std::vector<FaultRates>(7, rates), sensors, 60, 3);
  int spikes = 0, stuck_rows = 0, stuck_total = 0, empty = 0, lost = 0;
  double prev_co2 = 0;
  for (int64_t t = 0; t < 7 * 86400; t += 60) {
    Readings r = Clean();
    r.value[kCo2] = 700 + (t / 60) % 50;  // a changing signal, so "stuck" is visible
    bool missing = false;
    uint32_t mask = inj.Apply(t, &r, &missing);
    lost += missing;
    bool co2_stuck = mask & FaultBit(FaultKind::kStuck, kCo2);
    bool co2_spike = mask & FaultBit(FaultKind::kSpike, kCo2);
    bool co2_drop = mask & FaultBit(FaultKind::kDropout, kCo2);
    if (co2_spike) ++spikes;
    if (co2_drop) {
      EXPECT_TRUE(std::isnan(r.value[kCo2]));
      ++empty;
    } else if (co2_stuck && !co2_spike) {
      if (stuck_rows > 0 && prev_co2 > 0) {
        EXPECT_EQ(r.value[kCo2], prev_co2);
      }
      ++stuck_rows;
      ++stuck_total;
    } else if (!co2_spike) {
      EXPECT_EQ(r.value[kCo2], 700 + (t / 60) % 50);  // untouched when no fault is marked
    }
    if (!co2_stuck) stuck_rows = 0;
    if (!co2_spike) prev_co2 = r.value[kCo2];
    if (mask & FaultBit(FaultKind::kDropout, kMotion)) {
      EXPECT_EQ(r.motion, -1);
    }
  }
  EXPECT_GT(spikes, 7 * 4 / 3);  // ~4 a day
  EXPECT_LT(spikes, 7 * 4 * 3);
  EXPECT_GT(stuck_total, 60);
  EXPECT_GT(empty, 0);
  EXPECT_GT(lost, 0);
}

TEST(Faults, ForcedStuckHappensEveryDayInDaytime) {
  FaultRates rates;
  rates.forced_stuck = 1u << kTemperature;
  Sensors sensors(DefaultSensorSpecs(), 1);
  FaultInjector inj(std::vector<FaultRates>(3, rates), sensors, 60, 8);
  for (int d = 0; d < 3; ++d) {
    int64_t first = -1, last = -1;
    for (int64_t t = d * 86400; t < (d + 1) * 86400; t += 60) {
      Readings r = Clean();
      r.value[kTemperature] = 20 + t % 7 * 0.01;
      bool missing;
      if (inj.Apply(t, &r, &missing) & FaultBit(FaultKind::kStuck, kTemperature)) {
        if (first < 0) first = t;
        last = t;
      }
    }
    ASSERT_GE(first, 0) << "day " << d;
    EXPECT_GE(first - d * 86400, 8 * 3600);
    EXPECT_LE(first - d * 86400, 12 * 3600);
    EXPECT_GE(last - first, 3 * 3600 - 120);
  }
}

TEST(Faults, DriftGrowsLinearly) {
  FaultRates rates = ParseFaults({"drift:co2"}).value();
  Sensors sensors(DefaultSensorSpecs(), 1);
  FaultInjector inj(std::vector<FaultRates>(15, rates), sensors, 60, 1);
  double at_week = 0, at_two = 0;
  for (int64_t t = 0; t <= 14 * 86400; t += 60) {
    if (t == 14 * 86400) break;
    Readings r = Clean();
    bool missing;
    uint32_t mask = inj.Apply(t, &r, &missing);
    EXPECT_TRUE(mask & FaultBit(FaultKind::kDrift, kCo2));
    if (t == 7 * 86400) at_week = r.value[kCo2] - 700;
    if (t == 14 * 86400 - 60) at_two = r.value[kCo2] - 700;
  }
  EXPECT_GE(std::fabs(at_week), 39);
  EXPECT_LE(std::fabs(at_week), 81);
  EXPECT_NEAR(at_two / at_week, 2.0, 0.05);
}

}  // namespace
}  // namespace emlkit::roomsim
