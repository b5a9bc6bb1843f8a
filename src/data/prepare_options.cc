#include "data/prepare_options.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "data/recordings.h"
#include "data/timestamp.h"

namespace emlkit::data {
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

Status OneOf(const std::string& what, const std::string& value,
             const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return Status::Ok();
  return Status::InvalidArgument(what + " must be one of " + Join(allowed) + ", got '" + value +
                                 "'");
}

std::string Resolve(const std::string& base, const std::string& p) {
  if (p.empty() || p[0] == '/') return p;
  return (std::filesystem::path(base) / p).lexically_normal().string();
}

// A [data] value that is a number of rows (integer) or a duration ("1s", "250ms").
Status GetRowsOrTime(const ConfigSection& s, const char* key, int64_t* rows, double* seconds) {
  if (!s.Has(key)) return Status::Ok();
  int64_t n = 0;
  if (s.Get(key, &n).ok()) {
    *rows = n;
    *seconds = 0;
    return Status::Ok();
  }
  std::string text;
  EMLKIT_RETURN_IF_ERROR(s.Get(key, &text));
  return ParseRowsOrDuration(text, s.Where(key) + ": [" + s.name() + "] '" + key + "'", rows,
                             seconds);
}

}  // namespace

std::string PrepareOptions::Origin(const std::string& key) const {
  for (const auto& [k, where] : origins)
    if (k == key) return where;
  return "--" + key;
}

