#include "collect/recorder.h"

#include <fmt/format.h>

#include <cmath>
#include <ctime>

#include "collect/line_format.h"

namespace emlkit::collect {

void LineAssembler::Feed(const char* data, size_t size, double t, std::vector<ArrivedLine>* out) {
  for (size_t i = 0; i < size; ++i) {
    char c = data[i];
    if (c == '\n') {
      if (drop_first_) {
        drop_first_ = false;
        if (!pending_.empty()) ++dropped_;
      } else {
        out->push_back({pending_, t});
      }
      pending_.clear();
    } else if (pending_.size() < 4096) {  // a runaway line (no newline) is cut, not grown
      pending_ += c;
    }
  }
}

void LineAssembler::Reset(bool drop_first) {
  pending_.clear();
  drop_first_ = drop_first;
}

Recorder::Recorder(RecorderOptions options) : o_(std::move(options)) {
  names_ = o_.columns;
  recording_ = o_.first_recording - 1;
}

void Recorder::NewRecording() { new_recording_ = true; }

std::string Recorder::HeaderLine() const {
  std::string h = "timestamp,recording";
  if (!o_.label.empty()) h += ",label";
  for (const std::string& n : names_) h += "," + n;
  return h + "\n";
}

void Recorder::OnLines(const std::vector<ArrivedLine>& lines, double wall_offset,
                       std::string* csv) {
  // Samples that arrived in one read are spaced back from the read's time by the period.
  int64_t pending_samples = 0;
  for (const ArrivedLine& l : lines) {
    ParsedLine p = ParseLine(l.text);
    if (p.kind == ParsedLine::Kind::kValues) ++pending_samples;
  }
  double period = rate_.period_s();
  for (const ArrivedLine& l : lines) {
    ParsedLine p = ParseLine(l.text);
    if (samples_ == 0 && first_text_.size() < 200) first_text_ += l.text + "\n";
    switch (p.kind) {
      case ParsedLine::Kind::kEmpty:
        break;
      case ParsedLine::Kind::kHeader:
        if (!names_.empty() && p.names == names_) {
          ++header_lines_;
        } else if (names_.empty()) {
          header_seen_ = p.names;
          ++header_lines_;
        } else {
          ++malformed_;
          if (examples_.size() < 3) examples_.push_back(Printable(l.text));
        }
        break;
      case ParsedLine::Kind::kMalformed:
        ++malformed_;
        if (examples_.size() < 3) examples_.push_back(Printable(l.text));
        break;
      case ParsedLine::Kind::kValues: {
        if (names_.empty()) {
          if (header_seen_.size() == p.values.size()) {
            names_ = header_seen_;
          } else {
            for (size_t i = 0; i < p.values.size(); ++i)
              names_.push_back(fmt::format("value{}", i));
          }
        }
        --pending_samples;
        if (p.values.size() != names_.size()) {
          ++malformed_;
          if (examples_.size() < 3)
            examples_.push_back(fmt::format("{} ({} values, not {})", Printable(l.text),
                                            p.values.size(), names_.size()));
          break;
        }
        double spacing = period > 0 ? period : 1e-6;
        double t_row = l.t - static_cast<double>(pending_samples) * spacing;
        Sample(p.values, l.t, t_row, wall_offset, csv);
        break;
      }
    }
  }
}

void Recorder::Sample(const std::vector<double>& values, double t_mono, double t_row,
                      double wall_offset, std::string* csv) {
  if (!new_recording_ &&
      ((o_.segment_samples > 0 && in_recording_ >= o_.segment_samples) ||
       (o_.segment_seconds > 0 && t_row - recording_start_ >= o_.segment_seconds)))
    new_recording_ = true;
  if (new_recording_) {
    new_recording_ = false;
    ++recording_;
    ++recordings_;
    in_recording_ = 0;
    recording_start_ = t_row;
  }
  rate_.Add(t_mono);
  if (t_row <= last_row_t_) t_row = last_row_t_ + 1e-6;
  last_row_t_ = t_row;
  std::string row = FormatLocalMicros(t_row + wall_offset);
  row += fmt::format(",{}", recording_);
  if (!o_.label.empty()) row += "," + o_.label;
  for (double v : values) {
    row += ',';
    if (!std::isnan(v)) row += fmt::format("{}", v);
  }
  row += '\n';
  *csv += row;
  ++samples_;
  ++in_recording_;
}

std::string FormatLocalMicros(double wall_seconds) {
  double whole = std::floor(wall_seconds);
  auto micros = static_cast<int64_t>(std::llround((wall_seconds - whole) * 1e6));
  auto secs = static_cast<time_t>(whole);
  if (micros >= 1000000) {
    micros -= 1000000;
    ++secs;
  }
  std::tm tm{};
  localtime_r(&secs, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}.{:06d}", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

}  // namespace emlkit::collect
