#include "train/evaluate.h"

#include <cstdio>
#include <optional>

#include "tflite/model.h"
#include "tflite/runner.h"
#include "train/fit.h"

namespace emlkit::train {
namespace {

std::string Num(double v, const char* fmt = "%.4f") {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string PadRight(const std::string& s, size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

// The model's emlkit metadata, or null for models emlkit did not write.
nlohmann::json ReadMetadata(const std::string& path) {
  auto model = tflite::ReadModelFile(path);
  if (!model.ok()) return nullptr;
  auto text = model->GetMetadata("emlkit");
  if (!text) return nullptr;
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  return j.is_object() ? j : nlohmann::json();
}

}  // namespace

Result<EvalReport> EvaluateModel(const std::string& model_path, const data::Dataset& ds,
                                 const std::string& split_name) {
  const data::Split& split = ds.split(split_name);
  if (split.size() == 0)
    return Status::InvalidArgument("the " + split_name +
                                   " split of the data set is empty; "
                                   "choose another with --split");
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner runner, tflite::Runner::Open(model_path));
  EvalReport r;
  r.model = model_path;
  r.split = split_name;
  r.n = split.size();
  nlohmann::json meta = ReadMetadata(model_path);
  r.task = ds.info.task;
  if (meta.is_object() && meta.contains("task") && meta["task"] != ds.info.task)
    return Status::InvalidArgument(model_path + ": the model was trained for " +
                                   meta["task"].get<std::string>() + " but the data set is " +
                                   ds.info.task);
  if (runner.num_inputs() != 1 || runner.num_outputs() != 1)
    return Status::Unsupported(model_path +
                               ": evaluation needs one input and one output tensor, "
                               "the model has " +
                               std::to_string(runner.num_inputs()) + " and " +
                               std::to_string(runner.num_outputs()));
  const tflite::RunnerTensor& in = runner.input(0);
  r.input_type = in.type;
  const int64_t per = split.x.record_elements();
  int64_t in_elements = 1;
  for (int64_t d : in.shape) in_elements *= d;
  if (in_elements != per)
    return Status::InvalidArgument(model_path + ": input tensor '" + in.name + "' takes " +
                                   std::to_string(in_elements) + " values but a record of the " +
                                   "data set has " + std::to_string(per));
  int64_t width = 1;
  for (int64_t d : runner.output(0).shape) width *= d;
  const int64_t want = ds.info.task == "classification"
                           ? static_cast<int64_t>(ds.info.label_names.size())
                       : ds.info.task == "regression" ? split.y.record_elements()
                                                      : 1;
  if (width != want)
    return Status::InvalidArgument(model_path + ": output tensor '" + runner.output(0).name +
                                   "' has " + std::to_string(width) + " values but the " +
                                   ds.info.task + " data set needs " + std::to_string(want));
  if (meta.is_object() && meta.contains("preprocessing") &&
      !SamePreprocessing(meta["preprocessing"], ds.info.json_text))
    r.warnings.push_back(
        "the data set's dataset.json differs from the one the model was "
        "trained with (its 'preprocessing' metadata): metrics may not mean much");

  std::vector<float> outputs(static_cast<size_t>(r.n * width));
  for (int64_t i = 0; i < r.n; ++i) {
    std::span<const float> rec(split.x.data<float>() + i * per, static_cast<size_t>(per));
    EMLKIT_RETURN_IF_ERROR(runner.SetInputFloat(0, rec));
    EMLKIT_RETURN_IF_ERROR(runner.Invoke());
    std::vector<float> out = runner.OutputFloat(0);
    std::copy(out.begin(), out.end(), outputs.begin() + i * width);
  }
  std::optional<double> threshold;
  if (ds.info.task == "anomaly") {
    if (meta.is_object() && meta.contains("anomaly") && meta["anomaly"].contains("threshold"))
      threshold = meta["anomaly"]["threshold"].get<double>();
    else
      r.warnings.push_back("the model records no anomaly threshold: metrics at threshold 0");
  }
  r.metrics = ScoreOutputs(ds.info, outputs.data(), static_cast<int>(width), split, threshold);
  if (r.metrics.contains("classes_without_support"))
    for (const auto& c : r.metrics["classes_without_support"])
      r.warnings.push_back("class '" + c.get<std::string>() + "' has no record in the " +
                           split_name +
                           " split: its recall and F1 are undefined (shown as -) and left out "
                           "of macro F1; re-prepare the data set so every split holds every class "
                           "(--split group)");
  return r;
}

bool SamePreprocessing(const nlohmann::json& pre, const std::string& dataset_json) {
  const nlohmann::json ds = nlohmann::json::parse(dataset_json, nullptr, false);
  if (!pre.is_object() || !ds.is_object()) return false;
  for (const char* key : {"task", "pipeline", "record_shape", "feature_names"})
    if (pre.value(key, nlohmann::json()) != ds.value(key, nlohmann::json())) return false;
  return true;
}

nlohmann::json EvalReportJson(const EvalReport& r) {
  nlohmann::json j = r.metrics;
  j["model"] = r.model;
  j["input_type"] = r.input_type;
  j["task"] = r.task;
  j["split"] = r.split;
  j["n"] = r.n;
  j["metrics"] = r.metrics;
  if (!r.warnings.empty()) j["warnings"] = r.warnings;
  return j;
}

std::string FormatEvalReports(const std::vector<EvalReport>& reports) {
  if (reports.empty()) return "";
  std::string s;
  const EvalReport& first = reports[0];
  s +=
      first.task + " on the " + first.split + " split, " + std::to_string(first.n) + " records\n\n";
  // Headline metrics side by side.
  std::vector<std::pair<std::string, std::string>> rows =
      first.task == "regression"
          ? std::vector<std::pair<std::string, std::string>>{{"MAE", "mae"},
                                                             {"RMSE", "rmse"},
                                                             {"R^2", "r2"}}
          : std::vector<std::pair<std::string, std::string>>{
                {"accuracy", "accuracy"}, {"macro F1", "macro_f1"}, {"ROC AUC", "auc"}};
  if (first.task == "anomaly") {
    rows.push_back({"threshold", "threshold"});
    rows.push_back({"window recall", "window_recall"});
    rows.push_back({"FP / 1000", "fp_per_1000"});
  }
  const size_t w0 = 12, w = 24;
  s += PadRight("", w0);
  for (const EvalReport& r : reports) s += PadRight(r.model + " (" + r.input_type + ")", w);
  s += "\n";
  for (const auto& [label, key] : rows) {
    s += PadRight(label, w0);
    for (const EvalReport& r : reports)
      s += PadRight(r.metrics.contains(key) && r.metrics[key].is_number()
                        ? Num(r.metrics[key].get<double>(), "%.6g")
                        : "-",
                    w);
    s += "\n";
  }
  if (first.task == "regression") return s;
  for (const EvalReport& r : reports) {
    if (reports.size() > 1) s += "\n" + r.model + ":";
    s += "\n" + PadRight("class", w0) + PadRight("precision", 11) + PadRight("recall", 11) +
         PadRight("F1", 11) + "support\n";
    for (const auto& c : r.metrics["per_class"]) {
      const bool none = c["support"].get<int64_t>() == 0;  // recall and F1 undefined
      s += PadRight(c["label"].get<std::string>(), w0) +
           PadRight(Num(c["precision"].get<double>()), 11) +
           PadRight(none ? "-" : Num(c["recall"].get<double>()), 11) +
           PadRight(none ? "-" : Num(c["f1"].get<double>()), 11) +
           std::to_string(c["support"].get<int64_t>()) + "\n";
    }
    s += "\nconfusion matrix (rows: true class, columns: predicted)\n" + PadRight("", w0);
    for (const auto& c : r.metrics["per_class"]) s += PadRight(c["label"].get<std::string>(), 9);
    s += "\n";
    size_t i = 0;
    for (const auto& row : r.metrics["confusion_matrix"]) {
      s += PadRight(r.metrics["per_class"][i++]["label"].get<std::string>(), w0);
      for (const auto& v : row) s += PadRight(std::to_string(v.get<int64_t>()), 9);
      s += "\n";
    }
  }
  for (const EvalReport& r : reports) {
    if (r.task != "anomaly" || !r.metrics.contains("first_flag_records")) continue;
    s += "\nlabelled windows (runs of anomaly records) of " + r.model + ": " +
         std::to_string(r.metrics["windows_found"].get<int64_t>()) + " of " +
         std::to_string(r.metrics["windows"].get<int64_t>()) + " flagged\n";
    int k = 0;
    for (const auto& f : r.metrics["first_flag_records"]) {
      const int64_t v = f.get<int64_t>();
      s += "  window " + std::to_string(++k) + ": " +
           (v < 0 ? std::string("never flagged")
                  : "first flag " + std::to_string(v) + " records after its start") +
           "\n";
    }
  }
  for (const EvalReport& r : reports)
    for (const std::string& warn : r.warnings) s += "\nwarning: " + r.model + ": " + warn + "\n";
  return s;
}

}  // namespace emlkit::train
