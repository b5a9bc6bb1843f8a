#include "data/prepare.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/fs.h"
#include "common/npy.h"
#include "common/rng.h"
#include "common/version.h"
#include "data/dataset.h"
#include "data/label_rule.h"
#include "data/label_windows.h"
#include "data/pipeline.h"
#include "data/recordings.h"
#include "data/row_steps.h"
#include "data/segments.h"
#include "data/split_checks.h"
#include "data/timestamp.h"

namespace emlkit::data {
namespace {

using nlohmann::json;
constexpr const char* kSplitNames[3] = {"train", "val", "test"};

std::string ShortestNumber(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

// A part of a segment that is windowed on its own, and the split its records go to
// (-1: assigned per record by the random split).
struct Part {
  size_t seg;
  int64_t begin, end;
  int split;
};

struct Record {
  size_t part;
  int64_t end;  // index of the window's last row in the segment
  int split;
  int32_t label;
  float target;
};

// Per-row labels of every segment: class ids (classification/anomaly) or targets (regression).
struct Labels {
  std::vector<std::vector<int32_t>> ids;
  std::vector<std::vector<double>> targets;
  std::vector<std::string> names;
  json meta;
};

Result<Labels> MakeLabels(const PrepareOptions& o, const Table& t, const std::vector<Segment>& segs,
                          const std::optional<LabelRule>& rule, int nfeatures) {
  Labels L;
  L.ids.resize(segs.size());
  L.targets.resize(segs.size());
  // The values of column `name` over a segment's rows: cleaned if it is a feature, else raw.
  auto column_values = [&](const Segment& s, const std::string& name) {
    std::vector<double> v;
    for (size_t k = 0; k < t.names.size(); ++k) {
      if (t.names[k] != name) continue;
      if (static_cast<int>(k) < nfeatures) return s.cols[k];
      for (int64_t r : s.rows) v.push_back(t.cols[k][r]);
      break;
    }
    return v;
  };
  if (o.task == "regression") {
    for (size_t i = 0; i < segs.size(); ++i) L.targets[i] = column_values(segs[i], o.target);
    L.meta = {{"column", nullptr},
              {"names", json::array()},
              {"target", o.target},
              {"horizon", o.horizon}};
    return L;
  }
  if (!o.label.empty() || LabelsFromFiles(o)) {
    // Class names from the values, sorted (numerically for numbers).
    std::map<double, int32_t> num_ids;
    std::vector<std::pair<std::string, double>> texts;
    if (t.label_texts.empty()) {
      for (double v : t.label) num_ids.emplace(v, 0);
      int32_t k = 0;
      for (auto& [v, id] : num_ids) {
        id = k++;
        L.names.push_back(ShortestNumber(v));
      }
    } else {
      std::vector<std::string> sorted = t.label_texts;
      std::sort(sorted.begin(), sorted.end());
      L.names = sorted;
    }
    std::vector<int32_t> text_to_id(t.label_texts.size());
    for (size_t i = 0; i < t.label_texts.size(); ++i)
      text_to_id[i] = static_cast<int32_t>(
          std::find(L.names.begin(), L.names.end(), t.label_texts[i]) - L.names.begin());
    for (size_t i = 0; i < segs.size(); ++i)
      for (int64_t r : segs[i].rows)
        L.ids[i].push_back(t.label_texts.empty() ? num_ids[t.label[r]]
                                                 : text_to_id[static_cast<size_t>(t.label[r])]);
    if (L.names.size() < 2 && o.label.empty())
      return Status::InvalidArgument(
          "the input files give a single class ('" + L.names[0] +
          "'); a classifier needs at least two: add files of another class (FILE.csv:LABEL)");
    if (L.names.size() < 2)
      return Status::InvalidArgument("the label column '" + o.label + "' holds a single class ('" +
                                     L.names[0] + "'); a classifier needs at least two");
    L.meta = {{"column", o.label.empty() ? json(nullptr) : json(o.label)}, {"names", L.names}};
    if (o.label.empty()) L.meta["from"] = o.label_from.empty() ? "input" : o.label_from;
  } else if (rule) {
    L.names = o.label_names.empty() ? std::vector<std::string>{"0", "1"} : o.label_names;
    for (size_t i = 0; i < segs.size(); ++i) {
      std::vector<std::vector<double>> vals;
      for (const std::string& c : rule->columns()) vals.push_back(column_values(segs[i], c));
      std::vector<const std::vector<double>*> ptrs;
      for (const auto& v : vals) ptrs.push_back(&v);
      for (uint8_t b : rule->Evaluate(ptrs)) L.ids[i].push_back(b);
    }
    L.meta = {{"column", nullptr}, {"names", L.names}, {"rule", o.label_rule}};
  } else if (o.label_windows.empty()) {  // unsupervised anomaly: every record is normal
    L.names = {"normal", "anomaly"};
    for (size_t i = 0; i < segs.size(); ++i) L.ids[i].assign(segs[i].rows.size(), 0);
    L.meta = {{"column", nullptr}, {"names", L.names}, {"unsupervised", true}};
  } else {  // anomaly
    L.names = {"normal", "anomaly"};
    std::map<int32_t, TimeWindows> windows;
    json keys = json::object();
    for (size_t i = 0; i < segs.size(); ++i) {
      int32_t f = segs[i].file;
      if (!windows.count(f)) {
        EMLKIT_ASSIGN_OR_RETURN(windows[f], LoadTimeWindows(o.label_windows, o.label_windows_key,
                                                            t.files[static_cast<size_t>(f)].path));
        keys[t.files[static_cast<size_t>(f)].path] = windows[f].key;
      }
      for (double at : segs[i].time) L.ids[i].push_back(windows[f].Contains(at) ? 1 : 0);
    }
    L.meta = {{"column", nullptr},
              {"names", L.names},
              {"windows", {{"file", o.label_windows}, {"keys", keys}}}};
  }
  return L;
}

// --train-until: the number of (non-test) rows before the cut, counted over the segments in
// order: a fraction of `total`, or the rows before a timestamp (validated beforehand).
int64_t TrainUntilRow(const std::string& until, const std::vector<Segment>& segs, int64_t total) {
  char* end = nullptr;
  const double f = std::strtod(until.c_str(), &end);
  if (*end == '\0' && end != until.c_str())
    return static_cast<int64_t>(std::floor(static_cast<double>(total) * f));
  double t = 0;
  ParseTimestamp(until, &t);
  int64_t n = 0;
  for (const Segment& s : segs)
    if (!s.test)
      for (double at : s.time) n += at < t;
  return n;
}

// Label of a window ending at row e of segment s (rows e-n+1 .. e).
int32_t WindowLabel(const std::vector<int32_t>& ids, int64_t e, int n, const std::string& how,
                    size_t classes) {
  if (how == "last" || n <= 1) return ids[e];
  std::vector<int64_t> count(classes, 0);
  for (int64_t i = e - n + 1; i <= e; ++i) ++count[static_cast<size_t>(ids[i])];
  if (how == "any") {  // the highest class present (for 0/1: 1 if any row is 1)
    for (size_t c = classes; c-- > 0;)
      if (count[c]) return static_cast<int32_t>(c);
  }
  return static_cast<int32_t>(std::max_element(count.begin(), count.end()) - count.begin());
}

// The median time step between consecutive rows of the non-test segments; 0 without timestamps.
double TrainingPeriod(const std::vector<Segment>& segs) {
  std::vector<double> steps;
  for (const Segment& s : segs) {
    if (s.test) continue;
    for (size_t i = 1; i < s.time.size(); ++i)
      if (s.time[i] > s.time[i - 1]) steps.push_back(s.time[i] - s.time[i - 1]);
  }
  if (steps.empty()) return 0;
  auto mid = steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2);
  std::nth_element(steps.begin(), mid, steps.end());
  return *mid;
}

// Windows and strides given in seconds become rows at the training period.
Status ResolveWindowRows(double period_s, WindowOptions* w, std::vector<std::string>* notes) {
  if (w->size_s <= 0 && w->stride_s <= 0) return Status::Ok();
  if (!(period_s > 0))
    return Status::InvalidArgument(
        "the sampling period is unknown (the timestamps never advance), so --window/--stride in "
        "time units cannot become rows: give --rate HZ or sizes in rows");
  auto rows = [&](double s) { return static_cast<int>(std::llround(s / period_s)); };
  const std::string at = " at a period of " + FormatDuration(period_s);
  if (w->size_s > 0) {
    w->size = rows(w->size_s);
    if (w->size < 1)
      return Status::InvalidArgument("--window " + FormatDuration(w->size_s) +
                                     " is shorter than one row" + at + "; give a longer window");
    notes->push_back("window " + FormatDuration(w->size_s) + " = " + std::to_string(w->size) +
                     " rows" + at);
  }
  if (w->stride_s > 0) {
    w->stride = std::max(1, rows(w->stride_s));
    notes->push_back("stride " + FormatDuration(w->stride_s) + " = " + std::to_string(w->stride) +
                     " rows");
  }
  w->size_s = w->stride_s = 0;
  return Status::Ok();
}

// dataset.json "recordings": how rows were cut into recordings and, per recording, where it
// starts, its group and its records per split (records of a split are in recording order).
json RecordingsJson(const PrepareOptions& o, const Table& t, const std::vector<Segment>& segs,
                    const std::vector<int32_t>& seg_group, const std::vector<Part>& parts,
                    const std::vector<Record>& recs) {
  std::vector<std::array<int64_t, 3>> per_seg(segs.size(), std::array<int64_t, 3>{});
  for (const Record& r : recs) ++per_seg[parts[r.part].seg][static_cast<size_t>(r.split)];
  json list = json::array();
  json values = json::array();
  for (size_t i = 0; i < segs.size(); ++i) {
    const Segment& s = segs[i];
    const int32_t g = seg_group[i];
    // One short row per recording (the whole document travels in the model's metadata).
    list.push_back({s.file, t.line[s.rows.front()], s.rows.size(), g >= 0 ? json(g) : json(nullptr),
                    per_seg[i][0], per_seg[i][1], per_seg[i][2]});
    if (g >= 0 && s.group >= 0 && static_cast<size_t>(g) >= values.size())
      values.push_back(t.group_texts[static_cast<size_t>(s.group)]);
  }
  json j = {{"count", segs.size()},
            {"blank_lines", t.blank_breaks},
            {"group_column", o.group.empty() ? json(nullptr) : json(o.group)},
            {"segment_rows", o.segment_rows},
            {"segment_s", o.segment_s},
            {"rate_hz", o.rate_hz > 0 ? json(o.rate_hz) : json(nullptr)},
            {"columns", {"file", "line", "rows", "group", "train", "val", "test"}},
            {"list", list}};
  if (!o.group.empty()) j["group_values"] = values;
  return j;
}

// The advice appended to a broken-split error, by split method.
std::string SplitFix(const std::string& method) {
  if (method == "time")
    return "the time split cuts the rows of all inputs in file order, so a class recorded in one "
           "file lands in one split. Mark the recordings (blank lines, --segment-rows N, "
           "--segment 1s or --group COL) and use --split group, or use --split random without "
           "overlapping windows";
  if (method == "group")
    return "too few recordings (groups) of that class to give every split one. Record more, "
           "cut recordings shorter (--segment-rows / --segment), or lower --val-frac / "
           "--test-frac";
  return "too few records of that class for every split. Check --window (a window must fit in "
         "one recording), record more, or lower --val-frac / --test-frac";
}

}  // namespace

Result<PrepareResult> Prepare(const PrepareOptions& options) {
  EMLKIT_RETURN_IF_ERROR(ValidatePrepareOptions(options));
  PrepareOptions o = options;  // windows in time units become rows below
  std::vector<std::string> notes;
  StagedDir out;
  EMLKIT_RETURN_IF_ERROR(out.Begin(o.out));

  std::optional<LabelRule> rule;
  if (!o.label_rule.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(rule, LabelRule::Parse(o.label_rule, o.Origin("label-rule")));
  }
  // Columns to load: the features, then the rule's and the target's other columns.
  TableRequest req;
  EMLKIT_ASSIGN_OR_RETURN(std::vector<InputSpec> in_specs,
                          ExpandInputs(o.inputs, o.label_from, "--input"));
  EMLKIT_ASSIGN_OR_RETURN(std::vector<InputSpec> test_specs,
                          ExpandInputs(o.tests, o.label_from, "--test"));
  const bool file_labels = o.task == "classification" && LabelsFromFiles(o);
  std::map<std::string, int> files_per_label;
  for (const auto* specs : {&in_specs, &test_specs}) {
    for (const InputSpec& in : *specs) {
      if (file_labels && in.label.empty())
        return Status::InvalidArgument(in.path +
                                       ": this file has no class while other inputs do; give it "
                                       "as " +
                                       in.path + ":LABEL, or use --label-from filename");
      if (!file_labels && !in.label.empty())
        return Status::InvalidArgument(in.path + ":" + in.label +
                                       ": a class from the file name applies to classification "
                                       "without --label / --label-rule only");
      (specs == &in_specs ? req.inputs : req.tests).push_back(in.path);
      (specs == &in_specs ? req.input_labels : req.test_labels).push_back(in.label);
      if (specs == &in_specs) ++files_per_label[in.label];
    }
  }
  req.group = o.group;
  req.delimiter = o.delimiter;
  req.progress = o.progress;
  req.timestamp = o.timestamp;
  req.label = o.label;
  for (const std::string& f : o.features) {
    if (std::find(req.numeric.begin(), req.numeric.end(), f) != req.numeric.end())
      return Status::InvalidArgument(o.Origin("features") + ": feature '" + f +
                                     "' is listed twice");
    if (f == o.label || f == o.timestamp)
      return Status::InvalidArgument(o.Origin("features") + ": '" + f +
                                     "' is the label or timestamp column; it cannot be a feature");
    req.numeric.push_back(f);
    req.origin.push_back(o.Origin("features"));
  }
  const int nfeatures = static_cast<int>(req.numeric.size());
  auto add_extra = [&](const std::string& c, const std::string& origin) {
    if (std::find(req.numeric.begin(), req.numeric.end(), c) == req.numeric.end()) {
      req.numeric.push_back(c);
      req.origin.push_back(origin);
    }
  };
  if (rule)
    for (const std::string& c : rule->columns()) add_extra(c, o.Origin("label-rule"));
  if (!o.target.empty()) add_extra(o.target, o.Origin("target"));
  if (rule) {
    // Check the rule's columns against the first file's header before loading everything.
    auto probe = CsvReader::Open(req.inputs[0], CsvOptions{o.delimiter});
    if (probe.ok()) EMLKIT_RETURN_IF_ERROR(rule->Bind((*probe)->schema().names));
  }
  EMLKIT_ASSIGN_OR_RETURN(Table table, LoadTable(req));

  // The pipeline as far as cleaning; scaling is fitted below.
  PipelineSpec spec;
  spec.columns = o.features;
  spec.timestamp = o.timestamp;
  spec.clean = o.clean;
  spec.clean.clip.clear();
  spec.clip_lo.assign(o.features.size(), -std::numeric_limits<double>::infinity());
  spec.clip_hi.assign(o.features.size(), std::numeric_limits<double>::infinity());
  for (const ClipRange& r : o.clean.clip) {
    size_t k = static_cast<size_t>(std::find(o.features.begin(), o.features.end(), r.column) -
                                   o.features.begin());
    spec.clip_lo[k] = r.lo;
    spec.clip_hi[k] = r.hi;
  }
  // The Hampel floor per feature, from the non-test inputs as read.
  spec.hampel_min_scale.assign(o.features.size(), 0.0);
  if (o.clean.spikes == "hampel") {
    for (int k = 0; k < nfeatures; ++k) {
      std::vector<double> x;
      for (int64_t r = 0; r < table.rows(); ++r)
        if (!table.files[static_cast<size_t>(table.file[r])].test) x.push_back(table.cols[k][r]);
      spec.hampel_min_scale[k] = ColumnStepScale(x);
    }
  }
  spec.time_features = o.time_features;
  spec.scaling = o.scaling;

  RecordingCuts cuts;
  cuts.rows = o.segment_rows;
  if (o.segment_s > 0 && o.rate_hz > 0)
    cuts.rows = std::max<int64_t>(1, std::llround(o.segment_s * o.rate_hz));
  else if (o.segment_s > 0)
    cuts.seconds = o.segment_s;
  CleanReport clean_report;
  EMLKIT_ASSIGN_OR_RETURN(std::vector<Segment> segs,
                          BuildSegments(table, nfeatures, spec, &clean_report, cuts));
  spec.period_s = o.rate_hz > 0 ? 1.0 / o.rate_hz : TrainingPeriod(segs);
  EMLKIT_RETURN_IF_ERROR(ResolveWindowRows(spec.period_s, &o.window, &notes));
  EMLKIT_RETURN_IF_ERROR(ValidatePrepareOptions(o));  // again, with the windows in rows
  spec.window = o.window;
  spec.Finalize();
  const int nch = spec.num_channels();
  EMLKIT_ASSIGN_OR_RETURN(Labels labels, MakeLabels(o, table, segs, rule, nfeatures));
  const bool regression = o.task == "regression";
  const size_t nclasses = labels.names.size();

  // Channel values per segment row: cleaned features, then time features.
  std::vector<std::vector<double>> chans(segs.size());
  for (size_t i = 0; i < segs.size(); ++i) {
    const Segment& s = segs[i];
    chans[i].resize(s.rows.size() * static_cast<size_t>(nch));
    for (size_t r = 0; r < s.rows.size(); ++r) {
      double* row = &chans[i][r * static_cast<size_t>(nch)];
      for (int k = 0; k < nfeatures; ++k) row[k] = s.cols[k][r];
      if (!o.time_features.empty()) TimeFeatures(o.time_features, s.time[r], row + nfeatures);
    }
  }

  // Parts.
  bool several_files_per_class = false;
  for (const auto& [label, nfiles] : files_per_label) several_files_per_class |= nfiles > 1;
  const bool recordings = !o.group.empty() || o.segment_rows > 0 || o.segment_s > 0 ||
                          table.blank_breaks > 0 || (file_labels && several_files_per_class);
  const std::string method = ResolvedSplitMethod(o, recordings);
  const double test_frac = o.tests.empty() ? o.split.test : 0.0;
  std::vector<Part> parts;
  if (method == "time") {
    int64_t total = 0;
    for (const Segment& s : segs)
      if (!s.test) total += static_cast<int64_t>(s.rows.size());
    int64_t b1 = static_cast<int64_t>(std::floor(total * (1.0 - o.split.val - test_frac)));
    int64_t b2 = static_cast<int64_t>(std::floor(total * (1.0 - test_frac)));
    if (!o.split.train_until.empty()) {
      b2 = TrainUntilRow(o.split.train_until, segs, total);
      b1 = b2 - static_cast<int64_t>(std::floor(static_cast<double>(b2) * o.split.val));
    }
    int64_t offset = 0;
    for (size_t i = 0; i < segs.size(); ++i) {
      const int64_t n = static_cast<int64_t>(segs[i].rows.size());
      if (segs[i].test) {
        parts.push_back({i, 0, n, 2});
        continue;
      }
      for (int sp = 0; sp < 3; ++sp) {
        int64_t lo = sp == 0 ? 0 : (sp == 1 ? b1 : b2), hi = sp == 0 ? b1 : (sp == 1 ? b2 : total);
        int64_t a = std::max(lo, offset) - offset, b = std::min(hi, offset + n) - offset;
        if (b > a) parts.push_back({i, a, b, sp});
      }
      offset += n;
    }
  } else {
    for (size_t i = 0; i < segs.size(); ++i)
      parts.push_back({i, 0, static_cast<int64_t>(segs[i].rows.size()), segs[i].test ? 2 : -1});
  }

  // Records: the rows where a window ends (every row without windows).
  const int n = o.window.size;
  std::vector<Record> recs;
  for (size_t p = 0; p < parts.size(); ++p) {
    const Part& part = parts[p];
    const int64_t first = part.begin + std::max(n, 1) - 1;
    const int64_t step = n > 0 ? o.window.stride : 1;
    for (int64_t e = first; e < part.end; e += step) {
      Record r{p, e, part.split, 0, 0};
      if (regression) {
        int64_t ti = e + o.horizon;
        if (ti >= part.end) break;
        double y = labels.targets[part.seg][ti];
        if (!std::isfinite(y)) continue;
        r.target = static_cast<float>(y);
      } else {
        r.label = WindowLabel(labels.ids[part.seg], e, n, o.window.label, nclasses);
      }
      recs.push_back(r);
    }
  }
  // The group of every non-test segment: its --group value, else the segment (recording) itself.
  std::vector<int32_t> seg_group(segs.size(), -1);
  std::map<int64_t, int32_t> group_ids;
  for (size_t i = 0; i < segs.size(); ++i) {
    if (segs[i].test) continue;
    const int64_t key = o.group.empty() ? static_cast<int64_t>(i) : segs[i].group;
    seg_group[i] = group_ids.emplace(key, static_cast<int32_t>(group_ids.size())).first->second;
  }
  if (method == "group") {
    // Whole groups per split, stratified by each group's majority class.
    std::vector<std::vector<int64_t>> votes(group_ids.size(),
                                            std::vector<int64_t>(std::max<size_t>(nclasses, 1)));
    for (const Record& r : recs)
      if (r.split < 0) ++votes[seg_group[parts[r.part].seg]][regression ? 0 : r.label];
    std::vector<int32_t> majority;
    for (const auto& v : votes)
      majority.push_back(static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin()));
    std::vector<int> gsplit =
        SplitGroups(majority, std::max<size_t>(nclasses, 1), o.split.val, test_frac, o.split.seed);
    for (Record& r : recs)
      if (r.split < 0) r.split = gsplit[static_cast<size_t>(seg_group[parts[r.part].seg])];
  } else if (method == "random") {
    // Stratified: each class's pending records are shuffled and cut val / test / train.
    Rng rng(o.split.seed);
    std::vector<std::vector<size_t>> strata(regression ? 1 : nclasses);
    for (size_t i = 0; i < recs.size(); ++i)
      if (recs[i].split < 0)
        strata[regression ? 0 : static_cast<size_t>(recs[i].label)].push_back(i);
    for (std::vector<size_t>& s : strata) {
      rng.Shuffle(s.data(), s.size());
      const int64_t m = static_cast<int64_t>(s.size());
      const int64_t nv = std::llround(m * o.split.val), nt = std::llround(m * test_frac);
      for (int64_t k = 0; k < m; ++k) recs[s[k]].split = k < nt ? 2 : (k < nt + nv ? 1 : 0);
    }
  }

