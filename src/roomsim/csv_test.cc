#include "roomsim/csv.h"

#include <gtest/gtest.h>

#include <cmath>

#include "roomsim/calendar.h"

namespace emlkit::roomsim {
namespace {

std::string Fixed(double v, int d) {
  std::string s;
  AppendFixed(v, d, &s);
  return s;
}

TEST(Csv, FixedDecimals) {
  EXPECT_EQ(Fixed(21.0, 2), "21.00");
  EXPECT_EQ(Fixed(21.005, 2), "21.01");  // half away from zero (21.005 is stored just above)
  EXPECT_EQ(Fixed(-3.456, 2), "-3.46");
  EXPECT_EQ(Fixed(-0.004, 2), "0.00");  // no "-0.00"
  EXPECT_EQ(Fixed(0.5, 0), "1");
  EXPECT_EQ(Fixed(1234567.0, 0), "1234567");
  EXPECT_EQ(Fixed(0.07, 1), "0.1");
  EXPECT_EQ(Fixed(NAN, 2), "");
}

TEST(Csv, RowFormat) {
  CsvRowWriter w(DefaultSensorSpecs());
  Sample s;
  s.time_s = DaysFromCivil({2024, 2, 5}) * kSecondsPerDay + 8 * 3600 + 60;
  s.readings.value[kTemperature] = 20.5;
  s.readings.value[kHumidity] = NAN;
  s.readings.value[kLight] = 452;
  s.readings.value[kCo2] = 811;
  s.readings.motion = 3;
  s.occupied = true;
  s.occupants = 2;
  s.heater_w = 1500;
  s.faults = FaultBit(FaultKind::kDropout, kHumidity);
  std::string out;
  w.Append(s, &out);
  EXPECT_EQ(out, "2024-02-05 08:01:00,20.50,,452,811,3,1,2,1500,dropout:humidity\n");
  s.readings.motion = -1;
  s.faults = 0;
  s.occupied = false;
  s.occupants = 0;
  out.clear();
  w.Append(s, &out);
  EXPECT_EQ(out, "2024-02-05 08:01:00,20.50,,452,811,,0,0,1500,none\n");
  s.row_missing = true;
  out.clear();
  w.Append(s, &out);
  EXPECT_EQ(out, "");
  EXPECT_EQ(std::string(kCsvHeader),
            "timestamp,temperature_c,humidity_pct,light_lux,co2_ppm,motion,occupied,occupants,"
            "heater_w,fault\n");
}

}  // namespace
}  // namespace emlkit::roomsim
