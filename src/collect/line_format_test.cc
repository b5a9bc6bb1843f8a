#include "collect/line_format.h"

#include <gtest/gtest.h>

#include <cmath>

namespace emlkit::collect {
namespace {

using Kind = ParsedLine::Kind;

TEST(LineFormatTest, NumbersWithAnySeparator) {
  for (const char* line :
       {"0.12,-0.98,9.81", "0.12\t-0.98\t9.81\r", "  0.12  -0.98 9.81 ", "0.12, -0.98, +9.81"}) {
    ParsedLine p = ParseLine(line);
    ASSERT_EQ(p.kind, Kind::kValues) << line;
    ASSERT_EQ(p.values.size(), 3u) << line;
    EXPECT_DOUBLE_EQ(p.values[0], 0.12);
    EXPECT_DOUBLE_EQ(p.values[1], -0.98);
    EXPECT_DOUBLE_EQ(p.values[2], 9.81);
  }
}

TEST(LineFormatTest, EmptyFieldsAndNanAreMissing) {
  ParsedLine p = ParseLine("1,,3,nan");
  ASSERT_EQ(p.kind, Kind::kValues);
  ASSERT_EQ(p.values.size(), 4u);
  EXPECT_TRUE(std::isnan(p.values[1]));
  EXPECT_TRUE(std::isnan(p.values[3]));
  EXPECT_EQ(ParseLine(",,").kind, Kind::kMalformed);  // no value at all
}

TEST(LineFormatTest, HeaderEmptyAndMalformed) {
  ParsedLine h = ParseLine("aX,aY,aZ,temperature_c");
  ASSERT_EQ(h.kind, Kind::kHeader);
  EXPECT_EQ(h.names, (std::vector<std::string>{"aX", "aY", "aZ", "temperature_c"}));
  EXPECT_EQ(ParseLine("").kind, Kind::kEmpty);
  EXPECT_EQ(ParseLine(" \r").kind, Kind::kEmpty);
  EXPECT_EQ(ParseLine("x=1 y=2").kind, Kind::kMalformed);
  EXPECT_EQ(ParseLine("1,2,abc").kind, Kind::kMalformed);
  EXPECT_EQ(ParseLine("1,2\x01,3").kind, Kind::kMalformed);  // line noise
  EXPECT_EQ(ParseLine("1.2.3,4").kind, Kind::kMalformed);
  EXPECT_EQ(ParseLine("inf,1").kind, Kind::kMalformed);
}

TEST(LineFormatTest, PrintableHidesControlBytes) {
  EXPECT_EQ(Printable("a\x01\xffz"), "a??z");
  EXPECT_EQ(Printable("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace emlkit::collect
