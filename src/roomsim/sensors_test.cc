#include "roomsim/sensors.h"

#include <gtest/gtest.h>

#include <cmath>

namespace emlkit::roomsim {
namespace {

TEST(Sensors, ResolutionDecimals) {
  EXPECT_EQ(ResolutionDecimals(1), 0);
  EXPECT_EQ(ResolutionDecimals(0.01), 2);
  EXPECT_EQ(ResolutionDecimals(0.5), 1);
  EXPECT_EQ(ResolutionDecimals(0.25), 2);
  EXPECT_EQ(ResolutionDecimals(10), 0);
}

TEST(Sensors, ReadingsAreQuantizedClippedAndNoisy) {
  Sensors s(DefaultSensorSpecs(), 1);
  TrueValues truth;
  truth.value[kTemperature] = 21.0;
  truth.value[kHumidity] = 99.9;
  truth.value[kLight] = 300;
  truth.value[kCo2] = 800;
  s.Reset(truth);
  double sum = 0, sum2 = 0;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    Readings r = s.Read(truth, 60);
    double t = r.value[kTemperature];
    EXPECT_NEAR(t * 100, std::round(t * 100), 1e-6);  // 0.01 degC steps
    EXPECT_LE(r.value[kHumidity], 100.0);
    EXPECT_EQ(r.value[kLight], std::round(r.value[kLight]));
    sum += r.value[kCo2];
    sum2 += r.value[kCo2] * r.value[kCo2];
    EXPECT_EQ(r.motion, 0);  // nobody moves
  }
  double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 800, 60);  // calibration offset and gain error
  EXPECT_NEAR(sd, 8 + 8, 3);   // 8 ppm + 1 % noise
}

TEST(Sensors, LagFollowsAStep) {
  SensorSpecs specs = DefaultSensorSpecs();
  specs.analog[kTemperature].noise_sd = 0;
  specs.analog[kTemperature].offset_sd = 0;
  Sensors s(specs, 1);
  TrueValues truth;
  truth.value[kTemperature] = 20;
  s.Reset(truth);
  truth.value[kTemperature] = 22;
  Readings r = s.Read(truth, 120);  // one time constant
  EXPECT_NEAR(r.value[kTemperature], 20 + 2 * (1 - std::exp(-1.0)), 0.011);
}

TEST(Sensors, PirCountsFollowTheRateAndSaturate) {
  Sensors s(DefaultSensorSpecs(), 2);
  TrueValues truth;
  truth.pir_rate = 1.2;
  int zero = 0;
  for (int i = 0; i < 5000; ++i) zero += s.Read(truth, 60).motion == 0;
  EXPECT_NEAR(zero / 5000.0, std::exp(-1.2), 0.03);  // a seated person is missed ~30 % of minutes
  truth.pir_rate = 100;
  EXPECT_EQ(s.Read(truth, 60).motion, 10);  // retrigger limit
}

}  // namespace
}  // namespace emlkit::roomsim
