// Every bad input the issue lists: exit code 2, a message naming the file, line and column and
// what to do, and no output folder (nor its temporary sibling) left behind.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/fs.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;
using testing::WriteText;

class BadInput : public ::testing::Test {
 protected:
  // Runs prepare on `csv` (written to in.csv) and returns stderr; checks exit 2 and no output.
  std::string Prepare(const std::string& csv, std::vector<std::string> extra = {}) {
    WriteText(dir_.Path("in.csv"), csv);
    std::vector<std::string> args = {"data",       "prepare", "--input", dir_.Path("in.csv"),
                                     "--features", "a,b",     "--label", "y",
                                     "--out",      Out()};
    args.insert(args.end(), extra.begin(), extra.end());
    return Expect2(args);
  }
  std::string Expect2(const std::vector<std::string>& args) {
    auto r = RunEmlkit(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.rfind("emlkit: error: ", 0), 0u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    NoOutput();
    return r.err;
  }
  void NoOutput() {
    for (const auto& e : std::filesystem::directory_iterator(dir_.path()))
      EXPECT_EQ(e.path().filename().string().rfind("out", 0), std::string::npos)
          << "left behind: " << e.path();
  }
  std::string Out() { return dir_.Path("out"); }
  std::string In() { return dir_.Path("in.csv"); }
  ScratchDir dir_{"bad"};
};

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST_F(BadInput, RaggedRow) {
  std::string e = Prepare("a,b,y\n1,2,0\n3,4,1,9\n5,6,0\n");
  EXPECT_HAS(e, In() + ":3:7: row has 4 fields but the header names 3 columns");
}

TEST_F(BadInput, UnterminatedQuote) {
  std::string e = Prepare("a,b,y\n1,2,0\n3,\"4,1\n5,6,0\n");
  EXPECT_HAS(e, In() + ":3:3: unterminated quote");
}

TEST_F(BadInput, TextInANumberColumn) {
  std::string e = Prepare("a,b,y\n1,2,0\n3,warm,1\n");
  EXPECT_HAS(e, In() + ":3:3: column 'b' holds 'warm', not a number");
  EXPECT_HAS(e, "leave the column out of --features");
}

TEST_F(BadInput, EmptyFile) { EXPECT_HAS(Prepare(""), In() + ": the file is empty"); }

TEST_F(BadInput, HeaderOnly) {
  EXPECT_HAS(Prepare("a,b,y\n"), In() + ":1: the file has a header but no data rows");
}

// A UTF-8 byte order mark and CRLF line ends are fine: the file loads, and positions in later
// messages still count from the line start.
TEST_F(BadInput, BomAndCrlfAreAccepted) {
  WriteText(In(),
            "\xEF\xBB\xBF"
            "a,b,y\r\n1,2,0\r\n3,4,1\r\n5,6,0\r\n7,8,1\r\n");
  auto r = RunEmlkit({"data", "prepare", "--input", In(), "--features", "a,b", "--label", "y",
                      "--val-frac", "0", "--test-frac", "0", "--out", Out()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(testing::PathExists(Out() + "/X_train.npy"));
  std::filesystem::remove_all(Out());
  std::string e = Prepare(
      "\xEF\xBB\xBF"
      "a,b,y\r\n1,2,0\r\n3,x,1\r\n");
  EXPECT_HAS(e, In() + ":3:3: column 'b' holds 'x'");
}

TEST_F(BadInput, NanAndInfStrings) {
  std::string e = Prepare("a,b,y\n1,2,0\n3,NaN,1\n4,inf,0\n");
  EXPECT_HAS(e, In() + ":3:3: missing value in column 'b'");
  EXPECT_HAS(e, "--missing drop");
  e = Prepare("a,b,y\n1,2,0\n3,-inf,1\n");
  EXPECT_HAS(e, In() + ":3:3: infinite value in column 'b'");
  // With a policy they are handled: hold repeats the last value.
  WriteText(In(), "a,b,y\n1,2,0\n3,NaN,1\n4,inf,0\n5,6,1\n");
  auto r = RunEmlkit({"data", "prepare", "--input", In(), "--features", "a,b", "--label", "y",
                      "--missing", "hold", "--val-frac", "0", "--test-frac", "0", "--out", Out()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(BadInput, DuplicateTimestamps) {
  std::string e = Prepare("t,a,b,y\n2024-01-01 00:00:00,1,2,0\n2024-01-01 00:00:00,3,4,1\n",
                          {"--timestamp", "t"});
  EXPECT_HAS(e, In() + ":3: duplicate timestamp 2024-01-01 00:00:00");
  EXPECT_HAS(e, "--duplicates drop");
}

TEST_F(BadInput, OutOfOrderTimestamps) {
  std::string e = Prepare("t,a,b,y\n2024-01-01 00:01:00,1,2,0\n2024-01-01 00:00:00,3,4,1\n",
                          {"--timestamp", "t"});
  EXPECT_HAS(e, In() + ":3: the timestamp 2024-01-01 00:00:00 is earlier than the row before");
  EXPECT_HAS(e, "--order segment");
}

TEST_F(BadInput, BinaryGarbage) {
  std::string bin = "a,b,y\n1,2,0\n";
  for (int i = 0; i < 64; ++i) bin += static_cast<char>((i * 37) & 0xff);
  std::string e = Prepare(bin);
  EXPECT_HAS(e, In() + ":3:1: byte 0x00 is not text; is this a CSV file?");
  // inspect refuses it the same way
  auto r = RunEmlkit({"data", "inspect", In()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_HAS(r.err, In() + ":3:1: byte 0x00 is not text");
}

TEST_F(BadInput, MissingColumnNamedInConfig) {
  WriteText(In(), "a,b,y\n1,2,0\n3,4,1\n");
  WriteText(dir_.Path("cfg.toml"),
            "[data]\ninput = [\"in.csv\"]\nfeatures = [\"a\", \"c\"]\n"
            "label = \"y\"\n");
  std::string e = Expect2({"data", "prepare", "--config", dir_.Path("cfg.toml"), "--out", Out()});
  EXPECT_HAS(e, In() + ": no column 'c' (named by " + dir_.Path("cfg.toml") +
                    ":3:12 (data.features)); the columns are: a, b, y");
}

TEST_F(BadInput, MissingOrUnreadableFile) {
  std::string e = Expect2({"data", "prepare", "--input", dir_.Path("nope.csv"), "--features", "a",
                           "--label", "y", "--out", Out()});
  EXPECT_HAS(e, dir_.Path("nope.csv") + ": no such file (check the path)");
  std::filesystem::create_directory(dir_.Path("folder.csv"));
  e = Expect2({"data", "inspect", dir_.Path("folder.csv")});
  EXPECT_HAS(e, dir_.Path("folder.csv") + ": is a folder, expected a CSV file");
  std::filesystem::remove(dir_.Path("folder.csv"));
}

TEST_F(BadInput, ConfigUnknownKeyAndWrongType) {
  WriteText(In(), "a,b,y\n1,2,0\n3,4,1\n");
  WriteText(dir_.Path("cfg.toml"),
            "[data]\ninput = [\"in.csv\"]\nfeatures = [\"a\"]\n"
            "label = \"y\"\n\n[data.window]\nsise = 10\n");
  std::string e = Expect2({"data", "prepare", "--config", dir_.Path("cfg.toml"), "--out", Out()});
  EXPECT_HAS(e, dir_.Path("cfg.toml") +
                    ":7:8: unknown key 'sise' in [data.window]; known keys: "
                    "size, stride");
  WriteText(dir_.Path("cfg.toml"),
            "[data]\ninput = [\"in.csv\"]\nfeatures = \"a\"\n"
            "label = \"y\"\n[data.split]\nval = \"ten percent\"\n");
  e = Expect2({"data", "prepare", "--config", dir_.Path("cfg.toml"), "--out", Out()});
  EXPECT_HAS(e,
             dir_.Path("cfg.toml") + ":6:7: [data.split] 'val' must be a number, found a string");
  WriteText(dir_.Path("cfg.toml"), "[data]\ninput = [\"in.csv\"]\nfeatures = [1, 2]\n");
  e = Expect2({"data", "prepare", "--config", dir_.Path("cfg.toml"), "--out", Out()});
  EXPECT_HAS(e, dir_.Path("cfg.toml") + ":3:13: [data] 'features' must hold only strings");
}

TEST_F(BadInput, BadRuleAndBadFlagValues) {
  WriteText(In(), "a,b,y\n1,2,0\n3,4,1\n");
  std::string e = Expect2({"data", "prepare", "--input", In(), "--features", "a", "--label-rule",
                           "any(motoin > 0, 5)", "--out", Out()});
  EXPECT_HAS(e, "--label-rule:1:5: unknown column 'motoin'");
  e = Expect2({"data", "prepare", "--input", In(), "--features", "a", "--label", "y", "--missing",
               "guess", "--out", Out()});
  EXPECT_HAS(e, "--missing must be one of error, drop, interpolate, hold, got 'guess'");
}

}  // namespace
}  // namespace emlkit