Status LoadPrepareConfig(const std::string& path, PrepareOptions* opt) {
  EMLKIT_ASSIGN_OR_RETURN(ConfigFile cfg, ConfigFile::Load(path));
  EMLKIT_ASSIGN_OR_RETURN(ConfigSection d, cfg.Section("data"));
  if (!d.present())
    return Status::InvalidArgument(path +
                                   ": no [data] section; put the data options under "
                                   "[data] (see README.md, emlkit data prepare)");
  ConfigSection root = cfg.Root();
  for (const std::string& k : root.Keys()) {
    EMLKIT_ASSIGN_OR_RETURN(ConfigSection s, root.Sub(k));  // non-table top-level keys: error
    (void)s;
  }
  EMLKIT_RETURN_IF_ERROR(d.CheckKnown(
      {"input",      "test",          "features",   "label",   "timestamp",     "task",
       "label_rule", "label_names",   "target",     "horizon", "label_windows", "label_windows_key",
       "scaling",    "time_features", "delimiter",  "out",     "clean",         "clip",
       "window",     "split",         "label_from", "group",   "segment_rows",  "segment",
       "rate"}));
  const std::string base = std::filesystem::path(path).parent_path().string();
  auto note = [&](const ConfigSection& s, const char* key, const std::string& name) {
    if (s.Has(key))
      opt->origins.emplace_back(name, s.Where(key) + " (" + s.name() + "." + key + ")");
  };
  EMLKIT_RETURN_IF_ERROR(d.Get("input", &opt->inputs));
  EMLKIT_RETURN_IF_ERROR(d.Get("test", &opt->tests));
  for (auto& p : opt->inputs) p = Resolve(base, p);
  for (auto& p : opt->tests) p = Resolve(base, p);
  EMLKIT_RETURN_IF_ERROR(d.Get("features", &opt->features));
  note(d, "features", "features");
  EMLKIT_RETURN_IF_ERROR(d.Get("label", &opt->label));
  note(d, "label", "label");
  EMLKIT_RETURN_IF_ERROR(d.Get("timestamp", &opt->timestamp));
  note(d, "timestamp", "timestamp");
  EMLKIT_RETURN_IF_ERROR(d.Get("task", &opt->task));
  EMLKIT_RETURN_IF_ERROR(d.Get("label_rule", &opt->label_rule));
  note(d, "label_rule", "label-rule");
  EMLKIT_RETURN_IF_ERROR(d.Get("label_names", &opt->label_names));
  EMLKIT_RETURN_IF_ERROR(d.Get("target", &opt->target));
  note(d, "target", "target");
  EMLKIT_RETURN_IF_ERROR(d.Get("horizon", &opt->horizon));
  EMLKIT_RETURN_IF_ERROR(d.Get("label_windows", &opt->label_windows));
  if (!opt->label_windows.empty()) opt->label_windows = Resolve(base, opt->label_windows);
  EMLKIT_RETURN_IF_ERROR(d.Get("label_windows_key", &opt->label_windows_key));
  EMLKIT_RETURN_IF_ERROR(d.Get("scaling", &opt->scaling));
  EMLKIT_RETURN_IF_ERROR(d.Get("time_features", &opt->time_features));
  std::string delim;
  EMLKIT_RETURN_IF_ERROR(d.Get("delimiter", &delim));
  if (!delim.empty()) {
    if (delim == "tab" || delim == "\t") {
      opt->delimiter = '\t';
    } else if (delim.size() == 1) {
      opt->delimiter = delim[0];
    } else {
      return Status::InvalidArgument(d.Where("delimiter") +
                                     ": [data] 'delimiter' must be one character or \"tab\"");
    }
  }
  EMLKIT_RETURN_IF_ERROR(d.Get("label_from", &opt->label_from));
  EMLKIT_RETURN_IF_ERROR(d.Get("group", &opt->group));
  note(d, "group", "group");
  EMLKIT_RETURN_IF_ERROR(d.Get("segment_rows", &opt->segment_rows));
  note(d, "segment_rows", "segment-rows");
  if (d.Has("segment")) {
    std::string seg;
    EMLKIT_RETURN_IF_ERROR(d.Get("segment", &seg));
    int64_t rows = 0;
    EMLKIT_RETURN_IF_ERROR(ParseRowsOrDuration(seg, d.Where("segment") + ": [data] 'segment'",
                                               &rows, &opt->segment_s));
    if (rows > 0) opt->segment_rows = rows;
    note(d, "segment", "segment");
  }
  if (d.Has("rate")) {
    double hz = 0;
    if (!d.Get("rate", &hz).ok()) {
      std::string rate;
      EMLKIT_RETURN_IF_ERROR(d.Get("rate", &rate));
      EMLKIT_RETURN_IF_ERROR(ParseRate(rate, d.Where("rate") + ": [data] 'rate'", &hz));
    }
    opt->rate_hz = hz;
    note(d, "rate", "rate");
  }
  std::string out;
  EMLKIT_RETURN_IF_ERROR(d.Get("out", &out));
  if (!out.empty()) opt->out = Resolve(base, out);

  EMLKIT_ASSIGN_OR_RETURN(ConfigSection c, d.Sub("clean"));
  EMLKIT_RETURN_IF_ERROR(c.CheckKnown(
      {"missing", "duplicates", "order", "clip_mode", "spikes", "hampel_window", "hampel_threshold",
       "hampel_mode", "stuck_rows", "stuck", "max_gap", "resample", "resample_method"}));
  CleanOptions& cl = opt->clean;
  EMLKIT_RETURN_IF_ERROR(c.Get("missing", &cl.missing));
  EMLKIT_RETURN_IF_ERROR(c.Get("duplicates", &cl.duplicates));
  EMLKIT_RETURN_IF_ERROR(c.Get("order", &cl.order));
  EMLKIT_RETURN_IF_ERROR(c.Get("clip_mode", &cl.clip_mode));
  EMLKIT_RETURN_IF_ERROR(c.Get("spikes", &cl.spikes));
  EMLKIT_RETURN_IF_ERROR(c.Get("hampel_window", &cl.hampel_window));
  EMLKIT_RETURN_IF_ERROR(c.Get("hampel_threshold", &cl.hampel_threshold));
  EMLKIT_RETURN_IF_ERROR(c.Get("hampel_mode", &cl.hampel_mode));
  EMLKIT_RETURN_IF_ERROR(c.Get("stuck_rows", &cl.stuck_rows));
  EMLKIT_RETURN_IF_ERROR(c.Get("stuck", &cl.stuck));
  EMLKIT_RETURN_IF_ERROR(c.Get("max_gap", &cl.max_gap));
  EMLKIT_RETURN_IF_ERROR(c.Get("resample", &cl.resample));
  EMLKIT_RETURN_IF_ERROR(c.Get("resample_method", &cl.resample_method));
  for (const char* k : {"missing", "duplicates", "order", "clip_mode", "spikes", "hampel_window",
                        "hampel_threshold", "hampel_mode", "stuck_rows", "stuck", "max_gap",
                        "resample", "resample_method"}) {
    std::string flag = k;  // the flag that sets the same option
    std::replace(flag.begin(), flag.end(), '_', '-');
    note(c, k, flag);
  }

  EMLKIT_ASSIGN_OR_RETURN(ConfigSection clip, d.Sub("clip"));
  for (const std::string& col : clip.Keys()) {
    std::vector<double> range;
    EMLKIT_RETURN_IF_ERROR(clip.Get(col, &range));
    if (range.size() != 2 || !(range[0] <= range[1]))
      return Status::InvalidArgument(clip.Where(col) + ": [data.clip] '" + col +
                                     "' must be [low, high] with low <= high");
    opt->clip_where_[col] = clip.Where(col);
    cl.clip.push_back({col, range[0], range[1]});
  }

  EMLKIT_ASSIGN_OR_RETURN(ConfigSection w, d.Sub("window"));
  EMLKIT_RETURN_IF_ERROR(w.CheckKnown({"size", "stride", "mode", "stats", "label"}));
  int64_t rows = opt->window.size;
  EMLKIT_RETURN_IF_ERROR(GetRowsOrTime(w, "size", &rows, &opt->window.size_s));
  opt->window.size = static_cast<int>(rows);
  rows = opt->window.stride;
  EMLKIT_RETURN_IF_ERROR(GetRowsOrTime(w, "stride", &rows, &opt->window.stride_s));
  opt->window.stride = static_cast<int>(rows);
  EMLKIT_RETURN_IF_ERROR(w.Get("mode", &opt->window.mode));
  EMLKIT_RETURN_IF_ERROR(w.Get("stats", &opt->window.stats));
  EMLKIT_RETURN_IF_ERROR(w.Get("label", &opt->window.label));

  EMLKIT_ASSIGN_OR_RETURN(ConfigSection s, d.Sub("split"));
  EMLKIT_RETURN_IF_ERROR(
      s.CheckKnown({"method", "val", "test", "seed", "allow_leakage", "train_until"}));
  EMLKIT_RETURN_IF_ERROR(s.Get("train_until", &opt->split.train_until));
  EMLKIT_RETURN_IF_ERROR(s.Get("method", &opt->split.method));
  EMLKIT_RETURN_IF_ERROR(s.Get("allow_leakage", &opt->split.allow_leakage));
  EMLKIT_RETURN_IF_ERROR(s.Get("val", &opt->split.val));
  EMLKIT_RETURN_IF_ERROR(s.Get("test", &opt->split.test));
  int64_t seed = static_cast<int64_t>(opt->split.seed);
  EMLKIT_RETURN_IF_ERROR(s.Get("seed", &seed));
  if (seed < 0)
    return Status::InvalidArgument(s.Where("seed") + ": [data.split] 'seed' must be >= 0");
  opt->split.seed = static_cast<uint64_t>(seed);
  note(s, "method", "split");
  note(s, "train_until", "train-until");
  note(s, "val", "val-frac");
  note(s, "test", "test-frac");
  note(w, "size", "window");
  note(w, "stride", "stride");
  note(d, "task", "task");
  note(d, "scaling", "scaling");
  return Status::Ok();
}

