#include "collect/recorder.h"

#include <gtest/gtest.h>

#include <sstream>

namespace emlkit::collect {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Fields after the timestamp.
std::string Tail(const std::string& row) { return row.substr(row.find(',') + 1); }

TEST(LineAssemblerTest, SplitsKeepsPartialAndDropsFirstWhenAsked) {
  LineAssembler a;
  std::vector<ArrivedLine> out;
  a.Feed("1,2\n3,", 6, 1.0, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "1,2");
  a.Feed("4\n", 2, 2.0, &out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].text, "3,4");
  EXPECT_EQ(out[1].t, 2.0);
  a.Feed("5,", 2, 3.0, &out);
  a.Reset(true);  // port came back mid-stream: the next line may be a fragment
  a.Feed("7\n8,9\n", 6, 4.0, &out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].text, "8,9");
  EXPECT_EQ(a.dropped_partial_lines(), 1);
}

TEST(RecorderTest, HeaderNamesColumnsAndRowsCarryRecordingAndLabel) {
  RecorderOptions o;
  o.label = "punch";
  Recorder r(o);
  std::string csv;
  r.OnLines({{"aX,aY", 1.0},
             {"0.5,-1", 1.0},
             {"junk here", 1.0},
             {"1,2,3", 1.0},
             {"aX,aY", 1.0},
             {"0.25,", 1.1}},
            0.0, &csv);
  EXPECT_EQ(r.HeaderLine(), "timestamp,recording,label,aX,aY\n");
  std::vector<std::string> rows = Lines(csv);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Tail(rows[0]), "1,punch,0.5,-1");
  EXPECT_EQ(Tail(rows[1]), "1,punch,0.25,");  // missing value: empty field
  EXPECT_EQ(r.samples(), 2);
  EXPECT_EQ(r.malformed(), 2);  // "junk here" and the 3-value line
  EXPECT_EQ(r.header_lines(), 2);
}

TEST(RecorderTest, DefaultNamesAndGivenColumns) {
  Recorder a({});
  std::string csv;
  a.OnLines({{"1 2 3", 0.0}}, 0.0, &csv);
  EXPECT_EQ(a.HeaderLine(), "timestamp,recording,value0,value1,value2\n");
  RecorderOptions ob;
  ob.columns = {"x", "y"};
  Recorder b(ob);
  b.OnLines({{"p,q", 0.0}, {"1,2", 0.0}}, 0.0, &csv);
  EXPECT_EQ(b.HeaderLine(), "timestamp,recording,x,y\n");
  EXPECT_EQ(b.malformed(), 1);  // a header that is not the given names
}

TEST(RecorderTest, SegmentsBySamplesAndContinuingNumbers) {
  RecorderOptions o;
  o.segment_samples = 3;
  o.first_recording = 5;
  Recorder r(o);
  std::string csv;
  for (int i = 0; i < 7; ++i) r.OnLines({{std::to_string(i), i * 0.1}}, 0.0, &csv);
  std::vector<std::string> rows = Lines(csv);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(Tail(rows[0]), "5,0");
  EXPECT_EQ(Tail(rows[2]), "5,2");
  EXPECT_EQ(Tail(rows[3]), "6,3");
  EXPECT_EQ(Tail(rows[6]), "7,6");
  EXPECT_EQ(r.recordings(), 3);
  r.NewRecording();
  r.OnLines({{"7", 0.8}}, 0.0, &csv);
  EXPECT_EQ(r.recording(), 8);
}

TEST(RecorderTest, LinesOfOneReadAreSpacedByThePeriod) {
  Recorder r({});
  std::string csv;
  for (int i = 0; i < 10; ++i) r.OnLines({{"1", i * 0.02}}, 0.0, &csv);
  csv.clear();
  // Three samples that arrived in one read at t = 0.26: spaced back by 20 ms.
  r.OnLines({{"1", 0.26}, {"2", 0.26}, {"3", 0.26}}, 0.0, &csv);
  std::vector<std::string> rows = Lines(csv);
  ASSERT_EQ(rows.size(), 3u);
  // Local time of 0.22 / 0.24 / 0.26 s after the epoch: only the fraction is checked.
  EXPECT_NE(rows[0].find(".220000,"), std::string::npos) << rows[0];
  EXPECT_NE(rows[1].find(".240000,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[2].find(".260000,"), std::string::npos) << rows[2];
}

}  // namespace
}  // namespace emlkit::collect