  // Fit the scaling on the rows the training records cover.
  std::array<int64_t, 3> count{};
  for (const Record& r : recs) ++count[static_cast<size_t>(r.split)];
  std::vector<std::string> warnings;
  if (o.task != "anomaly") {
    SplitCounts sc;
    sc.records = count;
    sc.expected = {true, o.split.val > 0, test_frac > 0 || !o.tests.empty()};
    std::vector<std::string> why(nclasses);
    if (!regression) {
      sc.class_names = labels.names;
      for (auto& v : sc.per_class) v.assign(nclasses, 0);
      for (const Record& r : recs) ++sc.per_class[static_cast<size_t>(r.split)][r.label];
      // A class with no record at all: say how long its recordings are.
      for (size_t c = 0; c < nclasses; ++c) {
        int64_t longest = 0, rows = 0;
        for (size_t i = 0; i < segs.size(); ++i) {
          int64_t k = std::count(labels.ids[i].begin(), labels.ids[i].end(), c);
          longest = std::max(longest, k);
          rows += k;
        }
        if (sc.per_class[0][c] + sc.per_class[1][c] + sc.per_class[2][c] == 0 && n > 0)
          why[c] = "its " + std::to_string(rows) + " rows form no window of " + std::to_string(n) +
                   " rows: its longest recording has " + std::to_string(longest) +
                   " rows; use a shorter --window (windows never cross a recording)";
      }
    }
    if (recs.empty()) {
      size_t longest = 0;
      for (const Segment& s : segs) longest = std::max(longest, s.rows.size());
      return Status::InvalidArgument(
          "no window fits: " + std::to_string(table.rows()) + " rows read, " +
          std::to_string(segs.size()) + " recordings of at most " + std::to_string(longest) +
          " rows, 0 records formed. Use a --window shorter than the recordings and check what "
          "cleaning dropped");
    }
    EMLKIT_RETURN_IF_ERROR(CheckSplits(sc, SplitFix(method), &warnings, why));
  } else if (count[0] == 0) {
    return Status::InvalidArgument("no training records: " + std::to_string(table.rows()) +
                                   " rows read, " + std::to_string(recs.size()) +
                                   " records formed (check --window, --stride, the split "
                                   "fractions and what cleaning dropped)");
  }
  std::vector<std::vector<uint8_t>> train_rows(segs.size());
  for (size_t i = 0; i < segs.size(); ++i) train_rows[i].assign(segs[i].rows.size(), 0);
  for (const Record& r : recs) {
    if (r.split != 0) continue;
    const Part& part = parts[r.part];
    for (int64_t k = r.end - std::max(n, 1) + 1; k <= r.end; ++k) train_rows[part.seg][k] = 1;
  }
  spec.offset.assign(static_cast<size_t>(nch), 0.0f);
  spec.scale.assign(static_cast<size_t>(nch), 1.0f);
  int64_t fit_rows = 0;
  for (int c = 0; c < nch; ++c) {
    double sum = 0, mn = std::numeric_limits<double>::infinity(), mx = -mn;
    int64_t m = 0;
    for (size_t i = 0; i < segs.size(); ++i)
      for (size_t r = 0; r < segs[i].rows.size(); ++r)
        if (train_rows[i][r]) {
          double x = chans[i][r * static_cast<size_t>(nch) + static_cast<size_t>(c)];
          sum += x;
          mn = std::min(mn, x);
          mx = std::max(mx, x);
          ++m;
        }
    fit_rows = m;
    const double mean = sum / static_cast<double>(m);
    double ss = 0;
    for (size_t i = 0; i < segs.size(); ++i)
      for (size_t r = 0; r < segs[i].rows.size(); ++r)
        if (train_rows[i][r]) {
          double d = chans[i][r * static_cast<size_t>(nch) + static_cast<size_t>(c)] - mean;
          ss += d * d;
        }
    const double sd = std::sqrt(ss / static_cast<double>(m));
    if (o.scaling == "zscore") {
      spec.offset[c] = static_cast<float>(mean);
      spec.scale[c] = sd > 0 ? static_cast<float>(1.0 / sd) : 1.0f;
    } else if (o.scaling == "minmax") {
      spec.offset[c] = static_cast<float>(mn);
      spec.scale[c] = mx > mn ? static_cast<float>(1.0 / (mx - mn)) : 1.0f;
    }
  }