Status ValidatePrepareOptions(const PrepareOptions& o) {
  auto bad = [&](const std::string& key, const std::string& what) {
    return Status::InvalidArgument(o.Origin(key) + ": " + what);
  };
  if (o.inputs.empty())
    return Status::InvalidArgument("no input file: give --input FILE (or [data] input = [...])");
  if (o.out.empty())
    return Status::InvalidArgument("no output folder: give --out DIR (or [data] out = \"DIR\")");
  if (o.features.empty())
    return Status::InvalidArgument(
        "no feature columns: give --features a,b,c (or [data] features = [...]); "
        "`emlkit data inspect FILE` lists the columns");
  EMLKIT_RETURN_IF_ERROR(
      OneOf(o.Origin("task"), o.task, {"classification", "regression", "anomaly"}));
  EMLKIT_RETURN_IF_ERROR(OneOf(o.Origin("scaling"), o.scaling, {"zscore", "minmax", "none"}));
  for (const std::string& t : o.time_features)
    EMLKIT_RETURN_IF_ERROR(OneOf("--time-features", t, {"tod", "weekend"}));
  if (!o.time_features.empty() && o.timestamp.empty())
    return bad("timestamp", "time features need a timestamp column: give --timestamp COL");
  const CleanOptions& c = o.clean;
  EMLKIT_RETURN_IF_ERROR(
      OneOf(o.Origin("missing"), c.missing, {"error", "drop", "interpolate", "hold"}));
  EMLKIT_RETURN_IF_ERROR(OneOf(o.Origin("duplicates"), c.duplicates, {"error", "drop", "keep"}));
  EMLKIT_RETURN_IF_ERROR(OneOf(o.Origin("order"), c.order, {"error", "sort", "segment"}));
  EMLKIT_RETURN_IF_ERROR(OneOf(o.Origin("clip-mode"), c.clip_mode, {"clamp", "missing"}));
  EMLKIT_RETURN_IF_ERROR(OneOf(o.Origin("spikes"), c.spikes, {"none", "hampel"}));
  EMLKIT_RETURN_IF_ERROR(OneOf(o.Origin("hampel-mode"), c.hampel_mode, {"centered", "causal"}));
  EMLKIT_RETURN_IF_ERROR(OneOf(o.Origin("stuck"), c.stuck, {"report", "missing", "drop"}));
  if (c.hampel_window < 3 || c.hampel_window % 2 == 0)
    return bad("hampel-window", "the Hampel window must be an odd number of rows >= 3");
  if (!(c.hampel_threshold > 0)) return bad("hampel-threshold", "must be > 0");
  if (c.stuck_rows < 0) return bad("stuck-rows", "must be >= 0 (0 turns the check off)");
  if (!(c.max_gap >= 0)) return bad("max-gap", "must be >= 0 seconds (0 turns it off)");
  if (!(c.resample >= 0)) return bad("resample", "must be >= 0 seconds (0 turns it off)");
  if (c.resample > 0 && o.timestamp.empty())
    return bad("resample", "resampling needs a timestamp column: give --timestamp COL");
  EMLKIT_RETURN_IF_ERROR(OneOf(o.Origin("resample-method"), c.resample_method, {"linear", "last"}));
  if (c.max_gap > 0 && o.timestamp.empty())
    return bad("max-gap", "needs a timestamp column: give --timestamp COL");
  for (const ClipRange& r : c.clip)
    if (std::find(o.features.begin(), o.features.end(), r.column) == o.features.end())
      return bad("clip", "clip range for '" + r.column + "', which is not a feature column");
  const WindowOptions& w = o.window;
  if (w.size < 0) return bad("window", "the window size must be >= 0 rows (0 = no windows)");
  if (w.size_s == 0 && w.stride_s == 0 && w.size > 0 && (w.stride < 1 || w.stride > w.size))
    return bad("stride", "the stride must be between 1 and the window size");
  if (w.size_s > 0 && w.stride_s > w.size_s)
    return bad("stride", "the stride must not be longer than the window");
  const bool timed = w.size_s > 0 || w.stride_s > 0 || o.segment_s > 0;
  if (timed && o.rate_hz <= 0 && o.timestamp.empty())
    return Status::InvalidArgument(
        "a window, stride or segment in time units needs the sampling period: give --rate HZ "
        "(e.g. --rate 119Hz) or --timestamp COL, or give the size in rows (e.g. --window 119)");
  if (o.rate_hz > 0 && !o.timestamp.empty())
    return bad("rate", "give --rate or --timestamp, not both (the timestamps give the rate)");
  if (o.rate_hz < 0) return bad("rate", "the rate must be > 0 Hz");
  if (o.segment_rows < 0) return bad("segment-rows", "must be >= 0 (0 = off)");
  if (o.segment_rows > 0 && o.segment_s > 0)
    return bad("segment", "give --segment-rows or --segment, not both");
  if (!o.label_from.empty())
    EMLKIT_RETURN_IF_ERROR(OneOf("--label-from", o.label_from, {"filename", "dirname"}));
  EMLKIT_RETURN_IF_ERROR(OneOf("--window-mode", w.mode, {"stats", "raw"}));
  EMLKIT_RETURN_IF_ERROR(OneOf("--window-label", w.label, {"last", "majority", "any"}));
  if (w.stats.empty()) return bad("window-stats", "give at least one window statistic");
  for (const std::string& s : w.stats)
    EMLKIT_RETURN_IF_ERROR(
        OneOf("--window-stats", s, {"mean", "std", "min", "max", "slope", "last", "rms"}));
  const SplitOptions& s = o.split;
  EMLKIT_RETURN_IF_ERROR(OneOf(o.Origin("split"), s.method, {"auto", "random", "time", "group"}));
  // Windows in time units are checked again once prepare has turned them into rows.
  const bool overlapping = w.size_s == 0 && w.stride_s == 0 && w.size > 0 && w.stride < w.size;
  if (s.method == "random" && overlapping && !s.allow_leakage)
    return bad("split",
               "--split random with overlapping windows (stride shorter than the window) puts "
               "windows that share rows in train and test, so test scores come out too high. "
               "Use --split group (whole recordings per split), --split time, a stride equal "
               "to the window, or add --allow-leakage if you really want this");
  if (!(s.val >= 0 && s.val < 1))
    return bad("val-frac", "the validation fraction must be in [0, 1)");
  if (!(s.test >= 0 && s.test < 1)) return bad("test-frac", "the test fraction must be in [0, 1)");
  if (o.tests.empty() && s.val + s.test >= 1)
    return bad("val-frac", "validation + test fractions must leave rows for training");
  // Task-specific.
  if (o.task == "classification") {
    const int sources = !o.label.empty() + !o.label_rule.empty() + LabelsFromFiles(o);
    if (sources != 1)
      return Status::InvalidArgument(
          "classification needs exactly one source of labels: --label COL, --label-rule RULE, "
          "or labels from the files (--input FILE.csv:LABEL, or --label-from filename|dirname)");
  } else if (o.task == "regression") {
    if (o.target.empty()) return bad("target", "regression needs --target COL");
    if (o.horizon < 0) return bad("horizon", "the horizon must be >= 0 rows");
    if (!o.label.empty() || !o.label_rule.empty())
      return bad("label", "regression takes --target, not --label / --label-rule");
  } else if (!o.label_windows.empty() && o.timestamp.empty()) {
    // Anomaly without --label-windows: unsupervised, every record is normal.
    return bad("timestamp", "anomaly labels come from time windows: give --timestamp COL");
  }
  if (!o.split.train_until.empty()) {
    if (ResolvedSplitMethod(o) != "time")
      return bad("train-until", "needs the time split (--split time)");
    if (!o.tests.empty()) return bad("train-until", "cannot be combined with --test files");
    double v = 0;
    char* end = nullptr;
    v = std::strtod(o.split.train_until.c_str(), &end);
    const bool fraction = *end == '\0' && end != o.split.train_until.c_str();
    if (fraction && !(v > 0 && v < 1))
      return bad("train-until",
                 "a fraction of the rows must be in (0, 1), got '" + o.split.train_until + "'");
    if (!fraction && o.timestamp.empty())
      return bad("train-until", "a time needs --timestamp COL (or give a fraction like 0.15)");
    if (!fraction && !ParseTimestamp(o.split.train_until, &v))
      return bad("train-until", "'" + o.split.train_until +
                                    "' is neither a fraction in (0, 1) nor a timestamp like "
                                    "2014-01-02 00:00:00");
  }
  if (!o.label_names.empty() && o.label_rule.empty())
    return bad("label-names", "applies to --label-rule labels only");
  if (!o.label_names.empty() && o.label_names.size() != 2)
    return bad("label-names", "a rule gives two classes: give two names (false, true)");
  return Status::Ok();
}

bool LabelsFromFiles(const PrepareOptions& o) {
  if (!o.label_from.empty()) return true;
  for (const std::string& a : o.inputs)
    if (!SplitInputLabel(a).label.empty()) return true;
  return false;
}

std::string ResolvedSplitMethod(const PrepareOptions& o, bool recordings) {
  if (o.split.method != "auto") return o.split.method;
  if (recordings && o.task != "anomaly") return "group";
  bool overlapping = o.window.size > 0 && o.window.stride < o.window.size;
  return (o.task == "classification" && !overlapping) ? "random" : "time";
}

}  // namespace emlkit::data
