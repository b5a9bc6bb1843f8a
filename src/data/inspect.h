// `emlkit data inspect`: one streaming pass over a CSV file that reports each column's inferred
// type, counts, min/max/mean/std, class balance for label-like columns, the sampling period of
// timestamp columns (median, gaps, duplicates, out-of-order rows), suspected spikes and stuck
// runs. Problems in the data are reported, not fatal; only a file that cannot be read as a
// table (ragged rows, an unterminated quote, binary bytes, no rows) is an error (exit code 2).
#ifndef EMLKIT_DATA_INSPECT_H_
#define EMLKIT_DATA_INSPECT_H_

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/column_profile.h"
#include "data/csv_reader.h"

namespace emlkit::data {

struct InspectReport {
  CsvSchema schema;
  int64_t rows = 0;
  std::vector<ColumnProfile> columns;
  std::vector<std::string> invalid_places;  // "FILE:LINE:COL" of each column's first invalid cell
  double seconds = 0;                       // wall time of the pass
  // One line per problem found, for people ("Light: 3 suspected spikes ...").
  std::vector<std::string> Problems() const;
  std::string ToText() const;
  std::string ToJson() const;  // one JSON object, see README.md
};

// Reads the whole file. `progress` shows a bar on a terminal (stderr).
Result<InspectReport> Inspect(const std::string& path, const CsvOptions& options = {},
                              bool progress = true);
// The same over bytes in memory (tests, fuzzing).
Result<InspectReport> InspectString(std::string_view bytes, const std::string& name,
                                    const CsvOptions& options = {});

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_INSPECT_H_
