// `emlkit monitor`: the live-classification view. Rows from a board's serial port (or replayed
// from a CSV log) go through a model's recorded preprocessing and the device runtime
// (LiveModel), and every prediction is printed with the input rate.
//
//   MonitorOptions o;  o.model = "gesture_int8.tflite";  o.port = "/dev/ttyACM0";
//   EMLKIT_ASSIGN_OR_RETURN(MonitorSummary s, Monitor(o, stdout, stderr));
//
// Port rows are timed by the host clock (local wall time, as `emlkit collect` writes them);
// replayed rows by the log's timestamp column (the one the model was trained with, else
// "timestamp"), paced at --speed times real time (0: as fast as possible).
#ifndef EMLKIT_COLLECT_MONITOR_H_
#define EMLKIT_COLLECT_MONITOR_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::collect {

struct MonitorOptions {
  std::string model;
  std::string port;  // or:
  std::string replay;
  int baud = 115200;
  std::vector<std::string> columns;  // names of the port's values (default: header line, or
                                     // the model's columns when the counts match)
  double speed = 1.0;                // replay pacing; 0 = as fast as possible
  double duration_s = 0;             // 0: until the log ends or Ctrl-C
  double timeout_s = 10;
  bool json = false;  // one JSON object per prediction
};

struct MonitorSummary {
  int64_t rows = 0, predictions = 0, malformed = 0;
  double rate_hz = 0;
  std::map<std::string, int64_t> label_counts;
  std::string stopped_by;
};

// Predictions go to `out`, events to `log` (nullptr: silent).
Result<MonitorSummary> Monitor(const MonitorOptions& options, FILE* out, FILE* log);

// Parses --speed: "10x", "10", "0.5x", or "max" (= 0).
Result<double> ParseSpeed(const std::string& text);

}  // namespace emlkit::collect

#endif  // EMLKIT_COLLECT_MONITOR_H_
