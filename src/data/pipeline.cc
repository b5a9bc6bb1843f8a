#include "data/pipeline.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "data/timestamp.h"

namespace emlkit::data {

using nlohmann::json;

void PipelineSpec::Finalize() {
  channels = columns;
  for (const std::string& f : time_features) {
    if (f == "tod") {
      channels.push_back("tod_sin");
      channels.push_back("tod_cos");
    } else if (f == "weekend") {
      channels.push_back("weekend");
    }
  }
  const int64_t c = static_cast<int64_t>(channels.size());
  feature_names.clear();
  if (window.size == 0) {
    record_shape = {c};
    feature_names = channels;
  } else if (window.mode == "raw") {
    record_shape = {window.size, c};
    for (int w = 0; w < window.size; ++w) {
      int back = window.size - 1 - w;
      for (const std::string& ch : channels)
        feature_names.push_back(ch + (back ? "[t-" + std::to_string(back) + "]" : "[t]"));
    }
  } else {
    record_shape = {c * static_cast<int64_t>(window.stats.size())};
    for (const std::string& ch : channels)
      for (const std::string& s : window.stats) feature_names.push_back(ch + "_" + s);
  }
}

int64_t PipelineSpec::record_size() const {
  int64_t n = 1;
  for (int64_t d : record_shape) n *= d;
  return n;
}

bool PipelineSpec::online_exact() const {
  return !(clean.spikes == "hampel" && clean.hampel_mode == "centered") &&
         clean.missing != "interpolate" && clean.order != "sort";
}

std::string PipelineSpec::row_counting_steps() const {
  std::vector<std::string> steps;
  if (window.size > 1) steps.push_back("windows of " + std::to_string(window.size) + " rows");
  if (clean.spikes == "hampel")
    steps.push_back("a Hampel window of " + std::to_string(clean.hampel_window) + " rows");
  if (clean.stuck_rows > 0 && clean.stuck != "report")
    steps.push_back("stuck runs of " + std::to_string(clean.stuck_rows) + " rows");
  std::string s;
  for (const std::string& step : steps) s += (s.empty() ? "" : ", ") + step;
  return s;
}

std::string PipelineSpec::online_note() const {
  std::string s;
  if (clean.spikes == "hampel" && clean.hampel_mode == "centered")
    s += "the centred Hampel filter needs future rows; online it runs causally (the window ends "
         "at the current row). ";
  if (clean.missing == "interpolate")
    s += "interpolation needs the next valid value; online a missing value holds the last one. ";
  if (clean.order == "sort")
    s += "rows were sorted by time; online a row earlier than the last starts a new segment. ";
  if (!s.empty()) s.pop_back();
  return s;
}

json PipelineToJson(const PipelineSpec& p) {
  json clip = json::object();
  for (size_t c = 0; c < p.columns.size(); ++c)
    if (std::isfinite(p.clip_lo[c]) || std::isfinite(p.clip_hi[c]))
      clip[p.columns[c]] = {p.clip_lo[c], p.clip_hi[c]};
  const CleanOptions& cl = p.clean;
  json j = {
      {"columns", p.columns},
      {"timestamp", p.timestamp.empty() ? json(nullptr) : json(p.timestamp)},
      {"clean",
       {{"clip", clip},
        {"clip_mode", cl.clip_mode},
        {"stuck_rows", cl.stuck_rows},
        {"stuck", cl.stuck},
        {"spikes", cl.spikes},
        {"hampel_window", cl.hampel_window},
        {"hampel_threshold", cl.hampel_threshold},
        {"hampel_mode", cl.hampel_mode},
        {"hampel_min_scale", p.hampel_min_scale},
        {"missing", cl.missing},
        {"duplicates", cl.duplicates},
        {"order", cl.order},
        {"max_gap", cl.max_gap},
        {"resample", cl.resample},
        {"resample_method", cl.resample_method}}},
      {"period_s", p.period_s > 0 ? json(p.period_s) : json(nullptr)},
      {"time_features", p.time_features},
      {"channels", p.channels},
      {"scaling", {{"method", p.scaling}, {"offset", p.offset}, {"scale", p.scale}}},
      {"window",
       {{"size", p.window.size},
        {"stride", p.window.stride},
        {"mode", p.window.mode},
        {"stats", p.window.stats},
        {"label", p.window.label}}},
      {"online_exact", p.online_exact()},
  };
  if (!p.online_exact()) j["online_note"] = p.online_note();
  return j;
}

Result<PipelineSpec> PipelineFromJson(const json& j, const std::string& name) {
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument(name + ": pipeline: " + what +
                                   " (see docs/dataset-json.md; re-run emlkit data prepare)");
  };
  try {
    PipelineSpec p;
    p.columns = j.at("columns").get<std::vector<std::string>>();
    if (p.columns.empty()) return bad("'columns' is empty");
    if (!j.at("timestamp").is_null()) p.timestamp = j.at("timestamp").get<std::string>();
    const json& c = j.at("clean");
    CleanOptions& cl = p.clean;
    cl.clip_mode = c.at("clip_mode").get<std::string>();
    cl.stuck_rows = c.at("stuck_rows").get<int>();
    cl.stuck = c.at("stuck").get<std::string>();
    cl.spikes = c.at("spikes").get<std::string>();
    cl.hampel_window = c.at("hampel_window").get<int>();
    cl.hampel_threshold = c.at("hampel_threshold").get<double>();
    cl.hampel_mode = c.at("hampel_mode").get<std::string>();
    p.hampel_min_scale = c.at("hampel_min_scale").get<std::vector<double>>();
    if (p.hampel_min_scale.size() != p.columns.size())
      return bad("'hampel_min_scale' needs one value per column");
    cl.missing = c.at("missing").get<std::string>();
    cl.duplicates = c.at("duplicates").get<std::string>();
    cl.order = c.at("order").get<std::string>();
    cl.max_gap = c.at("max_gap").get<double>();
    cl.resample = c.at("resample").get<double>();
    cl.resample_method = c.at("resample_method").get<std::string>();
    if (cl.resample < 0 || (cl.resample > 0 && p.timestamp.empty()))
      return bad("'resample' needs a timestamp column and a period >= 0");
    const double inf = std::numeric_limits<double>::infinity();
    p.clip_lo.assign(p.columns.size(), -inf);
    p.clip_hi.assign(p.columns.size(), inf);
    for (auto it = c.at("clip").begin(); it != c.at("clip").end(); ++it) {
      auto pos = std::find(p.columns.begin(), p.columns.end(), it.key());
      if (pos == p.columns.end()) return bad("clip range for unknown column '" + it.key() + "'");
      auto r = it.value().get<std::vector<double>>();
      if (r.size() != 2) return bad("clip range of '" + it.key() + "' must be [low, high]");
      p.clip_lo[static_cast<size_t>(pos - p.columns.begin())] = r[0];
      p.clip_hi[static_cast<size_t>(pos - p.columns.begin())] = r[1];
    }
    // Absent in data sets written before emlkit recorded it: unknown.
    if (j.contains("period_s") && !j.at("period_s").is_null()) {
      p.period_s = j.at("period_s").get<double>();
      if (!(p.period_s > 0)) return bad("'period_s' must be a positive number of seconds or null");
    }
    p.time_features = j.at("time_features").get<std::vector<std::string>>();
    for (const std::string& f : p.time_features)
      if (f != "tod" && f != "weekend") return bad("unknown time feature '" + f + "'");
    if (!p.time_features.empty() && p.timestamp.empty())
      return bad("time features without a timestamp column");
    const json& s = j.at("scaling");
    p.scaling = s.at("method").get<std::string>();
    p.offset = s.at("offset").get<std::vector<float>>();
    p.scale = s.at("scale").get<std::vector<float>>();
    const json& w = j.at("window");
    p.window.size = w.at("size").get<int>();
    p.window.stride = w.at("stride").get<int>();
    p.window.mode = w.at("mode").get<std::string>();
    p.window.stats = w.at("stats").get<std::vector<std::string>>();
    p.window.label = w.at("label").get<std::string>();
    if (p.window.size < 0 || (p.window.size > 0 && (p.window.stride < 1 || p.window.stats.empty())))
      return bad("bad window size/stride/stats");
    for (const std::string& st : p.window.stats)
      if (st != "mean" && st != "std" && st != "min" && st != "max" && st != "slope" &&
          st != "last" && st != "rms")
        return bad("unknown window statistic '" + st + "'");
    p.Finalize();
    if (p.offset.size() != p.channels.size() || p.scale.size() != p.channels.size())
      return bad("scaling needs one offset and one scale per channel (" +
                 std::to_string(p.channels.size()) + ")");
    return p;
  } catch (const json::exception& e) {
    return bad(std::string("missing or mistyped key: ") + e.what());
  }
}

