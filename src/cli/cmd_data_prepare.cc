// emlkit data prepare: flags (and --config FILE.toml) -> data::Prepare -> summary.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/data_prepare_flags.h"
#include "data/prepare.h"
#include "data/recordings.h"

namespace emlkit::cli {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  std::stringstream ss(s);
  while (std::getline(ss, cur, ',')) {
    size_t b = cur.find_first_not_of(' '), e = cur.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
  }
  return out;
}

struct PrepareArgs {
  std::string config;
  std::vector<std::string> inputs, tests, clip;
  std::string features, time_features, window_stats, label_names, delimiter;
  std::string window, stride, segment, rate;
  bool json = false;
  data::PrepareOptions flags;  // only the values given on the command line are copied
};

Status RunPrepare(CLI::App* app, PrepareArgs& a) {
  data::PrepareOptions o;
  if (!a.config.empty()) EMLKIT_RETURN_IF_ERROR(data::LoadPrepareConfig(a.config, &o));
  auto given = [&](const char* flag) { return app->count(flag) > 0; };
  const data::PrepareOptions& f = a.flags;
  if (given("--input")) o.inputs = a.inputs;
  if (given("--test")) o.tests = a.tests;
  if (given("--features")) o.features = SplitList(a.features);
  if (given("--label")) o.label = f.label;
  if (given("--timestamp")) o.timestamp = f.timestamp;
  if (given("--task")) o.task = f.task;
  if (given("--label-rule")) o.label_rule = f.label_rule;
  if (given("--label-names")) o.label_names = SplitList(a.label_names);
  if (given("--target")) o.target = f.target;
  if (given("--horizon")) o.horizon = f.horizon;
  if (given("--label-windows")) o.label_windows = f.label_windows;
  if (given("--label-windows-key")) o.label_windows_key = f.label_windows_key;
  if (given("--scaling")) o.scaling = f.scaling;
  if (given("--time-features")) o.time_features = SplitList(a.time_features);
  if (given("--missing")) o.clean.missing = f.clean.missing;
  if (given("--duplicates")) o.clean.duplicates = f.clean.duplicates;
  if (given("--order")) o.clean.order = f.clean.order;
  if (given("--clip-mode")) o.clean.clip_mode = f.clean.clip_mode;
  if (given("--spikes")) o.clean.spikes = f.clean.spikes;
  if (given("--hampel-window")) o.clean.hampel_window = f.clean.hampel_window;
  if (given("--hampel-threshold")) o.clean.hampel_threshold = f.clean.hampel_threshold;
  if (given("--hampel-mode")) o.clean.hampel_mode = f.clean.hampel_mode;
  if (given("--stuck-rows")) o.clean.stuck_rows = f.clean.stuck_rows;
  if (given("--stuck")) o.clean.stuck = f.clean.stuck;
  if (given("--max-gap")) o.clean.max_gap = f.clean.max_gap;
  if (given("--resample")) o.clean.resample = f.clean.resample;
  if (given("--resample-method")) o.clean.resample_method = f.clean.resample_method;
  if (given("--window")) {
    int64_t rows = 0;
    EMLKIT_RETURN_IF_ERROR(
        data::ParseRowsOrDuration(a.window, "--window", &rows, &o.window.size_s));
    o.window.size = static_cast<int>(rows);
  }
  if (given("--stride")) {
    int64_t rows = 0;
    EMLKIT_RETURN_IF_ERROR(
        data::ParseRowsOrDuration(a.stride, "--stride", &rows, &o.window.stride_s));
    o.window.stride = static_cast<int>(rows);
  }
  if (given("--label-from")) o.label_from = f.label_from;
  if (given("--group")) o.group = f.group;
  if (given("--segment-rows")) o.segment_rows = f.segment_rows;
  if (given("--segment")) {
    int64_t rows = 0;
    EMLKIT_RETURN_IF_ERROR(data::ParseRowsOrDuration(a.segment, "--segment", &rows, &o.segment_s));
    if (rows > 0) o.segment_rows = rows;
  }
  if (given("--rate")) EMLKIT_RETURN_IF_ERROR(data::ParseRate(a.rate, "--rate", &o.rate_hz));
  if (given("--allow-leakage")) o.split.allow_leakage = true;
  if (given("--window-mode")) o.window.mode = f.window.mode;
  if (given("--window-stats")) o.window.stats = SplitList(a.window_stats);
  if (given("--window-label")) o.window.label = f.window.label;
  if (given("--split")) o.split.method = f.split.method;
  if (given("--val-frac")) o.split.val = f.split.val;
  if (given("--test-frac")) o.split.test = f.split.test;
  if (given("--seed")) o.split.seed = f.split.seed;
  if (given("--train-until")) o.split.train_until = f.split.train_until;
  if (given("--out")) o.out = f.out;
  if (given("--delimiter")) {
    if (a.delimiter == "tab") {
      o.delimiter = '\t';
    } else if (a.delimiter.size() == 1) {
      o.delimiter = a.delimiter[0];
    } else {
      return Status::InvalidArgument("--delimiter must be one character or 'tab'");
    }
  }
  if (given("--clip")) {
    o.clean.clip.clear();
    for (const std::string& c : a.clip) {
      // COL=LO:HI
      size_t eq = c.rfind('='), colon = c.rfind(':');
      data::ClipRange r;
      bool ok = eq != std::string::npos && colon != std::string::npos && colon > eq;
      if (ok) {
        r.column = c.substr(0, eq);
        try {
          size_t used = 0;
          std::string lo = c.substr(eq + 1, colon - eq - 1), hi = c.substr(colon + 1);
          r.lo = std::stod(lo, &used);
          ok = used == lo.size();
          r.hi = std::stod(hi, &used);
          ok = ok && used == hi.size() && r.lo <= r.hi;
        } catch (const std::exception&) {
          ok = false;
        }
      }
      if (!ok)
        return Status::InvalidArgument("--clip '" + c +
                                       "': expected COLUMN=LOW:HIGH with LOW <= HIGH, e.g. "
                                       "Temperature=-40:85");
      o.clean.clip.push_back(r);
    }
  }
  EMLKIT_ASSIGN_OR_RETURN(data::PrepareResult r, data::Prepare(o));
  if (a.json) {
    std::printf("%s", r.dataset_json.c_str());
    return Status::Ok();
  }
  std::string shape;
  for (int64_t d : r.record_shape) shape += (shape.empty() ? "" : "x") + std::to_string(d);
  std::fprintf(stderr, "wrote %s: records of shape [%s], %s split\n", r.dir.c_str(), shape.c_str(),
               r.split_method.c_str());
  const char* names[3] = {"train", "val", "test"};
  for (int s = 0; s < 3; ++s) {
    std::string cls;
    for (size_t c = 0; c < r.class_counts[s].size(); ++c)
      cls += (cls.empty() ? "  classes: " : ", ") + r.label_names[c] + " " +
             std::to_string(r.class_counts[s][c]);
    std::fprintf(stderr, "  %-5s %8lld records%s\n", names[s], static_cast<long long>(r.records[s]),
                 cls.c_str());
  }
  if (r.split_method == "group" || r.recordings > 1)
    std::fprintf(stderr, "  %lld recordings\n", static_cast<long long>(r.recordings));
  for (const std::string& n : r.notes) std::fprintf(stderr, "  note: %s\n", n.c_str());
  for (const std::string& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return Status::Ok();
}

}  // namespace

