#include "data/column_profile.h"

#include <algorithm>
#include <cmath>

namespace emlkit::data {
namespace {

constexpr size_t kTopExamples = 64;
constexpr double kSpikeFactor = 10.0;
constexpr double kStepQuantile = 0.95;
constexpr int64_t kMinStuckRows = 30;
constexpr double kStuckFactor = 10.0;

// A round full-scale value of a sensor or converter (see column_profile.h).
bool IsFullScale(double v) {
  v = std::fabs(v);
  for (int k = 0; k <= 24; ++k) {
    const double p = std::ldexp(1.0, k);
    if ((k >= 1 && v == p) || (k >= 7 && v == p - 1) || v == 125 * p) return true;
  }
  return false;
}

}  // namespace

// ---- time -------------------------------------------------------------------------------

void TimeProfile::Add(double t, const CellPlace& at) {
  if (count == 0) {
    first = min = max = t;
  }
  ++count;
  last = t;
  min = std::min(min, t);
  max = std::max(max, t);
  if (has_prev_) {
    double step = t - prev_;
    if (step > 0) {
      int64_t ms = std::llround(step * 1000.0);
      if (ms == last_step_ms_ && last_step_count_) {
        ++*last_step_count_;
      } else if (median_exact) {
        if (steps_ms_.size() >= kMaxDistinctSteps && !steps_ms_.count(ms)) {
          median_exact = false;
          last_step_count_ = nullptr;
        } else {
          last_step_ms_ = ms;
          last_step_count_ = &steps_ms_[ms];
          ++*last_step_count_;
        }
      }
      step_hist_.Add(step);
      if (step > largest_step) {
        largest_step = step;
        largest_step_line = at.line;
      }
    } else if (step == 0) {
      if (duplicates++ < static_cast<int64_t>(kMaxExamples)) duplicate_lines.push_back(at.line);
    } else {
      if (out_of_order++ < static_cast<int64_t>(kMaxExamples)) {
        out_of_order_lines.push_back(at.line);
        out_of_order_steps.push_back(step);
      }
    }
  }
  has_prev_ = true;
  prev_ = t;
}

void TimeProfile::Finish() {
  if (step_hist_.total() == 0) return;
  if (median_exact) {
    std::vector<std::pair<int64_t, int64_t>> v(steps_ms_.begin(), steps_ms_.end());
    std::sort(v.begin(), v.end());
    int64_t total = 0;
    for (auto& [ms, c] : v) total += c;
    int64_t half = (total + 1) / 2, seen = 0;
    for (auto& [ms, c] : v) {
      seen += c;
      if (seen >= half) {
        median_step = static_cast<double>(ms) / 1000.0;
        break;
      }
    }
    gap_threshold = 2 * median_step;
    int64_t thr_ms = std::llround(gap_threshold * 1000.0);
    for (auto& [ms, c] : v)
      if (ms > thr_ms) gaps += c;
  } else {
    int b = step_hist_.QuantileBucket(0.5);
    median_step = LogHistogram::LowerEdge(b);
    gap_threshold = 2 * median_step;
    gaps = step_hist_.CountFrom(LogHistogram::Bucket(gap_threshold) + 1);
  }
}

// ---- columns ----------------------------------------------------------------------------

void ColumnProfile::Add(CellKind kind, double value, std::string_view text, const CellPlace& at) {
  ++rows;
  int k = static_cast<int>(kind);
  if (kind_counts[k]++ == 0) first_of_kind[k] = at;
  switch (kind) {
    case CellKind::kInteger:
    case CellKind::kNumber:
    case CellKind::kBool: {
      if (n == 0) {
        shift_ = value;
        min = max = value;
      }
      ++n;
      double d = value - shift_;
      sum_ += d;
      sumsq_ += d * d;
      min = std::min(min, value);
      max = std::max(max, value);
      for (ExtremeInfo* e : {&lo_, &hi_}) {
        const bool beyond = e->rows == 0 || (e == &lo_ ? value < e->value : value > e->value);
        if (beyond) *e = ExtremeInfo{value, 0, at.line, 0, 0, e == &hi_};
        if (value == e->value) ++e->rows;
      }
      if (!distinct_overflow) {
        auto it = distinct_numbers.find(value);
        if (it != distinct_numbers.end()) {
          ++it->second;
        } else if (distinct_numbers.size() < kMaxDistinct) {
          distinct_numbers.emplace(value, 1);
        } else {
          distinct_overflow = true;
        }
      }
      // Sequence: steps, spikes (local extremes), runs.
      if (seq_ >= 1) {
        double step = value - b_;
        steps_.Add(step);
        ++steps_seen_;
        zero_steps_ += step == 0;
        if (seq_ >= 2) {
          double d1 = b_ - a_;
          if ((d1 > 0 && step < 0) || (d1 < 0 && step > 0)) {
            double jump = std::min(std::fabs(d1), std::fabs(step));
            jumps_.Add(jump);
            if (top_spikes_.size() < kTopExamples || jump > top_spikes_.front().jump)
              NoteSpike(b_, jump, b_line_);
          }
        }
        if (value == run_.value) {
          ++run_.rows;
          run_.last_line = at.line;
        } else {
          CloseRun();
        }
      }
      if (seq_ == 0 || value != run_.value) {
        run_ = RunInfo{value, 1, at.line, at.line};
      }
      a_ = b_;
      b_ = value;
      b_line_ = at.line;
      if (seq_ < 2) ++seq_;
      break;
    }
    case CellKind::kText:
      if (first_text.empty()) first_text = std::string(text.substr(0, 40));
      if (!distinct_overflow) {
        auto it = distinct_texts.find(text);
        if (it != distinct_texts.end()) {
          ++it->second;
        } else if (distinct_texts.size() < kMaxDistinct) {
          distinct_texts.emplace(std::string(text), 1);
        } else {
          distinct_overflow = true;
        }
      }
      break;
    case CellKind::kTimestamp:
      time.Add(value, at);
      break;
    case CellKind::kMissing:
    case CellKind::kNonFinite:
      // A gap breaks the sequence: no spike or run spans it.
      if (seq_ > 0) CloseRun();
      seq_ = 0;
      break;
  }
}

void ColumnProfile::NoteSpike(double value, double jump, int64_t line) {
  auto cmp = [](const SpikeInfo& x, const SpikeInfo& y) { return x.jump > y.jump; };
  if (top_spikes_.size() < kTopExamples) {
    top_spikes_.push_back({value, jump, line});
    std::push_heap(top_spikes_.begin(), top_spikes_.end(), cmp);
  } else if (jump > top_spikes_.front().jump) {
    std::pop_heap(top_spikes_.begin(), top_spikes_.end(), cmp);
    top_spikes_.back() = {value, jump, line};
    std::push_heap(top_spikes_.begin(), top_spikes_.end(), cmp);
  }
}

void ColumnProfile::CloseRun() {
  if (run_.rows <= 0) return;
  runs_.Add(static_cast<double>(run_.rows));
  for (ExtremeInfo* e : {&lo_, &hi_})
    if (run_.value == e->value && run_.rows > e->longest_run) {
      e->longest_run = run_.rows;
      e->run_first_line = run_.first_line;
    }
  if (top_runs_.size() < kTopExamples || run_.rows > top_runs_.front().rows) NoteRun(run_);
  run_.rows = 0;
}

void ColumnProfile::NoteRun(const RunInfo& r) {
  auto cmp = [](const RunInfo& x, const RunInfo& y) { return x.rows > y.rows; };
  if (top_runs_.size() < kTopExamples) {
    top_runs_.push_back(r);
    std::push_heap(top_runs_.begin(), top_runs_.end(), cmp);
  } else if (r.rows > top_runs_.front().rows) {
    std::pop_heap(top_runs_.begin(), top_runs_.end(), cmp);
    top_runs_.back() = r;
    std::push_heap(top_runs_.begin(), top_runs_.end(), cmp);
  }
}

void ColumnProfile::Finish() {
  if (seq_ > 0) CloseRun();
  time.Finish();
  auto count = [&](CellKind k) { return kind_counts[static_cast<int>(k)]; };
  const int64_t ints = count(CellKind::kInteger), nums = count(CellKind::kNumber),
                bools = count(CellKind::kBool), stamps = count(CellKind::kTimestamp),
                texts = count(CellKind::kText);
  const int64_t present = ints + nums + bools + stamps + texts;
  if (n > 0) {
    double m = sum_ / static_cast<double>(n);
    mean = shift_ + m;
    double var = sumsq_ / static_cast<double>(n) - m * m;
    std = var > 0 ? std::sqrt(var) : 0;
  }
  // The type is the largest group of present cells; the others are invalid for it.
  int64_t numeric = ints + nums;
  bool zero_one = !distinct_overflow && !distinct_numbers.empty() &&
                  std::all_of(distinct_numbers.begin(), distinct_numbers.end(),
                              [](const auto& kv) { return kv.first == 0 || kv.first == 1; });
  if (present == 0) {
    type = "empty";
  } else if (stamps >= numeric + bools && stamps >= texts) {
    type = "timestamp";
    invalid = present - stamps;
  } else if (texts > numeric + bools) {
    type = "text";
    invalid = present - texts;
  } else if (bools > 0 && numeric == 0) {
    type = "boolean";
    invalid = stamps + texts;
  } else if (nums == 0 && ints > 0 && zero_one) {
    type = "boolean";
    invalid = stamps + texts;
  } else {
    type = nums == 0 ? "integer" : "number";
    invalid = stamps + texts + bools;
  }
  if (invalid > 0) {
    // Name the first offending kind (text first: the usual culprit).
    for (CellKind k : {CellKind::kText, CellKind::kTimestamp, CellKind::kNumber, CellKind::kInteger,
                       CellKind::kBool}) {
      if (count(k) == 0) continue;
      std::string kn = CellKindName(k);
      bool fits = (type == "number" && (k == CellKind::kNumber || k == CellKind::kInteger)) ||
                  (type == "integer" && k == CellKind::kInteger) ||
                  (type == "boolean" && (k == CellKind::kBool || k == CellKind::kInteger)) ||
                  (type == "timestamp" && k == CellKind::kTimestamp) ||
                  (type == "text" && k == CellKind::kText);
      if (!fits) {
        invalid_kind = k;
        break;
      }
    }
  }
  const size_t distinct = type == "text" ? distinct_texts.size() : distinct_numbers.size();
  label_like = !distinct_overflow && distinct >= 1 && distinct <= 20 &&
               (type == "boolean" || type == "integer" || type == "text") &&
               static_cast<int64_t>(distinct) * 5 <= present;

  analysed = (type == "number" || type == "integer") && !label_like && n >= 3;
  if (!analysed) return;
  // Spikes.
  int qb = steps_.QuantileBucket(kStepQuantile);
  double typical = LogHistogram::LowerEdge(qb);
  if (typical == 0) {  // most steps are 0: use the smallest non-zero step
    for (int b = 1; b < LogHistogram::kBuckets; ++b) {
      if (steps_.count(b) > 0) {
        typical = LogHistogram::LowerEdge(b);
        break;
      }
    }
  }
  if (typical > 0) {
    int tb = LogHistogram::Bucket(kSpikeFactor * typical);
    spike_threshold = LogHistogram::LowerEdge(tb);
    spikes = jumps_.CountFrom(tb);
    std::sort(top_spikes_.begin(), top_spikes_.end(),
              [](const SpikeInfo& x, const SpikeInfo& y) { return x.jump > y.jump; });
    for (const SpikeInfo& s : top_spikes_)
      if (s.jump >= spike_threshold && spike_examples.size() < 5) spike_examples.push_back(s);
  }
  // Stuck runs.
  int rb = runs_.QuantileBucket(0.99);
  double usual = std::max(1.0, LogHistogram::LowerEdge(rb + 1));
  double raw = std::max<double>(kMinStuckRows, kStuckFactor * usual);
  int sb = LogHistogram::Bucket(raw);
  stuck_threshold = static_cast<int64_t>(std::ceil(LogHistogram::LowerEdge(sb)));
  stuck_runs = runs_.CountFrom(sb);
  std::sort(top_runs_.begin(), top_runs_.end(),
            [](const RunInfo& x, const RunInfo& y) { return x.rows > y.rows; });
  for (const RunInfo& r : top_runs_)
    if (r.rows >= stuck_threshold && longest_runs.size() < 5) longest_runs.push_back(r);
  // Saturation at the min or max.
  const bool lively = zero_steps_ * 5 < steps_seen_;  // changes on more than 80 % of steps
  for (const ExtremeInfo* e : {&lo_, &hi_}) {
    if (e->value == 0 || lo_.value == hi_.value) continue;
    const bool held = lively && e->longest_run >= 3;
    const bool full_scale = e->rows >= std::max<int64_t>(3, n / 100) && IsFullScale(e->value);
    if (held || full_scale) saturation.push_back(*e);
  }
}

}  // namespace emlkit::data