  // Scale and window each part; keep the records formed above.
  const int64_t rsize = spec.record_size();
  std::array<NpyArray, 3> X, Y;
  std::array<int64_t, 3> fill{};
  std::array<std::vector<int64_t>, 3> class_counts;
  for (int sp = 0; sp < 3; ++sp) {
    std::vector<int64_t> shape = {count[sp]};
    shape.insert(shape.end(), spec.record_shape.begin(), spec.record_shape.end());
    X[sp] = NpyArray::Zeros(DType::kFloat32, shape);
    Y[sp] = NpyArray::Zeros(regression ? DType::kFloat32 : DType::kInt32, {count[sp]});
    class_counts[sp].assign(nclasses, 0);
  }
  Windower win(spec);
  std::vector<float> scaled(static_cast<size_t>(nch)), record(static_cast<size_t>(rsize));
  size_t next = 0;
  for (size_t p = 0; p < parts.size(); ++p) {
    const Part& part = parts[p];
    win.Reset();
    for (int64_t r = part.begin; r < part.end; ++r) {
      ScaleRow(spec, &chans[part.seg][static_cast<size_t>(r) * static_cast<size_t>(nch)],
               scaled.data());
      if (!win.Push(scaled.data(), record.data())) continue;
      if (next >= recs.size() || recs[next].part != p || recs[next].end != r) continue;
      const Record& rec = recs[next++];
      const size_t sp = static_cast<size_t>(rec.split);
      std::copy(record.begin(), record.end(), X[sp].data<float>() + fill[sp] * rsize);
      if (regression) {
        Y[sp].data<float>()[fill[sp]] = rec.target;
      } else {
        Y[sp].data<int32_t>()[fill[sp]] = rec.label;
        ++class_counts[sp][static_cast<size_t>(rec.label)];
      }
      ++fill[sp];
    }
  }
  if (next != recs.size()) return Status::Internal("prepare: records and windows disagree");

