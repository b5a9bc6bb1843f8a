#include "data/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/rng.h"

namespace emlkit::data {
namespace {

struct Table {
  CsvSchema schema;
  std::vector<std::vector<double>> values;  // [col][row]
  std::vector<std::vector<CellKind>> kinds;
  std::vector<std::vector<std::string>> text;  // text cells as strings ("" otherwise)
  std::vector<int64_t> lines;
};

Result<Table> Read(const std::string& csv, CsvOptions opt = {}) {
  EMLKIT_ASSIGN_OR_RETURN(auto r, CsvReader::FromString(csv, "t.csv", opt));
  Table t;
  t.schema = r->schema();
  size_t n = t.schema.names.size();
  t.values.resize(n);
  t.kinds.resize(n);
  t.text.resize(n);
  EMLKIT_RETURN_IF_ERROR(r->ForEachBatch([&](const CsvBatch& b) {
    for (int64_t i = 0; i < b.rows; ++i) {
      t.lines.push_back(b.line[i]);
      for (size_t c = 0; c < n; ++c) {
        t.values[c].push_back(b.columns[c].value[i]);
        t.kinds[c].push_back(b.columns[c].kind[i]);
        t.text[c].push_back(b.columns[c].kind[i] == CellKind::kText
                                ? std::string(b.Text(static_cast<int>(c), i))
                                : "");
      }
    }
    return Status::Ok();
  }));
  return t;
}

std::string Error(const std::string& csv, CsvOptions opt = {}) {
  auto t = Read(csv, opt);
  return t.ok() ? "(no error)" : t.status().message();
}

TEST(CsvReader, HeaderTypesAndValues) {
  auto t = Read("time,temp,label\n2024-01-01 00:00:00,21.5,0\n2024-01-01 00:01:00,,1\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->schema.names, (std::vector<std::string>{"time", "temp", "label"}));
  EXPECT_EQ(t->schema.header_line, 1);
  EXPECT_FALSE(t->schema.row_id);
  EXPECT_EQ(t->kinds[0][1], CellKind::kTimestamp);
  EXPECT_EQ(t->values[0][1] - t->values[0][0], 60);
  EXPECT_EQ(t->values[1][0], 21.5);
  EXPECT_EQ(t->kinds[1][1], CellKind::kMissing);
  EXPECT_EQ(t->values[2][1], 1);
  EXPECT_EQ(t->lines, (std::vector<int64_t>{2, 3}));
}

TEST(CsvReader, HeaderOneShortMeansRowIds) {
  auto t = Read(
      "\"date\",\"T\"\n\"1\",\"2015-02-04 17:51:00\",23.18\n\"2\",\"2015-02-04 17:52:00\",23.15\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->schema.row_id);
  EXPECT_EQ(t->schema.names, (std::vector<std::string>{"date", "T"}));
  EXPECT_EQ(t->kinds[0][0], CellKind::kTimestamp);
  EXPECT_EQ(t->values[1][1], 23.15);
}

TEST(CsvReader, QuotesEscapesEmbeddedNewlinesCrlfBom) {
  auto t = Read(
      "\xEF\xBB\xBFname,note\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x\r\n\r\nlast,y");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->schema.bom);
  EXPECT_EQ(t->schema.names[0], "name");
  ASSERT_EQ(t->text[0].size(), 3u);
  EXPECT_EQ(t->text[0][0], "a,b");
  EXPECT_EQ(t->text[1][0], "say \"hi\"");
  EXPECT_EQ(t->text[0][1], "multi\nline");
  EXPECT_EQ(t->text[0][2], "last");
  EXPECT_EQ(t->lines, (std::vector<int64_t>{2, 3, 6}));
}

TEST(CsvReader, DetectsDelimiterAndMissingHeader) {
  auto t = Read("a;b\n1,5;2\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->schema.delimiter, ';');
  EXPECT_EQ(t->kinds[0][0], CellKind::kText);  // "1,5" is not a number with ';' delimiters
  auto n = Read("1\t2\n3\t4\n");
  ASSERT_TRUE(n.ok());
  EXPECT_FALSE(n->schema.has_header);
  EXPECT_EQ(n->schema.names, (std::vector<std::string>{"column_1", "column_2"}));
  EXPECT_EQ(n->values[1], (std::vector<double>{2, 4}));
}

TEST(CsvReader, ErrorsNameLineAndColumn) {
  EXPECT_EQ(Error(""), "t.csv: the file is empty; expected a header line and data rows");
  EXPECT_EQ(Error("\n\n"), "t.csv: the file is empty; expected a header line and data rows");
  EXPECT_NE(Error("a,b\n").find("t.csv:1: the file has a header but no data rows"),
            std::string::npos);
  EXPECT_NE(Error("a,b\n1,2\n3,4,5\n").find("t.csv:3:5: row has 3 fields but the header names 2"),
            std::string::npos)
      << Error("a,b\n1,2\n3,4,5\n");
  EXPECT_NE(Error("a,b\n1,2\n3\n").find("t.csv:3:2: row has 1 field but"), std::string::npos)
      << Error("a,b\n1,2\n3\n");
  EXPECT_NE(Error("a,b\n1,2\n3,\"4\n5,6\n").find("t.csv:3:3: unterminated quote"),
            std::string::npos)
      << Error("a,b\n1,2\n3,\"4\n5,6\n");
  EXPECT_NE(Error("a,b\n1,2\n3,4\"x\n").find("t.csv:3:4: quote inside an unquoted field"),
            std::string::npos);
  EXPECT_NE(
      Error(std::string("a,b\n1,2\n3,\x01\x00z\n", 13)).find("t.csv:3:3: byte 0x01 is not text"),
      std::string::npos)
      << Error(std::string("a,b\n1,2\n3,\x01\x00z\n", 13));
  EXPECT_NE(Error("a,b\n1,2\n3,\xff\xfe\n").find("t.csv:3:3: text is not valid UTF-8"),
            std::string::npos);
  EXPECT_NE(Error("\xff\xfe"
                  "a\0,\0b\0",
                  CsvOptions{})
                .find("UTF-16"),
            std::string::npos);
  EXPECT_NE(Error("a,b\n1,2\n\"3\"x,4\n").find("t.csv:3:4: unexpected 'x' after a closing quote"),
            std::string::npos);
}

// The parallel path (tiny blocks, several threads) must give exactly what one thread gives,
// including records that straddle blocks and quoted fields with newlines.
TEST(CsvReader, ParallelMatchesSequential) {
  Rng rng(7);
  std::string csv = "t,x,s\n";
  for (int i = 0; i < 3000; ++i) {
    csv += "2024-01-01 00:" + std::to_string(10 + i / 60 % 50) + ":" + std::to_string(10 + i % 50) +
           "," + std::to_string(rng.Uniform(-5, 5)) + ",";
    csv += rng.Bernoulli(0.1) ? "\"q,\n\"\"x\"\"\"" : "plain";
    csv += rng.Bernoulli(0.05) ? "\r\n" : "\n";
  }
  CsvOptions seq;
  seq.threads = 1;
  CsvOptions par;
  par.threads = 3;
  par.block_bytes = 1024;
  auto a = Read(csv, seq);
  auto b = Read(csv, par);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->lines.size(), 3000u);
  EXPECT_EQ(a->lines, b->lines);
  EXPECT_EQ(a->values[1], b->values[1]);
  EXPECT_EQ(a->text[2], b->text[2]);
  // An error deep in the file is reported at the same place by both.
  std::string bad = csv + "2024-01-01 00:00:00,1\n";
  EXPECT_EQ(Error(bad, seq), Error(bad, par));
  EXPECT_NE(Error(bad, par).find("row has 2 fields"), std::string::npos);
}

TEST(CsvReader, RunawayQuoteIsBounded) {
  CsvOptions opt;
  opt.threads = 2;
  opt.block_bytes = 1024;
  opt.max_record_bytes = 4096;
  std::string csv = "a,b\n1,2\n3,\"never closed\n";
  for (int i = 0; i < 2000; ++i) csv += "5,6\n";
  std::string e = Error(csv, opt);
  EXPECT_NE(e.find("t.csv:3:3: unterminated quote"), std::string::npos) << e;
}

TEST(CsvReader, SelectSkipsConversion) {
  auto r = CsvReader::FromString("a,b\n1,x\n2,y\n", "t.csv");
  ASSERT_TRUE(r.ok());
  (*r)->Select({0});
  int64_t rows = 0;
  ASSERT_TRUE((*r)->ForEachBatch([&](const CsvBatch& b) {
                    EXPECT_TRUE(b.columns[1].value.empty());
                    EXPECT_EQ(b.columns[0].value[1], 2);
                    EXPECT_EQ((*r)->Where(b, 1, 1), "t.csv:3:3");
                    rows += b.rows;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(rows, 2);
}

}  // namespace
}  // namespace emlkit::data
