// The columns `data prepare` needs from its input files, loaded into memory with strict checks:
// numbers where numbers are expected, a timestamp in every row when a timestamp column is named,
// a label in every row. Missing and non-finite numbers are kept as NaN for the cleaning policy
// (the first one's place is remembered for messages).
#ifndef EMLKIT_DATA_TABLE_H_
#define EMLKIT_DATA_TABLE_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/csv_reader.h"

namespace emlkit::data {

struct InputFile {
  std::string path;
  std::string sha256;
  int64_t rows = 0;
  bool test = false;    // an explicit test file
  bool row_id = false;  // its rows carried an unnamed row id (dropped)
  std::string label;    // the class of every row, when labels come from the files ("" = none)
};

struct TableRequest {
  std::vector<std::string> numeric;  // numeric columns (features first, then rule/target ones)
  std::vector<std::string> origin;   // per numeric column: the flag or key that named it
  std::string timestamp;             // "" = none
  std::string label;                 // "" = none
  std::vector<std::string> inputs, tests;
  std::vector<std::string> input_labels, test_labels;  // per file: its class ("" = none)
  std::string group;                                   // group column ("" = none)
  char delimiter = 0;
  FILE* progress = stderr;  // the load bar; nullptr: none
};

struct Table {
  std::vector<std::string> names;          // = request.numeric
  std::vector<std::vector<double>> cols;   // [col][row]; NaN = missing or non-finite
  std::vector<std::string> first_missing;  // per col: "FILE:LINE:COL" of the first NaN, or ""
  std::vector<double> time;                // seconds; empty without a timestamp column
  std::vector<double> label;               // the label value, or a text label's id
  std::vector<std::string> label_texts;    // text labels by id (empty for numeric labels)
  std::vector<int64_t> line;               // source line of each row
  std::vector<int32_t> file;               // index into files of each row
  std::vector<InputFile> files;            // inputs then tests
  // Recordings: boundary[r] = 1 when row r starts a new recording inside its file (a blank line
  // before it, or a change of the group column's value).
  std::vector<uint8_t> boundary;
  std::vector<int32_t> group;            // the group value's id per row (empty without a group)
  std::vector<std::string> group_texts;  // group values by id, as written in the file
  int64_t blank_breaks = 0, group_breaks = 0;
  int64_t rows() const { return static_cast<int64_t>(line.size()); }
};

Result<Table> LoadTable(const TableRequest& req);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_TABLE_H_
