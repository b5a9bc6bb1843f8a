// From loaded rows to clean segments: a segment is a run of rows of one file, in time order,
// that windows may span. Files are never joined; a segment also ends where time goes back
// (order = segment) or jumps by more than max_gap, and at every recording boundary: a blank
// line, a change of the group column, every `RecordingCuts::rows` rows or `seconds` seconds.
// Cleaning (row_steps.h) runs per segment.
#ifndef EMLKIT_DATA_SEGMENTS_H_
#define EMLKIT_DATA_SEGMENTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/pipeline.h"
#include "data/table.h"

namespace emlkit::data {

struct Segment {
  int32_t file = 0;
  int32_t group = -1;  // the group column's value id (Table::group_texts), -1 without one
  bool test = false;
  std::vector<int64_t> rows;              // table rows kept, in order
  std::vector<std::vector<double>> cols;  // cleaned feature values [feature][i]
  std::vector<double> time;  // time of each row (empty without timestamps); with resampling
                             // the grid time, and rows[i] the last source row at or before it
};

struct CleanReport {
  int64_t duplicates_dropped = 0, sorted_files = 0, time_breaks = 0, gap_breaks = 0;
  int64_t clipped = 0, stuck_values = 0, spikes_replaced = 0, missing_filled = 0;
  int64_t rows_dropped = 0;
  int64_t resampled_rows = 0;      // grid rows made by resampling
  int64_t recording_cuts = 0;      // segments started by --segment-rows / --segment
  std::vector<std::string> notes;  // for people
};

// Orders, segments and cleans the table's rows. The first `nfeatures` table columns are the
// features `spec` cleans. Errors (order, duplicates, missing under the error policies) name
// FILE:LINE and the option that changes the behaviour.
struct RecordingCuts {
  int64_t rows = 0;    // > 0: a new segment every this many rows
  double seconds = 0;  // > 0 (with timestamps): a new segment once this much time has passed
};

Result<std::vector<Segment>> BuildSegments(const Table& table, int nfeatures,
                                           const PipelineSpec& spec, CleanReport* report,
                                           const RecordingCuts& cuts = {});

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_SEGMENTS_H_
