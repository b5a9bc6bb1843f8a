// `data inspect` flags a sensor held at its full scale (issue 15): an accelerometer axis clipped
// at -4 g for runs of rows is a problem naming the column, the value and the lines; a slow
// temperature that holds its values for rows, or a light level at 0, is not.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "data/inspect.h"

namespace emlkit::data {
namespace {

TEST(InspectSaturation, ClippedAxisIsAProblemSlowPlateauIsNot) {
  std::string csv = "aZ,temp,light\n";
  char line[96];
  for (int i = 0; i < 600; ++i) {
    double az = std::max(-4.0, -1 - 3.1 * std::sin(M_PI * (i % 119) / 119.0) + 0.01 * (i % 7));
    double temp = 20 + 0.01 * (i / 10);  // slow: most steps are 0
    double light = i % 200 < 20 ? 0 : 300 + i % 13;
    std::snprintf(line, sizeof line, "%.3f,%.2f,%.1f\n", az, temp, light);
    csv += line;
  }
  auto r = InspectString(csv, "imu.csv", CsvOptions{});
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::vector<std::string> problems = r->Problems();
  ASSERT_EQ(problems.size(), 1u) << (problems.empty() ? "" : problems[0]);
  EXPECT_NE(problems[0].find("aZ: "), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("at its min -4"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("saturated"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("first at line "), std::string::npos) << problems[0];
  EXPECT_NE(r->ToJson().find("\"saturation\""), std::string::npos);
}

}  // namespace
}  // namespace emlkit::data
