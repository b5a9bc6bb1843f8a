// The `emlkit` metadata document of a trained model (docs/model-metadata.md).
#include <nlohmann/json.hpp>

#include "common/version.h"
#include "train/export.h"

namespace emlkit::train {
namespace {

int64_t ParameterCount(const FittedModel& m) {
  if (m.kmeans) return static_cast<int64_t>(m.kmeans->centroids.size());
  return m.net ? static_cast<int64_t>(m.net->weights().size()) : 0;
}

// Regression target names: dataset.json's target.column (or label.column), else "target".
std::vector<std::string> TargetNames(const FittedModel& m) {
  std::string base = m.info.label_column.empty() ? "target" : m.info.label_column;
  nlohmann::json ds = nlohmann::json::parse(m.info.json_text, nullptr, false);
  if (ds.is_object() && ds.contains("target") && ds["target"].is_object() &&
      ds["target"].contains("column") && ds["target"]["column"].is_string())
    base = ds["target"]["column"].get<std::string>();
  if (m.output_width == 1) return {base};
  std::vector<std::string> names;
  for (int j = 0; j < m.output_width; ++j) names.push_back(base + "[" + std::to_string(j) + "]");
  return names;
}

nlohmann::json TrainingSection(const FittedModel& m) {
  const TrainOptions& o = m.options;
  nlohmann::json opts = TrainOptionsToJson(o);
  const std::string& task = m.info.task;
  nlohmann::json t;
  if (m.kmeans) {
    opts = {{"anomaly_model", "kmeans"}, {"clusters", o.clusters}, {"seed", o.loop.seed}};
    t["kmeans_iterations"] = m.kmeans->iterations;
  } else {
    opts["loss"] = task == "classification" ? "cross_entropy"
                   : o.loss_set             ? LossName(o.loss)
                                            : "mse";
    if (o.loss_set && o.loss == LossKind::kHuber)
      opts["huber_delta"] = static_cast<double>(o.huber_delta);
    if (task == "classification") {
      opts["class_weights"] = o.class_weighting == ClassWeighting::kNone ? nlohmann::json("none")
                              : o.class_weighting == ClassWeighting::kBalanced
                                  ? nlohmann::json("balanced")
                                  : nlohmann::json(o.class_weights);
    }
    if (task == "anomaly") opts["anomaly_model"] = "autoencoder";
    t["architecture"] = FormatLayers(m.specs);
    t["epochs_run"] = m.loop.history.size();
    t["best_epoch"] = m.loop.best_epoch;
    t["stop_reason"] = StopReasonName(m.loop.reason);
  }
  if (task == "anomaly") {
    opts["threshold"] = ThresholdSpecText(o.threshold, o.threshold_param);
    opts["threshold_split"] = o.threshold_split;
    opts["percentile"] = o.percentile;
  }
  t["options"] = opts;
  t["parameters"] = ParameterCount(m);
  t["metrics"] = m.metrics;
  return t;
}

}  // namespace

nlohmann::json ModelMetadata(const FittedModel& m) {
  using nlohmann::json;
  const std::string& task = m.info.task;
  json j = {{"format", "emlkit-model"},
            {"version", 1},
            {"emlkit_version", kVersion},
            {"task", task},
            {"feature_names", m.info.feature_names},
            {"input_shape", m.info.record_shape}};
  json pre = json::parse(m.info.json_text, nullptr, /*allow_exceptions=*/false);
  j["preprocessing"] = pre.is_discarded() ? json(m.info.json_text) : pre;
  if (task != "regression") j["labels"] = m.info.label_names;
  if (task == "classification") {
    j["outputs"] = {{"tensor", "probabilities"},
                    {"meaning", "probability of each class, in the order of 'labels'"}};
  } else if (task == "regression") {
    j["outputs"] = {{"tensor", "prediction"},
                    {"names", TargetNames(m)},
                    {"target_mean", m.target_mean},
                    {"target_std", m.target_std},
                    {"scaling", "in_graph"},
                    {"meaning",
                     "targets in their own units: the network was trained on (y - target_mean) / "
                     "target_std and the last layer undoes it; do not apply it again"}};
  } else {
    j["outputs"] = {{"tensor", "anomaly_score"},
                    {"meaning",
                     "the anomaly score (see 'anomaly'); an anomaly when score > "
                     "anomaly.threshold"}};
    json a;
    a["model"] = m.kmeans ? "kmeans" : "autoencoder";
    a["score"] = "output";
    a["score_definition"] =
        m.kmeans ? "min over clusters c of sum_j (x_j - c_j)^2 / F, F input features, computed in "
                   "the graph"
                 : "sum_j (x_j - reconstruction_j)^2 / F over the F input features, computed in "
                   "the graph";
    if (m.threshold) {
      a["threshold"] = m.threshold->threshold;
      const ThresholdChoice& c = *m.threshold;
      a["threshold_rule"] = c.rule;
      if (c.method == ThresholdMethod::kBestF1) a["threshold_f1"] = c.f1;
      if (c.method == ThresholdMethod::kPercentile) a["threshold_percentile"] = c.percentile;
      a["threshold_basis"] = {{"split", m.threshold_split},
                              {"records", c.records},
                              {"score_min", c.score_min},
                              {"score_median", c.score_median},
                              {"score_max", c.score_max}};
      a["threshold_warnings"] = c.warnings;
    }
    if (m.kmeans) a["clusters"] = m.kmeans->k;
    j["anomaly"] = a;
  }
  j["training"] = TrainingSection(m);
  return j;
}

}  // namespace emlkit::train
