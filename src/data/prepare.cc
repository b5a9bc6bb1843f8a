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
#include "data/row_steps.h"
#include "data/segments.h"
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
  if (!o.label.empty()) {
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
    if (L.names.size() < 2)
      return Status::InvalidArgument("the label column '" + o.label + "' holds a single class ('" +
                                     L.names[0] + "'); a classifier needs at least two");
    L.meta = {{"column", o.label}, {"names", L.names}};
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

}  // namespace

Result<PrepareResult> Prepare(const PrepareOptions& o) {
  EMLKIT_RETURN_IF_ERROR(ValidatePrepareOptions(o));
  StagedDir out;
  EMLKIT_RETURN_IF_ERROR(out.Begin(o.out));

  std::optional<LabelRule> rule;
  if (!o.label_rule.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(rule, LabelRule::Parse(o.label_rule, o.Origin("label-rule")));
  }
  // Columns to load: the features, then the rule's and the target's other columns.
  TableRequest req;
  req.inputs = o.inputs;
  req.tests = o.tests;
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
    auto probe = CsvReader::Open(o.inputs[0], CsvOptions{o.delimiter});
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
  spec.window = o.window;
  spec.Finalize();
  const int nch = spec.num_channels();

  CleanReport clean_report;
  EMLKIT_ASSIGN_OR_RETURN(std::vector<Segment> segs,
                          BuildSegments(table, nfeatures, spec, &clean_report));
  spec.period_s = TrainingPeriod(segs);
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
  const std::string method = ResolvedSplitMethod(o);
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
  if (method == "random") {
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
  if (count[0] == 0)
    return Status::InvalidArgument("no training records: " + std::to_string(table.rows()) +
                                   " rows read, " + std::to_string(recs.size()) +
                                   " records formed (check --window, --stride, the split "
                                   "fractions and what cleaning dropped)");
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
  if (!spec.online_exact())
    res.notes.push_back("online preprocessing differs: " + spec.online_note());
  return res;
}

}  // namespace emlkit::data
