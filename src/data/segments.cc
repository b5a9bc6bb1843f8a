#include "data/segments.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "data/row_steps.h"
#include "data/timestamp.h"

namespace emlkit::data {
namespace {

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

std::string At(const Table& t, int64_t row) {
  return t.files[static_cast<size_t>(t.file[row])].path + ":" + std::to_string(t.line[row]);
}

// Splits one file's rows into time-ordered runs (order, duplicates, gaps).
Status OrderFile(const Table& t, const CleanOptions& c, std::vector<int64_t> rows,
                 std::vector<std::vector<int64_t>>* out, CleanReport* rep) {
  if (t.time.empty() || rows.empty()) {
    out->push_back(std::move(rows));
    return Status::Ok();
  }
  for (size_t i = 1; i < rows.size(); ++i) {
    double prev = t.time[rows[i - 1]], cur = t.time[rows[i]];
    if (cur < prev && c.order == "error")
      return Status::InvalidArgument(
          At(t, rows[i]) + ": the timestamp " + FormatTimestamp(cur) +
          " is earlier than the row before (" + FormatTimestamp(prev) +
          "); rows must be in time order. Choose --order segment (keep the file order, start a "
          "new segment where time goes back) or --order sort (sort rows by time)");
    if (cur < prev && c.order == "sort") {
      std::stable_sort(rows.begin(), rows.end(),
                       [&](int64_t a, int64_t b) { return t.time[a] < t.time[b]; });
      ++rep->sorted_files;
      break;
    }
  }
  std::vector<int64_t> cur;
  for (size_t i = 0; i < rows.size(); ++i) {
    int64_t r = rows[i];
    if (!cur.empty()) {
      double step = t.time[r] - t.time[cur.back()];
      if (step == 0) {
        if (c.duplicates == "error")
          return Status::InvalidArgument(
              At(t, r) + ": duplicate timestamp " + FormatTimestamp(t.time[r]) +
              " (the same as the row before); choose --duplicates drop (keep the first row) or "
              "--duplicates keep");
        if (c.duplicates == "drop") {
          ++rep->duplicates_dropped;
          continue;
        }
      }
      bool back = step < 0;  // only left with --order segment
      bool gap = c.max_gap > 0 && step > c.max_gap;
      if (back || gap) {
        rep->time_breaks += back;
        rep->gap_breaks += gap;
        out->push_back(std::move(cur));
        cur.clear();
      }
    }
    cur.push_back(r);
  }
  if (!cur.empty()) out->push_back(std::move(cur));
  return Status::Ok();
}

// Cuts a time-ordered run at recording boundaries: the table's (blank line, group change) and
// every cuts.rows rows or cuts.seconds seconds from the run's (or recording's) first row.
void CutRecordings(const Table& t, const RecordingCuts& cuts, std::vector<int64_t> run,
                   std::vector<std::vector<int64_t>>* out, CleanReport* rep) {
  std::vector<int64_t> cur;
  for (int64_t r : run) {
    if (!cur.empty()) {
      bool cut = t.boundary[r] != 0;
      bool by_size = cuts.rows > 0 && static_cast<int64_t>(cur.size()) >= cuts.rows;
      if (cuts.seconds > 0 && !t.time.empty())
        by_size = by_size || t.time[r] - t.time[cur.front()] >= cuts.seconds * (1 - 1e-9);
      rep->recording_cuts += by_size && !cut;
      if (cut || by_size) {
        out->push_back(std::move(cur));
        cur.clear();
      }
    }
    cur.push_back(r);
  }
  if (!cur.empty()) out->push_back(std::move(cur));
}

// Keeps the rows whose flag is set.
void Compact(Segment& s, const std::vector<uint8_t>& keep) {
  size_t w = 0;
  for (size_t i = 0; i < s.rows.size(); ++i) {
    if (!keep[i]) continue;
    s.rows[w] = s.rows[i];
    for (auto& col : s.cols) col[w] = col[i];
    ++w;
  }
  s.rows.resize(w);
  for (auto& col : s.cols) col.resize(w);
}

// Runs a causal step over the segment's rows in order (the same Push the online pipeline calls).
template <typename PushFn>
int64_t RunRows(Segment& s, PushFn push) {
  const size_t nc = s.cols.size();
  std::vector<double> row(nc);
  std::vector<uint8_t> keep(s.rows.size(), 1);
  int64_t dropped = 0;
  for (size_t i = 0; i < s.rows.size(); ++i) {
    for (size_t c = 0; c < nc; ++c) row[c] = s.cols[c][i];
    keep[i] = push(row.data());
    for (size_t c = 0; c < nc; ++c) s.cols[c][i] = row[c];
    dropped += !keep[i];
  }
  if (dropped) Compact(s, keep);
  return dropped;
}

Status CleanSegment(const Table& t, const PipelineSpec& spec, Segment& s, CleanReport* rep) {
  const CleanOptions& c = spec.clean;
  const int nc = static_cast<int>(s.cols.size());
  ClipStep clip(spec.clip_lo, spec.clip_hi, c.clip_mode == "missing");
  RunRows(s, [&](double* v) {
    clip.Push(v);
    return true;
  });
  rep->clipped += clip.clipped;
  StuckStep stuck(nc, c.stuck_rows, c.stuck);
  rep->rows_dropped += RunRows(s, [&](double* v) { return stuck.Push(v); });
  rep->stuck_values += stuck.stuck_values;
  if (c.spikes == "hampel") {
    if (c.hampel_mode == "centered") {
      rep->spikes_replaced +=
          HampelCentered(s.cols, c.hampel_window, c.hampel_threshold, spec.hampel_min_scale);
    } else {
      HampelCausalStep h(nc, c.hampel_window, c.hampel_threshold, spec.hampel_min_scale);
      RunRows(s, [&](double* v) {
        h.Push(v);
        return true;
      });
      rep->spikes_replaced += h.replaced;
    }
  }
  if (c.missing == "error") {
    for (int k = 0; k < nc; ++k) {
      for (size_t i = 0; i < s.rows.size(); ++i) {
        if (!std::isnan(s.cols[k][i])) continue;
        int64_t r = s.rows[i];
        std::string where = std::isnan(t.cols[k][r]) && !t.first_missing[k].empty()
                                ? t.first_missing[k]
                                : At(t, r) + ": a value made missing by cleaning (clip/stuck)";
        return Status::InvalidArgument(
            where + " in column '" + spec.columns[k] +
            "'; choose what to do with missing values: --missing drop (drop the rows), "
            "interpolate (linear in time) or hold (repeat the last value)");
      }
    }
  } else if (c.missing == "interpolate") {
    std::vector<double> times;
    if (!t.time.empty())
      for (int64_t r : s.rows) times.push_back(t.time[r]);
    rep->missing_filled += InterpolateMissing(s.cols, times);
    std::vector<uint8_t> keep(s.rows.size(), 1);
    bool any = false;
    for (size_t i = 0; i < s.rows.size(); ++i)
      for (int k = 0; k < nc; ++k)
        if (std::isnan(s.cols[k][i])) keep[i] = 0, any = true;
    if (any) {  // a column with no value at all in this segment
      rep->rows_dropped += static_cast<int64_t>(std::count(keep.begin(), keep.end(), 0));
      Compact(s, keep);
    }
  } else {
    MissingStep m(nc, c.missing == "hold");
    rep->rows_dropped += RunRows(s, [&](double* v) { return m.Push(v); });
    rep->missing_filled += m.filled;
  }
  s.time.clear();
  if (!t.time.empty())
    for (int64_t r : s.rows) s.time.push_back(t.time[r]);
  if (c.resample > 0 && !s.rows.empty()) {
    // The same Resampler the online pipeline runs, row by row.
    Resampler rs(nc, c.resample, c.resample_method == "linear");
    Segment g;
    g.file = s.file;
    g.test = s.test;
    g.cols.resize(static_cast<size_t>(nc));
    std::vector<double> row(static_cast<size_t>(nc));
    for (size_t i = 0; i < s.rows.size(); ++i) {
      for (int k = 0; k < nc; ++k) row[k] = s.cols[k][i];
      rs.Push(s.time[i], row.data(), [&](double at, const double* v, bool from_new_row) {
        g.time.push_back(at);
        g.rows.push_back(s.rows[from_new_row ? i : i - 1]);
        for (int k = 0; k < nc; ++k) g.cols[k].push_back(v[k]);
      });
    }
    rep->resampled_rows += static_cast<int64_t>(g.rows.size());
    s = std::move(g);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Segment>> BuildSegments(const Table& t, int nfeatures, const PipelineSpec& spec,
                                           CleanReport* rep, const RecordingCuts& cuts) {
  std::vector<Segment> segs;
  int64_t begin = 0;
  for (size_t f = 0; f < t.files.size(); ++f) {
    std::vector<int64_t> rows;
    while (begin < t.rows() && t.file[begin] == static_cast<int32_t>(f)) rows.push_back(begin++);
    std::vector<std::vector<int64_t>> ordered, runs;
    EMLKIT_RETURN_IF_ERROR(OrderFile(t, spec.clean, std::move(rows), &ordered, rep));
    for (auto& run : ordered) CutRecordings(t, cuts, std::move(run), &runs, rep);
    for (auto& run : runs) {
      Segment s;
      s.file = static_cast<int32_t>(f);
      if (!t.group.empty() && !run.empty()) s.group = t.group[run.front()];
      s.test = t.files[f].test;
      s.rows = std::move(run);
      s.cols.resize(static_cast<size_t>(nfeatures));
      for (int k = 0; k < nfeatures; ++k)
        for (int64_t r : s.rows) s.cols[k].push_back(t.cols[k][r]);
      EMLKIT_RETURN_IF_ERROR(CleanSegment(t, spec, s, rep));
      if (!s.rows.empty()) segs.push_back(std::move(s));
    }
  }
  if (rep->duplicates_dropped)
    rep->notes.push_back(std::to_string(rep->duplicates_dropped) +
                         " rows with a duplicate timestamp dropped");
  if (rep->time_breaks)
    rep->notes.push_back(std::to_string(rep->time_breaks) +
                         " places where time goes back: new segment");
  if (rep->gap_breaks)
    rep->notes.push_back(std::to_string(rep->gap_breaks) +
                         " gaps longer than max_gap: new segment");
  if (t.blank_breaks)
    rep->notes.push_back(std::to_string(t.blank_breaks) + " blank lines: new recording");
  if (t.group_breaks)
    rep->notes.push_back(std::to_string(t.group_breaks) +
                         " changes of the group column: new "
                         "recording");
  if (rep->recording_cuts)
    rep->notes.push_back(std::to_string(rep->recording_cuts) +
                         " recordings started by --segment-rows / --segment");
  if (rep->sorted_files)
    rep->notes.push_back(std::to_string(rep->sorted_files) + " file(s) sorted by time");
  if (rep->clipped) rep->notes.push_back(std::to_string(rep->clipped) + " values clipped");
  if (rep->stuck_values)
    rep->notes.push_back(std::to_string(rep->stuck_values) + " stuck values (" + spec.clean.stuck +
                         ")");
  if (rep->spikes_replaced)
    rep->notes.push_back(std::to_string(rep->spikes_replaced) +
                         " spikes replaced by the Hampel median");
  if (rep->missing_filled)
    rep->notes.push_back(std::to_string(rep->missing_filled) + " missing values filled (" +
                         spec.clean.missing + ")");
  if (rep->resampled_rows)
    rep->notes.push_back(std::to_string(rep->resampled_rows) + " rows on the " +
                         Seconds(spec.clean.resample) + " s grid (" + spec.clean.resample_method +
                         ")");
  if (rep->rows_dropped)
    rep->notes.push_back(std::to_string(rep->rows_dropped) + " rows dropped by cleaning");
  return segs;
}

}  // namespace emlkit::data
