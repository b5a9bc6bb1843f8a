#include "collect/live_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <span>

#include "common/fs.h"
#include "data/preprocessor.h"
#include "tflite/metadata.h"
#include "tflite/model.h"
#include "tflite/runner.h"

namespace emlkit::collect {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

struct LiveModel::Impl {
  Impl(data::Preprocessor p, tflite::Runner r) : pre(std::move(p)), runner(std::move(r)) {}
  data::Preprocessor pre;
  tflite::Runner runner;
  std::string path;
  std::vector<std::string> target_names;  // regression
  double threshold = 0;                   // anomaly
  std::vector<int> source;                // model column -> stream column
  std::vector<double> raw;
  std::vector<float> records;
};

LiveModel::LiveModel() = default;
LiveModel::LiveModel(LiveModel&&) noexcept = default;
LiveModel& LiveModel::operator=(LiveModel&&) noexcept = default;
LiveModel::~LiveModel() = default;

Result<LiveModel> LiveModel::Open(const std::string& path, bool every_row) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model model, tflite::ReadModel(bytes.data(), bytes.size(), path));
  EMLKIT_ASSIGN_OR_RETURN(std::optional<nlohmann::json> found,
                          tflite::GetEmlkitMetadata(model, path));
  if (!found)
    return Status::InvalidArgument(
        path +
        ": no 'emlkit' metadata, so the preprocessing the model expects is unknown; "
        "monitor needs a model made by emlkit train (or prune/quantize of one)");
  const nlohmann::json& meta = *found;
  LiveModel m;
  m.task_ = meta.value("task", "");
  if (m.task_ != "classification" && m.task_ != "regression" && m.task_ != "anomaly")
    return Status::InvalidArgument(path + ": unknown task '" + m.task_ + "' in the metadata");
  if (auto it = meta.find("labels"); it != meta.end() && it->is_array())
    for (const auto& l : *it)
      if (l.is_string()) m.labels_.push_back(l.get<std::string>());
  if (m.task_ == "classification" && m.labels_.size() < 2)
    return Status::InvalidArgument(path + ": the metadata has no 'labels' (class names)");
  nlohmann::json pre_meta = meta;
  if (every_row) {
    nlohmann::json* w = nullptr;
    if (auto p = pre_meta.find("preprocessing"); p != pre_meta.end() && p->is_object())
      if (auto q = p->find("pipeline"); q != p->end() && q->is_object())
        if (auto r = q->find("window"); r != q->end() && r->is_object()) w = &*r;
    if (w != nullptr && w->contains("stride")) (*w)["stride"] = 1;
  }
  EMLKIT_ASSIGN_OR_RETURN(data::Preprocessor pre,
                          data::Preprocessor::FromModelMetadata(pre_meta, path));
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner runner, tflite::Runner::FromBytes(std::move(bytes), path));
  if (runner.num_inputs() != 1 || runner.num_outputs() != 1)
    return Status::Unsupported(path + ": monitor runs models with one input and one output");
  int64_t in_elems = 1;
  for (int64_t d : runner.input(0).shape) in_elems *= d;
  if (in_elems != pre.record_size())
    return Status::InvalidArgument(fmt::format(
        "{}: the input tensor holds {} values but the preprocessing makes records of {}", path,
        in_elems, pre.record_size()));
  m.impl_ = std::make_unique<Impl>(std::move(pre), std::move(runner));
  m.impl_->path = path;
  if (m.task_ == "regression") {
    if (auto o = meta.find("outputs"); o != meta.end() && o->contains("names"))
      for (const auto& n : (*o)["names"])
        if (n.is_string()) m.impl_->target_names.push_back(n.get<std::string>());
  }
  if (m.task_ == "anomaly") {
    auto a = meta.find("anomaly");
    if (a == meta.end() || !a->contains("threshold") || !(*a)["threshold"].is_number())
      return Status::InvalidArgument(path +
                                     ": an anomaly model without 'anomaly.threshold' in "
                                     "its metadata");
    m.impl_->threshold = (*a)["threshold"].get<double>();
  }
  return m;
}

