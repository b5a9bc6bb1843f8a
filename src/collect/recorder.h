// Recorder: lines from a board -> CSV rows of a recording, with no port and no file involved (the
// port loop in collect.h feeds it; tests feed it directly).
//
// Columns: the first sample line fixes how many values a sample has (or --columns does); a header
// line with that many names, seen before the first sample, names them (else value0, value1, ...).
// Later lines with another count, or that are not numbers, are counted as malformed and skipped;
// a header line repeated mid-stream (the board reset and printed it again) is skipped silently.
// Rows: `timestamp` (local wall-clock time, microseconds; lines that arrived in one read are
// spaced by the detected period so time always moves forward), `recording` (one number per run
// or --segment), `label` (when given), then the values; a missing value is an empty field.
#ifndef EMLKIT_COLLECT_RECORDER_H_
#define EMLKIT_COLLECT_RECORDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collect/rate_estimator.h"
#include "common/status.h"

namespace emlkit::collect {

struct RecorderOptions {
  std::string label;                 // empty: no label column
  std::vector<std::string> columns;  // empty: from the header line or value0..
  int64_t segment_samples = 0;       // > 0: a new recording every this many samples
  double segment_seconds = 0;        // > 0: a new recording every this many seconds
  int64_t first_recording = 1;
};

// One line as it arrived: its text (without the newline) and the monotonic arrival time of the
// read that completed it.
struct ArrivedLine {
  std::string text;
  double t = 0;
};

// Splits a byte stream into lines. A partial line waits for its end; Reset() drops it (the port
// went away mid-line). `drop_first` skips everything up to the first newline (the line may have
// begun before we listened).
class LineAssembler {
 public:
  void Feed(const char* data, size_t size, double t, std::vector<ArrivedLine>* out);
  void Reset(bool drop_first);
  bool dropping() const { return drop_first_; }
  int64_t dropped_partial_lines() const { return dropped_; }

 private:
  std::string pending_;
  bool drop_first_ = false;
  int64_t dropped_ = 0;
};

class Recorder {
 public:
  explicit Recorder(RecorderOptions options);

  // The lines of one read (same arrival time `t`, monotonic seconds) -> CSV rows appended to
  // `csv` (each ending in '\n'). `wall_offset` turns monotonic into wall-clock seconds (local).
  void OnLines(const std::vector<ArrivedLine>& lines, double wall_offset, std::string* csv);
  // The port went away and came back: the next sample starts a new stretch for the rate.
  void OnReconnect() { rate_.Break(); }
  // Starts a new recording with the next sample (--segment enter).
  void NewRecording();

  bool has_columns() const { return !names_.empty(); }
  // The CSV header line (with '\n'); valid once has_columns().
  std::string HeaderLine() const;
  const std::vector<std::string>& names() const { return names_; }

  int64_t samples() const { return samples_; }
  int64_t malformed() const { return malformed_; }
  int64_t header_lines() const { return header_lines_; }
  const std::vector<std::string>& malformed_examples() const { return examples_; }
  int64_t recording() const { return recording_; }
  int64_t recordings() const { return recordings_; }
  const RateEstimator& rate() const { return rate_; }
  // Bytes of the lines seen before any sample (for "no parsable line" messages).
  const std::string& first_text() const { return first_text_; }

 private:
  void Sample(const std::vector<double>& values, double t_mono, double t_row, double wall_offset,
              std::string* csv);
  RecorderOptions o_;
  std::vector<std::string> names_;
  std::vector<std::string> header_seen_;
  RateEstimator rate_;
  int64_t samples_ = 0, malformed_ = 0, header_lines_ = 0;
  std::vector<std::string> examples_;
  int64_t recording_ = 0, recordings_ = 0, in_recording_ = 0;
  double recording_start_ = 0;
  bool new_recording_ = true;
  double last_row_t_ = -1e300;
  std::string first_text_;
};

// "2026-12-05 14:03:07.123456" for wall-clock seconds (local time).
std::string FormatLocalMicros(double wall_seconds);

}  // namespace emlkit::collect

#endif  // EMLKIT_COLLECT_RECORDER_H_
