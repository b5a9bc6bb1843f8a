#include "data/cell.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <string>

#include "common/rng.h"
#include "data/timestamp.h"

namespace emlkit::data {
namespace {

CellKind Kind(const std::string& s, double* v = nullptr) {
  double tmp;
  return ParseCell(s.data(), s.data() + s.size(), v ? v : &tmp);
}

TEST(Cell, Numbers) {
  double v;
  EXPECT_EQ(Kind("23.18", &v), CellKind::kNumber);
  EXPECT_DOUBLE_EQ(v, 23.18);
  EXPECT_EQ(Kind(" 426 ", &v), CellKind::kInteger);
  EXPECT_EQ(v, 426);
  EXPECT_EQ(Kind("+5", &v), CellKind::kInteger);
  EXPECT_EQ(v, 5);
  EXPECT_EQ(Kind("-1e-3", &v), CellKind::kNumber);
  EXPECT_DOUBLE_EQ(v, -0.001);
  EXPECT_EQ(Kind(".5", &v), CellKind::kNumber);
  EXPECT_EQ(Kind("0.00479298817650529", &v), CellKind::kNumber);
  EXPECT_EQ(v, 0.00479298817650529);
  EXPECT_EQ(Kind("1e999", &v), CellKind::kNonFinite);
  EXPECT_EQ(Kind("12abc"), CellKind::kText);
  EXPECT_EQ(Kind("0x10"), CellKind::kText);
}

// The fast decimal path must give exactly what from_chars gives.
TEST(Cell, FastPathMatchesFromChars) {
  Rng rng(3);
  for (int i = 0; i < 200000; ++i) {
    std::string s = (rng.Bernoulli(0.3) ? "-" : "") + std::to_string(rng.Below(1000000000));
    if (rng.Bernoulli(0.8)) {
      s.insert(s.size() - std::min<size_t>(s.size() - (s[0] == '-'), rng.Below(8)), ".");
      if (s.back() == '.') s += "0";
      if (s[0] == '.' || (s[0] == '-' && s[1] == '.')) s.insert(s[0] == '-' ? 1 : 0, "0");
    }
    for (uint64_t k = rng.Below(12); k > 0; --k) s += static_cast<char>('0' + rng.Below(10));
    double got, want;
    ParseCell(s.data(), s.data() + s.size(), &got);
    std::from_chars(s.data(), s.data() + s.size(), want);
    ASSERT_EQ(got, want) << s;
  }
}

TEST(Cell, MissingAndNonFinite) {
  double v;
  for (const char* s : {"", "  ", "NA", "n/a", "NaN", "nan", "null", "None", "-", "<NA>"})
    EXPECT_EQ(Kind(s), CellKind::kMissing) << s;
  EXPECT_EQ(Kind("none"), CellKind::kText);  // a category, e.g. fault = none
  EXPECT_EQ(Kind("Na"), CellKind::kText);
  EXPECT_EQ(Kind("inf", &v), CellKind::kNonFinite);
  EXPECT_EQ(v, INFINITY);
  EXPECT_EQ(Kind("-Infinity", &v), CellKind::kNonFinite);
  EXPECT_EQ(v, -INFINITY);
  EXPECT_EQ(Kind("INF"), CellKind::kNonFinite);
}

TEST(Cell, BoolsTimestampsText) {
  double v;
  EXPECT_EQ(Kind("TRUE", &v), CellKind::kBool);
  EXPECT_EQ(v, 1);
  EXPECT_EQ(Kind("false", &v), CellKind::kBool);
  EXPECT_EQ(v, 0);
  EXPECT_EQ(Kind("2015-02-04 17:51:00", &v), CellKind::kTimestamp);
  EXPECT_EQ(v, 1423072260);
  EXPECT_EQ(Kind("2015-02-30 17:51:00"), CellKind::kText);
  EXPECT_EQ(Kind("walking"), CellKind::kText);
}

TEST(Timestamp, FormsAndRanges) {
  double s;
  ASSERT_TRUE(ParseTimestamp("1970-01-01", &s));
  EXPECT_EQ(s, 0);
  ASSERT_TRUE(ParseTimestamp("2024-01-01T00:00:00", &s));
  EXPECT_EQ(s, 1704067200);
  ASSERT_TRUE(ParseTimestamp("2024/02/29 12:30", &s));
  EXPECT_EQ(s, 1704067200 + (31 + 28) * 86400 + 12 * 3600 + 30 * 60);
  ASSERT_TRUE(ParseTimestamp("2013-12-15 07:00:00.250000", &s));
  EXPECT_DOUBLE_EQ(s, 1387090800.25);
  ASSERT_TRUE(ParseTimestamp("2024-01-01T01:00:00+01:00", &s));
  EXPECT_EQ(s, 1704067200);
  ASSERT_TRUE(ParseTimestamp("2024-01-01T00:00:00Z", &s));
  EXPECT_EQ(s, 1704067200);
  ASSERT_TRUE(ParseTimestamp("1969-12-31 23:59:59", &s));
  EXPECT_EQ(s, -1);
  EXPECT_FALSE(ParseTimestamp("2023-02-29", &s));
  EXPECT_FALSE(ParseTimestamp("2024-13-01", &s));
  EXPECT_FALSE(ParseTimestamp("2024-01-01 24:00", &s));
  EXPECT_FALSE(ParseTimestamp("2024-01/01", &s));
  EXPECT_FALSE(ParseTimestamp("2024-01-01 10:00 junk", &s));
}

TEST(Timestamp, CalendarFields) {
  double s;
  ASSERT_TRUE(ParseTimestamp("2015-02-04 17:51:00", &s));  // a Wednesday
  EXPECT_EQ(Weekday(s), 2);
  EXPECT_EQ(SecondsOfDay(s), 17 * 3600 + 51 * 60);
  EXPECT_EQ(FormatTimestamp(s), "2015-02-04 17:51:00");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59");
  EXPECT_EQ(Weekday(-1), 2);  // 1969-12-31 was a Wednesday
}

}  // namespace
}  // namespace emlkit::data