const std::vector<std::string>& LiveModel::columns() const { return impl_->pre.columns(); }
const std::string& LiveModel::timestamp_column() const { return impl_->pre.spec().timestamp; }

Status LiveModel::BindColumns(const std::vector<std::string>& stream, const std::string& what) {
  impl_->source.clear();
  std::vector<std::string> missing;
  for (const std::string& c : columns()) {
    int found = -1;
    for (size_t i = 0; i < stream.size(); ++i)
      if (Lower(stream[i]) == Lower(c)) found = static_cast<int>(i);
    if (found < 0) missing.push_back(c);
    impl_->source.push_back(found);
  }
  if (!missing.empty())
    return Status::InvalidArgument(fmt::format(
        "{} has no column {} that {} needs (it has: {}); name the columns as in training "
        "(a header line from the board, or --columns)",
        what, fmt::join(missing, ", "), impl_->path, fmt::join(stream, ", ")));
  impl_->raw.assign(columns().size(), 0.0);
  return Status::Ok();
}

void LiveModel::ResetStream() {
  impl_->pre.Reset();
  (void)impl_->runner.ResetState();
}

Status LiveModel::Push(double t, const std::vector<double>& row, std::vector<LivePrediction>* out) {
  Impl& m = *impl_;
  for (size_t i = 0; i < m.source.size(); ++i) m.raw[i] = row[static_cast<size_t>(m.source[i])];
  m.records.clear();
  int n = m.pre.PushAll(t, m.raw.data(), &m.records);
  const int64_t rs = m.pre.record_size();
  for (int k = 0; k < n; ++k) {
    std::span<const float> rec(m.records.data() + k * rs, static_cast<size_t>(rs));
    EMLKIT_RETURN_IF_ERROR(m.runner.SetInputFloat(0, rec));
    EMLKIT_RETURN_IF_ERROR(m.runner.Invoke());
    std::vector<float> y = m.runner.OutputFloat(0);
    LivePrediction p;
    if (task_ == "classification") {
      std::vector<double> prob(y.begin(), y.end());
      if (prob.size() == 1 && labels_.size() == 2) prob = {1.0 - prob[0], prob[0]};
      size_t best = static_cast<size_t>(std::max_element(prob.begin(), prob.end()) - prob.begin());
      p.label = static_cast<int>(best);
      std::string name = best < labels_.size() ? labels_[best] : std::to_string(best);
      p.text = fmt::format("{} {:.2f}", name, prob[best]);
      std::vector<std::string> others;
      nlohmann::json probs = nlohmann::json::object();
      for (size_t c = 0; c < prob.size(); ++c) {
        std::string cn = c < labels_.size() ? labels_[c] : std::to_string(c);
        probs[cn] = prob[c];
        if (c != best) others.push_back(fmt::format("{} {:.2f}", cn, prob[c]));
      }
      if (!others.empty()) p.text += fmt::format(" ({})", fmt::join(others, ", "));
      p.json = {{"label", name}, {"confidence", prob[best]}, {"probabilities", probs}};
    } else if (task_ == "regression") {
      std::vector<std::string> parts;
      nlohmann::json values = nlohmann::json::object();
      for (size_t j = 0; j < y.size(); ++j) {
        std::string n2 = j < m.target_names.size() ? m.target_names[j] : fmt::format("y{}", j);
        parts.push_back(fmt::format("{} {:.6g}", n2, y[j]));
        values[n2] = y[j];
      }
      p.text = fmt::format("{}", fmt::join(parts, ", "));
      p.json = {{"values", values}};
    } else {
      double score = y.empty() ? 0.0 : y[0];
      bool anomaly = score > m.threshold;
      p.label = anomaly ? 1 : 0;
      p.text = fmt::format("score {:.6g} (threshold {:.6g}) {}", score, m.threshold,
                           anomaly ? "ANOMALY" : "normal");
      p.json = {{"score", score}, {"threshold", m.threshold}, {"anomaly", anomaly}};
    }
    out->push_back(std::move(p));
  }
  return Status::Ok();
}

}  // namespace emlkit::collect
