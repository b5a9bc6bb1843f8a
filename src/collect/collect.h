// `emlkit collect`: samples from a board's serial port into a CSV of recordings, ready for
// `emlkit data prepare`.
//
//   CollectOptions o;  o.port = "/dev/ttyACM0";  o.label = "punch";  o.out = "punch.csv";
//   EMLKIT_ASSIGN_OR_RETURN(CollectSummary s, Collect(o, stderr));
//
// Each run is one recording (or one per --segment). The CSV is created at the first sample (so
// a run that gets none leaves no file) or appended to (its header must match; recording numbers
// continue). Every complete line received is on disk when the run ends, however it ends (the
// sample limit, the duration, Ctrl-C, an error): rows are flushed after every read, a partial
// line is never written. A port that goes away (board reset, cable pulled) is reopened until it
// comes back, the duration ends or Ctrl-C.
#ifndef EMLKIT_COLLECT_COLLECT_H_
#define EMLKIT_COLLECT_COLLECT_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::collect {

struct CollectOptions {
  std::string port;
  int baud = 115200;
  std::string label;                 // empty: no label column
  std::vector<std::string> columns;  // names for the values; empty: header line or value0..
  double duration_s = 0;             // 0: until --samples or Ctrl-C
  int64_t samples = 0;               // 0: until --duration or Ctrl-C
  std::string segment;               // "", "enter", "N" samples or "Ns" seconds
  double timeout_s = 10;             // no sample within this after opening: an error
  double reconnect_timeout_s = 0;    // 0: keep trying
  std::string out;
};

struct CollectSummary {
  std::string out;
  bool appended = false;
  std::vector<std::string> columns;
  int64_t samples = 0;
  int64_t first_recording = 0, last_recording = 0;
  double rate_hz = 0, period_s = 0;
  double seconds = 0;
  int64_t malformed = 0;
  std::vector<std::string> malformed_examples;
  int64_t reconnects = 0;
  int64_t dropped_partial = 0;
  std::string stopped_by;  // "samples", "duration", "interrupt", "reconnect_timeout"
};

// Runs the collection; progress and events go to `log` (nullptr: silent).
Result<CollectSummary> Collect(const CollectOptions& options, FILE* log);

// Parses --segment: "enter", a sample count ("119") or a time ("2s", "500ms").
Status ParseSegment(const std::string& text, int64_t* samples, double* seconds, bool* enter);
// Parses a time: "90" or "90s", "500ms", "2m", "1.5h". `what` names the option in messages.
Result<double> ParseSeconds(const std::string& text, const std::string& what);

}  // namespace emlkit::collect

#endif  // EMLKIT_COLLECT_COLLECT_H_
