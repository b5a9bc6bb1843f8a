// What `data inspect` learns about one column, one value at a time in file order: cell kinds
// (for type inference), min/max/mean/std, distinct values (for class balance), and, for numeric
// sensor columns, suspected spikes and stuck runs; for timestamp columns the sampling period,
// gaps, duplicates and out-of-order rows. O(1) work and bounded memory per value.
//
// Definitions (also in README.md, `emlkit data inspect`):
//   spike: a value that jumps away from BOTH neighbours, in opposite directions, by more than
//     the spike threshold = 10 x the 95th percentile of the column's absolute steps |x[i]-x[i-1]|
//     (at least the smallest non-zero step), snapped to a histogram bucket edge (within 9 %).
//   stuck run: a value repeated unchanged for more rows than the stuck threshold =
//     max(30, 10 x the 99th percentile of run lengths) rows.
//   gap: a time step longer than 2 x the median step.
//   saturation (clipping): the column's non-zero min or max is held for a run of 3+ rows in a
//     column that otherwise changes on at least 80 % of its steps, or at least 1 % of the values
//     (3+) sit exactly at a non-zero min or max that is a round full-scale value (|v| = 2^k for
//     k >= 1, 2^k - 1 for k >= 7, or 125 x 2^k: +-2/4/8/16 g, 250/500/1000/2000 dps, 1023, 4095).
#ifndef EMLKIT_DATA_COLUMN_PROFILE_H_
#define EMLKIT_DATA_COLUMN_PROFILE_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/cell.h"
#include "data/log_histogram.h"

namespace emlkit::data {

// Where a cell is: line and byte offset of its row (the column is found again on demand).
struct CellPlace {
  int64_t line = 0;
  int64_t row_offset = -1;
  bool known() const { return row_offset >= 0; }
};

struct RunInfo {
  double value = 0;
  int64_t rows = 0;
  int64_t first_line = 0, last_line = 0;
};

// A value at the column's min or max: how often, and its longest run of consecutive rows.
struct ExtremeInfo {
  double value = 0;
  int64_t rows = 0;
  int64_t first_line = 0;
  int64_t longest_run = 0, run_first_line = 0;
  bool at_max = false;
};

struct SpikeInfo {
  double value = 0;
  double jump = 0;  // the smaller of the two jumps
  int64_t line = 0;
};

class TimeProfile {
 public:
  void Add(double t, const CellPlace& at);
  void Finish();

  int64_t count = 0;
  double first = 0, last = 0, min = 0, max = 0;
  double median_step = 0;  // seconds
  int64_t gaps = 0;        // steps > 2 x median
  double gap_threshold = 0;
  double largest_step = 0;
  int64_t largest_step_line = 0;
  int64_t duplicates = 0;                                    // steps == 0
  int64_t out_of_order = 0;                                  // steps < 0
  std::vector<int64_t> duplicate_lines, out_of_order_lines;  // the first few
  std::vector<double> out_of_order_steps;
  bool median_exact = true;

 private:
  static constexpr size_t kMaxDistinctSteps = 1 << 16;
  static constexpr size_t kMaxExamples = 5;
  bool has_prev_ = false;
  double prev_ = 0;
  std::unordered_map<int64_t, int64_t> steps_ms_;  // positive steps in ms -> count
  int64_t last_step_ms_ = -1;
  int64_t* last_step_count_ = nullptr;
  LogHistogram step_hist_;  // fallback when steps are too varied
};

class ColumnProfile {
 public:
  ColumnProfile() = default;
  // One cell in file order. `text` is the cell's text for kText cells.
  void Add(CellKind kind, double value, std::string_view text, const CellPlace& at);
  // Computes thresholds and derived facts; call once after the last Add.
  void Finish();

  // Inferred type: "number", "integer", "boolean", "timestamp", "text" or "empty".
  std::string type;
  std::array<int64_t, kNumCellKinds> kind_counts{};
  std::array<CellPlace, kNumCellKinds> first_of_kind{};
  std::string first_text;  // the first text cell (for messages)
  int64_t rows = 0;
  int64_t missing() const { return kind_counts[static_cast<int>(CellKind::kMissing)]; }
  int64_t non_finite() const { return kind_counts[static_cast<int>(CellKind::kNonFinite)]; }
  // Cells whose kind does not fit the inferred type (e.g. text in a number column).
  int64_t invalid = 0;
  CellKind invalid_kind = CellKind::kMissing;

  // Numbers and booleans.
  int64_t n = 0;
  double min = 0, max = 0, mean = 0, std = 0;  // std: population (ddof = 0)

  // Distinct values while there are at most kMaxDistinct of them.
  static constexpr size_t kMaxDistinct = 32;
  bool distinct_overflow = false;
  std::map<double, int64_t> distinct_numbers;
  std::map<std::string, int64_t, std::less<>> distinct_texts;  // no allocation to look up
  bool label_like = false;  // few distinct integer/boolean/text values: report the balance

  // Sequence analysis (number/integer columns that are not label-like).
  bool analysed = false;
  double spike_threshold = 0;
  int64_t spikes = 0;
  std::vector<SpikeInfo> spike_examples;  // the largest few above the threshold
  int64_t stuck_threshold = 0;
  int64_t stuck_runs = 0;
  std::vector<RunInfo> longest_runs;    // the longest few above the threshold
  std::vector<ExtremeInfo> saturation;  // min and/or max where the sensor looks saturated

  TimeProfile time;

 private:
  void CloseRun();
  void NoteSpike(double value, double jump, int64_t line);
  void NoteRun(const RunInfo& r);

  double shift_ = 0, sum_ = 0, sumsq_ = 0;
  // Sequence state over consecutive numeric cells.
  int seq_ = 0;  // numeric values seen in the current unbroken sequence (capped at 2)
  double a_ = 0, b_ = 0;
  int64_t b_line_ = 0;
  LogHistogram steps_, jumps_, runs_;
  std::vector<SpikeInfo> top_spikes_;  // min-heap on jump
  RunInfo run_;
  ExtremeInfo lo_, hi_;                      // the current min and max
  int64_t steps_seen_ = 0, zero_steps_ = 0;  // consecutive numeric pairs, and those equal
  std::vector<RunInfo> top_runs_;            // min-heap on rows
};

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_COLUMN_PROFILE_H_