void RegisterDataPrepare(CLI::App* data, CommandList& commands) {
  auto a = std::make_shared<PrepareArgs>();
  data::PrepareOptions& f = a->flags;
  CLI::App* p = data->add_subcommand(
      "prepare",
      "Turn CSV sensor logs into a data set folder: X_{train,val,test}.npy (float32), "
      "y_*.npy (int32 classes or float32 targets) and dataset.json (how to preprocess a raw row "
      "exactly as training did; schema in docs/dataset-json.md). Options can come from "
      "--config FILE.toml ([data] section); flags win. Defaults: z-score scaling fitted on the "
      "train split only, no windows, stratified seeded random split 70/15/15 (with --test files: "
      "the other records 85/15 train/val), missing values, duplicate or out-of-order "
      "timestamps are errors until you choose a policy.");
  p->add_option("--config", a->config, "TOML file with a [data] section (flags override it)");
  p->add_option("--input", a->inputs,
                "Input CSV file (repeatable): FILE, FILE:LABEL (every row is class LABEL) or a "
                "quoted glob 'data/*.csv'");
  p->add_option("--label-from", f.label_from,
                "Class of each input from its name: filename (up to the first '.': "
                "punch.2.csv -> punch) | dirname (data/punch/x.csv -> punch)");
  p->add_option("--group", f.group,
                "Column whose value changes start a new recording (e.g. a take or subject id); "
                "--split group keeps each value's rows in one split");
  p->add_option("--segment-rows", f.segment_rows,
                "A new recording every N rows (e.g. 119 for 1 s takes at 119 Hz; default 0 = off)");
  p->add_option("--segment", a->segment,
                "A new recording every DURATION (e.g. 1s; needs --rate or --timestamp) or N rows");
  p->add_option("--rate", a->rate,
                "Sampling rate without a timestamp column, e.g. 119Hz (for sizes in time units)");
  p->add_option("--test", a->tests,
                "Explicit test CSV file (repeatable); the inputs then split "
                "into train/val only");
  p->add_option("--features", a->features, "Feature columns, comma-separated");
  p->add_option("--label", f.label, "Label column (classification)");
  p->add_option("--timestamp", f.timestamp,
                "Timestamp column (needed for time features, "
                "gaps, anomaly windows)");
  p->add_option("--task", f.task, "classification | regression | anomaly (default classification)");
  p->add_option("--label-rule", f.label_rule,
                "Label from a rule instead of a column, e.g. \"any(motion > 0, 5)\"");
  p->add_option("--label-names", a->label_names,
                "Names of the rule's classes false,true "
                "(default 0,1)");
  p->add_option("--target", f.target, "Regression target column");
  p->add_option("--horizon", f.horizon,
                "Regression: predict the target this many rows ahead "
                "(default 1)");
  p->add_option("--label-windows", f.label_windows,
                "Anomaly: NAB-style combined_windows.json; rows inside a window are label 1 (for "
                "evaluation; without it every record is normal: unsupervised)");
  p->add_option("--label-windows-key", f.label_windows_key,
                "Anomaly: key in that file (default: the key naming the input's file name)");
  p->add_option("--scaling", f.scaling, "zscore | minmax | none (default zscore, fitted on train)");
  p->add_option("--time-features", a->time_features,
                "Derived features from the timestamp: tod (sin/cos of time of day), weekend");
  p->add_option("--missing", f.clean.missing,
                "Missing values: error | drop | interpolate | hold (default error)");
  p->add_option("--duplicates", f.clean.duplicates,
                "Equal consecutive timestamps: error | drop | keep (default error)");
  p->add_option("--order", f.clean.order,
                "Time going back: error | sort | segment (default error)");
  p->add_option("--clip", a->clip, "Physical range COLUMN=LOW:HIGH (repeatable)");
  p->add_option("--clip-mode", f.clean.clip_mode,
                "Out-of-range values: clamp | missing "
                "(default clamp)");
  p->add_option("--spikes", f.clean.spikes, "Spike removal: none | hampel (default none)");
  p->add_option("--hampel-window", f.clean.hampel_window, "Hampel window in rows, odd (default 7)");
  p->add_option("--hampel-threshold", f.clean.hampel_threshold,
                "Hampel threshold in robust standard deviations (default 3)");
  p->add_option("--hampel-mode", f.clean.hampel_mode,
                "centered (offline, best) | causal (what a device can do; default centered)");
  p->add_option("--stuck-rows", f.clean.stuck_rows,
                "A value unchanged for more rows than this is stuck (default 0 = off)");
  p->add_option("--stuck", f.clean.stuck, "Stuck values: report | missing | drop (default report)");
  p->add_option("--max-gap", f.clean.max_gap,
                "Seconds; a longer time step starts a new segment (default 0 = off)");
  p->add_option("--resample", f.clean.resample,
                "Seconds; put rows on a fixed time grid after cleaning (default 0 = off)");
  p->add_option(
      "--resample-method", f.clean.resample_method,
      "Value at a grid time: linear (between the rows around it) | last (default linear)");
  p->add_option("--window", a->window,
                "Window length in rows (119) or time (1s, 250ms; needs --rate or --timestamp); "
                "default 0 = one record per row. Windows never cross a recording");
  p->add_option("--stride", a->stride,
                "Distance between window starts in rows or time (default 1 row)");
  p->add_option("--window-mode", f.window.mode,
                "stats (per-channel statistics) | raw (the window itself; default stats)");
  p->add_option("--window-stats", a->window_stats,
                "Statistics: mean,std,min,max,slope,last,rms (default all)");
  p->add_option("--window-label", f.window.label,
                "Label of a window: last | majority | any (default last)");
  p->add_option("--split", f.split.method,
                "auto | random (stratified, seeded) | time (no window crosses a boundary) | group "
                "(whole recordings per split, stratified); auto = group when there are recordings "
                "(blank lines, --group, --segment*, several files per class), else random for "
                "classification without overlapping windows, else time");
  p->add_flag("--allow-leakage", f.split.allow_leakage,
              "Let --split random take overlapping windows (test windows then share rows with "
              "train ones)");
  p->add_option("--val-frac", f.split.val, "Validation fraction (default 0.15)");
  p->add_option("--test-frac", f.split.test, "Test fraction without --test files (default 0.15)");
  p->add_option("--seed", f.split.seed, "Split seed (default 0)");
  p->add_option("--train-until", f.split.train_until,
                "Time split: train on the rows before TIMESTAMP or FRACTION (e.g. 0.15), validate "
                "on the last --val-frac of them, test on all rows after");
  p->add_option("--delimiter", a->delimiter, "Field delimiter (default: detected)");
  p->add_option("--out", f.out, "Output folder (written under a temporary name, then renamed)");
  p->add_flag("--json", a->json, "Print dataset.json on stdout after writing");
  commands.push_back({p, [p, a] { return RunPrepare(p, *a); }});
}

}  // namespace emlkit::cli
