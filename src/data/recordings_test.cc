#include "data/recordings.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/fs.h"

namespace emlkit::data {
namespace {

TEST(Recordings, RowsOrDuration) {
  int64_t rows = -1;
  double s = -1;
  ASSERT_TRUE(ParseRowsOrDuration("119", "--window", &rows, &s).ok());
  EXPECT_EQ(rows, 119);
  EXPECT_EQ(s, 0);
  ASSERT_TRUE(ParseRowsOrDuration("250ms", "--stride", &rows, &s).ok());
  EXPECT_EQ(rows, 0);
  EXPECT_DOUBLE_EQ(s, 0.25);
  ASSERT_TRUE(ParseRowsOrDuration("2min", "--segment", &rows, &s).ok());
  EXPECT_DOUBLE_EQ(s, 120);
  Status bad = ParseRowsOrDuration("1 parsec", "--window", &rows, &s);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("--window '1 parsec'"), std::string::npos) << bad.message();
  EXPECT_FALSE(ParseRowsOrDuration("1.5", "--window", &rows, &s).ok());  // rows are whole
  EXPECT_FALSE(ParseRowsOrDuration("0s", "--window", &rows, &s).ok());
  double hz = 0;
  ASSERT_TRUE(ParseRate("119Hz", "--rate", &hz).ok());
  EXPECT_EQ(hz, 119);
  ASSERT_TRUE(ParseRate("1kHz", "--rate", &hz).ok());
  EXPECT_EQ(hz, 1000);
  EXPECT_FALSE(ParseRate("fast", "--rate", &hz).ok());
}

TEST(Recordings, InputLabelsAndGlobs) {
  EXPECT_EQ(SplitInputLabel("punch.csv:punch").label, "punch");
  EXPECT_EQ(SplitInputLabel("punch.csv:punch").path, "punch.csv");
  EXPECT_EQ(SplitInputLabel("punch.csv").label, "");
  EXPECT_EQ(SplitInputLabel("a:b/c.csv").label, "");  // a ':' inside the path
  ScratchDir dir("rec");
  std::filesystem::create_directories(dir.Path("wave"));
  for (const char* f : {"wave/b.2.csv", "wave/a.csv"})
    ASSERT_TRUE(WriteFileAtomic(dir.Path(f), "x\n1\n").ok());
  auto got = ExpandInputs({dir.Path("wave/*.csv")}, "filename", "--input");
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].label, "a");  // sorted; the name up to its first '.'
  EXPECT_EQ((*got)[1].label, "b");
  got = ExpandInputs({dir.Path("wave/*.csv")}, "dirname", "--input");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)[0].label, "wave");
  got = ExpandInputs({dir.Path("wave/*.csv") + ":w"}, "", "--input");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)[1].label, "w");
  auto none = ExpandInputs({dir.Path("nothing/*.csv")}, "", "--input");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no file matches"), std::string::npos);
}

TEST(Recordings, GroupSplitIsStratifiedAndGivesEverySplitAGroup) {
  // 10 groups of class 0, 3 of class 1.
  std::vector<int32_t> label(13, 0);
  for (int g = 10; g < 13; ++g) label[g] = 1;
  std::vector<int> split = SplitGroups(label, 2, 0.15, 0.15, 7);
  int count[2][3] = {};
  for (size_t g = 0; g < split.size(); ++g) ++count[label[g]][split[g]];
  EXPECT_EQ(count[0][1], 2);  // round(1.5) = 2
  EXPECT_EQ(count[0][2], 2);
  EXPECT_EQ(count[0][0], 6);
  EXPECT_EQ(count[1][0], 1);  // 3 groups: one per split
  EXPECT_EQ(count[1][1], 1);
  EXPECT_EQ(count[1][2], 1);
  EXPECT_EQ(split, SplitGroups(label, 2, 0.15, 0.15, 7));  // seeded
  // A single group of a class stays in train.
  EXPECT_EQ(SplitGroups({0}, 1, 0.15, 0.15, 1), std::vector<int>{0});
}

}  // namespace
}  // namespace emlkit::data
