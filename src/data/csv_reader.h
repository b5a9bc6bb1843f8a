// CsvReader: streams a CSV sensor log as batches of typed cells, parsing on all cores.
//
// Open() reads the header (auto-detected; a UTF-8 byte order mark is skipped; the delimiter is
// detected among , ; TAB | unless given). A header one name short of the data rows, as R's
// write.table makes it (e.g. UCI occupancy files), marks the first field of every row as a row
// label: it is recognised and dropped (schema().row_id). ForEachBatch() then delivers the data
// rows in file order, a batch at a time, column-major, each cell classified and converted by
// ParseCell (cell.h).
//
// Streaming: the file is read in blocks (CsvOptions::block_bytes); each block, cut at the last
// record boundary (quote-aware), is parsed on a worker thread into a batch; batches reach the
// callback in order on the calling thread. Memory stays bounded by the blocks in flight
// (about 2 per thread), whatever the file size. No allocation per field.
//
// Errors (Status kInvalidArgument / kNotFound / kIOError, exit code 2) name the file, line and
// column: "FILE:LINE:COL: <what> ...; <what to do>". The first error in file order wins.
//
//   EMLKIT_ASSIGN_OR_RETURN(auto reader, CsvReader::Open("log.csv"));
//   EMLKIT_RETURN_IF_ERROR(reader->ForEachBatch([&](const CsvBatch& b) {
//     for (int64_t r = 0; r < b.rows; ++r) use(b.columns[0].value[r]);
//     return Status::Ok();
//   }));
#ifndef EMLKIT_DATA_CSV_READER_H_
#define EMLKIT_DATA_CSV_READER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/cell.h"

namespace emlkit::data {

enum class HeaderMode { kAuto, kYes, kNo };

struct CsvOptions {
  char delimiter = 0;                     // 0: detect from the first line (, ; TAB |)
  HeaderMode header = HeaderMode::kAuto;  // auto: a first row of all numbers is data
  int threads = 0;                        // parse threads; 0: all cores
  size_t block_bytes = 4u << 20;          // bytes per parse job
  size_t max_record_bytes = 64u << 20;    // a longer record is an error (runaway quote)
};

struct CsvSchema {
  std::string path;                // as given; used in messages
  std::vector<std::string> names;  // column names (generated "column_N" without a header)
  char delimiter = ',';
  bool has_header = true;
  bool row_id = false;      // rows carry one unnamed leading field that is dropped
  int64_t header_line = 0;  // 1-based line of the header; 0 if none
  bool bom = false;         // a UTF-8 byte order mark was skipped
  int64_t file_bytes = 0;   // size of the input

  // Index of the column named `name`, or -1. Exact match first, then case-insensitive.
  int Find(std::string_view name) const;
};

// One column of a batch. value[r] holds the cell's number (see ParseCell); for text cells it
// holds an index into CsvBatch::text_spans.
struct CsvColumnData {
  std::vector<double> value;
  std::vector<CellKind> kind;
};

struct CsvBatch {
  int64_t first_row = 0;  // 0-based index of the first row among the file's data rows
  int64_t rows = 0;
  std::vector<int64_t> line;           // 1-based physical line where each row starts
  std::vector<int64_t> offset;         // byte offset where each row starts (for FieldColumn)
  std::vector<CsvColumnData> columns;  // one per schema column; empty if not selected
  std::string text_arena;              // bytes of the text cells
  std::vector<std::pair<uint32_t, uint32_t>> text_spans;  // (offset, length) in text_arena
  int64_t end_offset = 0;  // byte offset just past this batch's last row

  std::string_view Text(int col, int64_t row) const {
    const auto& s = text_spans[static_cast<size_t>(columns[col].value[row])];
    return std::string_view(text_arena).substr(s.first, s.second);
  }
};

class CsvReader {
 public:
  // Opens a file and reads its header. NotFound if missing; IOError if unreadable.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 const CsvOptions& options = {});
  // Reads from memory (tests, fuzzing); `name` stands for the file in messages. The bytes are
  // copied.
  static Result<std::unique_ptr<CsvReader>> FromString(std::string_view bytes,
                                                       const std::string& name,
                                                       const CsvOptions& options = {});
  ~CsvReader();

  const CsvSchema& schema() const { return schema_; }

  // Only these columns are converted (the others are still checked for CSV structure). Default:
  // all. Indices must come from schema().
  void Select(const std::vector<int>& columns);

  // Streams every data row once, in order. Stops at the first error (the callback's or the
  // file's). Can be called once.
  Status ForEachBatch(const std::function<Status(const CsvBatch&)>& fn);

  // 1-based byte column of field `field` (0-based, row-id field excluded) of the row starting at
  // byte `row_offset`; for messages about a cell found bad after parsing. 0 if unknown.
  int64_t FieldColumn(int64_t row_offset, int field) const;

  // "FILE:LINE:COL" for a cell of a batch.
  std::string Where(const CsvBatch& b, int64_t row, int col) const;

 private:
  struct Impl;
  explicit CsvReader(std::unique_ptr<Impl> impl);
  Status ReadHeader();
  std::unique_ptr<Impl> impl_;
  CsvSchema schema_;
};

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_CSV_READER_H_