void TimeFeatures(const std::vector<std::string>& which, double t, double* out) {
  constexpr double kTwoPi = 6.283185307179586476925;
  for (const std::string& f : which) {
    if (f == "tod") {
      double a = kTwoPi * SecondsOfDay(t) / 86400.0;
      *out++ = std::sin(a);
      *out++ = std::cos(a);
    } else if (f == "weekend") {
      *out++ = Weekday(t) >= 5 ? 1.0 : 0.0;
    }
  }
}

void ScaleRow(const PipelineSpec& spec, const double* channels, float* out) {
  for (size_t c = 0; c < spec.offset.size(); ++c) {
    float x = static_cast<float>(channels[c]);
    float d = x - spec.offset[c];
    out[c] = d * spec.scale[c];
  }
}

Windower::Windower(const PipelineSpec& spec)
    : spec_(spec),
      size_(spec.window.size),
      stride_(spec.window.stride),
      channels_(spec.num_channels()) {
  ring_.assign(static_cast<size_t>(std::max(size_, 1) * channels_), 0.0f);
  x_.resize(static_cast<size_t>(std::max(size_, 1)));
}

void Windower::Reset() { seen_ = 0; }

bool Windower::Push(const float* row, float* record) {
  if (size_ == 0) {
    std::copy(row, row + channels_, record);
    return true;
  }
  const int64_t slot = seen_ % size_;
  std::copy(row, row + channels_, ring_.begin() + slot * channels_);
  ++seen_;
  if (seen_ < size_ || (seen_ - size_) % stride_ != 0) return false;
  const int64_t oldest = seen_ % size_;  // ring slot of the window's first row
  if (spec_.window.mode == "raw") {
    for (int w = 0; w < size_; ++w) {
      const float* r = ring_.data() + ((oldest + w) % size_) * channels_;
      std::copy(r, r + channels_, record + static_cast<int64_t>(w) * channels_);
    }
    return true;
  }
  const float n = static_cast<float>(size_);
  const float ibar = static_cast<float>(size_ - 1) / 2.0f;
  const float sxx = n * (n * n - 1.0f) / 12.0f;
  float* out = record;
  for (int c = 0; c < channels_; ++c) {
    for (int w = 0; w < size_; ++w) x_[w] = ring_[((oldest + w) % size_) * channels_ + c];
    float sum = 0, sumsq = 0, mn = x_[0], mx = x_[0];
    for (int w = 0; w < size_; ++w) {
      sum += x_[w];
      sumsq += x_[w] * x_[w];
      mn = std::min(mn, x_[w]);
      mx = std::max(mx, x_[w]);
    }
    const float mean = sum / n;
    float var = 0, sxy = 0;
    for (int w = 0; w < size_; ++w) {
      const float d = x_[w] - mean;
      var += d * d;
      sxy += (static_cast<float>(w) - ibar) * d;
    }
    for (const std::string& s : spec_.window.stats) {
      if (s == "mean")
        *out++ = mean;
      else if (s == "std")
        *out++ = std::sqrt(var / n);
      else if (s == "min")
        *out++ = mn;
      else if (s == "max")
        *out++ = mx;
      else if (s == "last")
        *out++ = x_[size_ - 1];
      else if (s == "rms")
        *out++ = std::sqrt(sumsq / n);
      else if (s == "slope")
        *out++ = size_ > 1 ? sxy / sxx : 0.0f;
    }
  }
  return true;
}

}  // namespace emlkit::data
