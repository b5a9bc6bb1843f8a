// Options of `emlkit data prepare`, from flags or from the [data] section of a TOML file (flags
// win). Every default is stated here and in `emlkit data prepare --help`; docs/dataset-json.md
// says how each lands in dataset.json.
#ifndef EMLKIT_DATA_PREPARE_OPTIONS_H_
#define EMLKIT_DATA_PREPARE_OPTIONS_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/status.h"

namespace emlkit::data {

struct ClipRange {
  std::string column;
  double lo = 0, hi = 0;
};

struct CleanOptions {
  std::string missing = "error";         // error | drop | interpolate | hold
  std::string duplicates = "error";      // equal consecutive timestamps: error | drop | keep
  std::string order = "error";           // time going back: error | sort | segment
  std::vector<ClipRange> clip;           // physical ranges per column
  std::string clip_mode = "clamp";       // clamp (to the bound) | missing (then --missing applies)
  std::string spikes = "none";           // none | hampel
  int hampel_window = 7;                 // rows (odd, >= 3)
  double hampel_threshold = 3.0;         // in robust standard deviations (1.4826 x MAD)
  std::string hampel_mode = "centered";  // centered (offline) | causal (trailing, online-exact)
  int stuck_rows = 0;                    // 0 = off; else a value unchanged for more rows is stuck
  std::string stuck = "report";          // report | missing | drop
  double max_gap = 0;   // seconds; 0 = off; a longer time step starts a new segment
  double resample = 0;  // seconds; 0 = off; else rows on a fixed time grid (after cleaning)
  std::string resample_method = "linear";  // linear | last
};

struct WindowOptions {
  int size = 0;                // rows per window; 0 = no windowing (one record per row)
  int stride = 1;              // rows between window starts
  double size_s = 0;           // > 0: the window in seconds (rows = size_s / period, at prepare)
  double stride_s = 0;         // > 0: the stride in seconds
  std::string mode = "stats";  // stats (per-channel statistics) | raw (the window itself)
  std::vector<std::string> stats = {"mean", "std", "min", "max", "slope", "last", "rms"};
  std::string label = "last";  // last | majority | any (label of a window from its rows)
};

struct SplitOptions {
  std::string method = "auto";  // auto | random | time | group
  bool allow_leakage = false;   // let --split random cut overlapping windows of one recording
  double val = 0.15;            // fraction of the non-test records for validation
  double test = 0.15;           // fraction for test (ignored when test files are given)
  uint64_t seed = 0;
  // Time split only: train on the rows before this point (a timestamp "YYYY-MM-DD hh:mm:ss", or
  // a fraction of the rows like 0.15), validate on the last `val` of them (their held-out tail),
  // test on every row after it. "" = the val / test fractions.
  std::string train_until;
};

struct PrepareOptions {
  // CSV files to split into train/val(/test). Each may be `PATH:LABEL` (every row of the file has
  // class LABEL) or a glob pattern (`data/*.csv`, expanded and sorted); see recordings.h.
  std::vector<std::string> inputs;
  std::vector<std::string> tests;  // explicit test files (same forms)
  std::string label_from;          // "" | filename | dirname: the class of a file from its name
  std::string group;               // a column whose value changes start a new recording
  int64_t segment_rows = 0;        // > 0: a new recording every N rows (after the other cuts)
  double segment_s = 0;            // > 0: a new recording every this many seconds
  double rate_hz = 0;              // > 0: the sampling rate (rows per second) without timestamps
  std::vector<std::string> features;
  std::string label;                       // label column (classification)
  std::string timestamp;                   // timestamp column ("" = none)
  std::string task = "classification";     // classification | regression | anomaly
  std::string label_rule;                  // e.g. "any(motion > 0, 5)"
  std::vector<std::string> label_names;    // names for rule labels (default "0","1")
  std::string target;                      // regression target column
  int horizon = 1;                         // regression: rows ahead
  std::string label_windows;               // anomaly: NAB-style combined_windows.json
  std::string label_windows_key;           // anomaly: key in that file (default: by file name)
  std::string scaling = "zscore";          // zscore | minmax | none
  std::vector<std::string> time_features;  // tod (sin/cos of time of day), weekend
  CleanOptions clean;
  WindowOptions window;
  SplitOptions split;
  char delimiter = 0;       // 0 = detect
  FILE* progress = stderr;  // the load bars; nullptr: none (not a config key)
  std::string out;

  // Where each option came from, for messages ("--features" or "cfg.toml:3:1").
  std::string Origin(const std::string& key) const;
  std::vector<std::pair<std::string, std::string>> origins;
  std::map<std::string, std::string> clip_where_;  // column -> FILE:LINE:COL of its range
};

// Reads [data] (and its tables clean, clip, window, split) from a TOML file into `opt`.
// Unknown keys, wrong types and bad values are errors naming FILE:LINE:COL. Relative paths are
// taken relative to the TOML file's folder.
Status LoadPrepareConfig(const std::string& path, PrepareOptions* opt);

// Checks the options together (required ones, allowed values, combinations). Messages name
// the flag or config key.
Status ValidatePrepareOptions(const PrepareOptions& opt);

// The split method `auto` resolves to: group when the data has recordings (`recordings` true:
// blank lines, --group, --segment*, or several files of one class), else random (stratified) for
// classification without overlapping windows, time otherwise.
std::string ResolvedSplitMethod(const PrepareOptions& opt, bool recordings = false);

// True when the labels come from the input names (`PATH:LABEL` or --label-from).
bool LabelsFromFiles(const PrepareOptions& opt);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_PREPARE_OPTIONS_H_