  // dataset.json.
  json inputs = json::array();
  for (const InputFile& f : table.files)
    inputs.push_back({{"path", f.path},
                      {"role", f.test ? "test" : "input"},
                      {"sha256", f.sha256},
                      {"rows", f.rows},
                      {"row_id_dropped", f.row_id}});
  if (file_labels)
    for (size_t i = 0; i < table.files.size(); ++i) inputs[i]["label"] = table.files[i].label;
  json label = labels.meta;
  if (!regression) label["window_label"] = o.window.label;
  json split_counts = json::object(), cls = json::object();
  for (int sp = 0; sp < 3; ++sp) {
    split_counts[kSplitNames[sp]] = count[sp];
    if (!regression) cls[kSplitNames[sp]] = class_counts[sp];
  }
  json j = {
      {"format", kDatasetFormat},
      {"version", kDatasetVersion},
      {"task", o.task},
      {"record_shape", spec.record_shape},
      {"feature_names", spec.feature_names},
      {"label", label},
      {"pipeline", PipelineToJson(spec)},
      {"split",
       {{"method", method},
        {"val", o.split.val},
        {"test", o.tests.empty() ? o.split.test : 0.0},
        {"explicit_test_files", !o.tests.empty()},
        {"seed", o.split.seed},
        {"records", split_counts},
        {"scaling_fit_rows", fit_rows}}},
      {"inputs", inputs},
      {"rows",
       {{"read", table.rows()},
        {"dropped_by_cleaning", clean_report.rows_dropped + clean_report.duplicates_dropped}}},
      {"cleaning_notes", clean_report.notes},
      {"created_by", std::string("emlkit ") + kVersion}};
  if (!regression) j["split"]["class_counts"] = cls;
  j["split"]["allow_leakage"] = o.split.allow_leakage;
  j["recordings"] = RecordingsJson(o, table, segs, seg_group, parts, recs);
  if (method == "group") {
    std::array<std::vector<uint8_t>, 3> seen;
    json groups = json::object();
    for (int sp = 0; sp < 3; ++sp) seen[sp].assign(group_ids.size(), 0);
    for (const Record& r : recs) {
      int32_t g = seg_group[parts[r.part].seg];
      if (g >= 0 && r.split >= 0) seen[r.split][g] = 1;
    }
    for (int sp = 0; sp < 3; ++sp)
      groups[kSplitNames[sp]] = std::count(seen[sp].begin(), seen[sp].end(), 1);
    j["split"]["groups"] = groups;
  }
  if (!warnings.empty()) j["warnings"] = warnings;
  if (!o.split.train_until.empty()) {
    j["split"]["train_until"] = o.split.train_until;
  }
  if (regression) {
    j["target"] = {{"column", o.target}, {"horizon", o.horizon}};
    double s = 0, ss = 0;
    const float* y = Y[0].data<float>();
    for (int64_t i = 0; i < count[0]; ++i) s += y[i];
    const double mean = s / static_cast<double>(count[0]);
    for (int64_t i = 0; i < count[0]; ++i) ss += (y[i] - mean) * (y[i] - mean);
    j["target"]["train_mean"] = mean;
    j["target"]["train_std"] = std::sqrt(ss / static_cast<double>(count[0]));
  }
  PrepareResult res;
  res.dataset_json = j.dump(2) + "\n";
  // Check the folder against the reader every later stage uses before committing it.
  EMLKIT_RETURN_IF_ERROR(ParseDatasetInfo(res.dataset_json, "dataset.json").status());
  for (int sp = 0; sp < 3; ++sp) {
    EMLKIT_RETURN_IF_ERROR(WriteNpy(out.Path(std::string("X_") + kSplitNames[sp] + ".npy"), X[sp]));
    EMLKIT_RETURN_IF_ERROR(WriteNpy(out.Path(std::string("y_") + kSplitNames[sp] + ".npy"), Y[sp]));
  }
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(out.Path("dataset.json"), res.dataset_json));
  EMLKIT_RETURN_IF_ERROR(out.Commit());
  res.dir = out.final_path();
  res.records = count;
  res.class_counts = class_counts;
  res.label_names = labels.names;
  res.record_shape = spec.record_shape;
  res.split_method = method;
  res.notes = clean_report.notes;
  res.notes.insert(res.notes.end(), notes.begin(), notes.end());
  res.warnings = warnings;
  res.recordings = static_cast<int64_t>(segs.size());
  if (!spec.online_exact())
    res.notes.push_back("online preprocessing differs: " + spec.online_note());
  return res;
}

}  // namespace emlkit::data
