#include "train/train_job.h"

#include <cmath>
#include <cstdio>

#include "common/fs.h"
#include "common/progress.h"
#include "data/split_checks.h"
#include "tflite/model.h"
#include "train/cross_validation.h"
#include "train/export.h"

namespace emlkit::train {
namespace {

std::string Fmt(const char* fmt, double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// Name of the per-epoch metric: accuracy for classification, MAE otherwise.
const char* MetricName(const std::string& task) { return task == "classification" ? "acc" : "mae"; }

std::string EpochLine(const EpochStats& s, int epochs, const std::string& task) {
  const char* metric = MetricName(task);
  std::string line = "epoch " + std::to_string(s.epoch) + "/" + std::to_string(epochs) + "  loss " +
                     Fmt("%.4f", s.train_loss) + "  " + metric + " " + Fmt("%.4f", s.train_metric);
  if (!std::isnan(s.val_loss))
    line += "  val_loss " + Fmt("%.4f", s.val_loss) + "  val_" + metric + " " +
            Fmt("%.4f", s.val_metric);
  line += "  lr " + Fmt("%.3g", s.lr) + "  " + Fmt("%.0f", s.seconds * 1e3) + " ms";
  if (s.best) line += "  *";
  return line;
}

nlohmann::json EpochJson(const EpochStats& s, const std::string& task) {
  const std::string metric = task == "classification" ? "accuracy" : "mae";
  nlohmann::json j = {{"event", "epoch"},
                      {"epoch", s.epoch},
                      {"train_loss", s.train_loss},
                      {"train_" + metric, s.train_metric},
                      {"lr", AsDecimal(s.lr)},
                      {"seconds", s.seconds},
                      {"best", s.best}};
  if (!std::isnan(s.val_loss)) {
    j["val_loss"] = s.val_loss;
    j["val_" + metric] = s.val_metric;
  }
  return j;
}

std::string Headline(const FittedModel& m) {
  const nlohmann::json& t = m.metrics.contains("test") ? m.metrics["test"] : m.metrics["val"];
  const std::string where = m.metrics.contains("test") ? "test" : "validation";
  if (!t.is_object()) return "";
  if (m.info.task == "regression")
    return where + ": MAE " + Fmt("%.4g", t["mae"].get<double>()) + ", RMSE " +
           Fmt("%.4g", t["rmse"].get<double>()) + ", R^2 " + Fmt("%.4f", t["r2"].get<double>());
  std::string s = where + ": accuracy " + Fmt("%.4f", t["accuracy"].get<double>());
  if (t.contains("auc")) s += ", ROC AUC " + Fmt("%.4f", t["auc"].get<double>());
  return s;
}

}  // namespace

std::string LastEpochHint(const FittedModel& m) {
  if (m.kmeans || m.loop.history.empty() || m.loop.reason != StopReason::kEpochs) return "";
  const int last = m.loop.history.back().epoch;
  if (m.loop.best_epoch != last) return "";
  return "the best epoch is the last one (" + std::to_string(last) +
         "): the model was still improving when the epoch limit stopped it; try more epochs, "
         "e.g. --epochs " +
         std::to_string(2 * last);
}

std::string DefaultLogPath(const std::string& out_path) {
  const std::string ext = ".tflite";
  std::string stem = out_path;
  if (stem.size() > ext.size() && stem.compare(stem.size() - ext.size(), ext.size(), ext) == 0)
    stem.resize(stem.size() - ext.size());
  return stem + ".train.jsonl";
}

Status RunTrainJob(const TrainJob& job, TrainJobResult* result) {
  result->model_path = job.out_path;
  result->log_path = job.log_path.empty() ? DefaultLogPath(job.out_path) : job.log_path;
  // Everything that can be checked is checked before training starts.
  EMLKIT_RETURN_IF_ERROR(CheckWritableFile(job.out_path));
  EMLKIT_RETURN_IF_ERROR(CheckWritableFile(result->log_path));
  EMLKIT_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(job.data_dir));
  std::vector<std::string> warnings;
  EMLKIT_RETURN_IF_ERROR(data::CheckDatasetSplits(
      ds, "prepare the data set again (emlkit data prepare names the cause and what to change)",
      &warnings));
  if (job.progress)
    for (const std::string& w : warnings) std::fprintf(job.progress, "warning: %s\n", w.c_str());

  if (job.options.cv > 0) {
    EMLKIT_ASSIGN_OR_RETURN(CvResult cv,
                            CrossValidate(ds, job.options, job.options.cv, job.progress));
    result->cv = CvResultJson(cv);
    if (job.progress) {
      for (const std::string& w : cv.warnings)
        std::fprintf(job.progress, "warning: %s\n", w.c_str());
      std::fprintf(job.progress,
                   "cv: %s %.4f +- %.4f (mean +- std over %d folds); now training on "
                   "train, early stopping on validation\n",
                   cv.metric.c_str(), cv.mean, cv.spread, job.options.cv);
    }
  }
  std::string log =
      nlohmann::json(
          {{"event", "start"},
           {"data", job.data_dir},
           {"task", ds.info.task},
           {"records",
            {{"train", ds.train.size()}, {"val", ds.val.size()}, {"test", ds.test.size()}}},
           {"options", TrainOptionsToJson(job.options)}})
          .dump() +
      "\n";
  if (!result->cv.is_null())
    log += nlohmann::json({{"event", "cv"}, {"cv", result->cv}}).dump() + "\n";
  Progress progress("train", job.options.loop.epochs, job.progress);
  LoopCallbacks cb;
  cb.on_epoch = [&](const EpochStats& s) {
    log += EpochJson(s, ds.info.task).dump() + "\n";
    if (job.quiet) return;
    std::string line = EpochLine(s, job.options.loop.epochs, ds.info.task);
    if (progress.tty())
      progress.Update(s.epoch, line);
    else
      progress.Line(line);
  };
  cb.stop_requested = [] { return InterruptRequested(); };
  EMLKIT_ASSIGN_OR_RETURN(FittedModel fitted, Fit(ds, job.options, cb));
  progress.Finish();
  result->fitted.emplace(std::move(fitted));
  const FittedModel& m = *result->fitted;

  const bool trained = m.kmeans.has_value() || m.loop.best_epoch > 0;
  if (trained) {
    EMLKIT_ASSIGN_OR_RETURN(tflite::Model model, ExportModel(m));
    EMLKIT_RETURN_IF_ERROR(tflite::WriteModelFile(job.out_path, model));
    result->wrote_model = true;
  }
  log += nlohmann::json({{"event", "end"},
                         {"stop_reason", m.kmeans ? "kmeans" : StopReasonName(m.loop.reason)},
                         {"best_epoch", m.loop.best_epoch},
                         {"architecture", FormatLayers(m.specs)},
                         {"model_written", result->wrote_model},
                         {"metrics", m.metrics}})
             .dump() +
         "\n";
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(result->log_path, log));

  if (m.loop.reason == StopReason::kDiverged) {
    std::string kept = trained ? "wrote the model of epoch " + std::to_string(m.loop.best_epoch) +
                                     " (the best before it diverged) to " + job.out_path
                               : "no model was written";
    return Status::Failed("training diverged at epoch " + std::to_string(m.loop.diverged_epoch) +
                          " (the loss became NaN or infinite); " + kept +
                          ". Try a lower learning rate, e.g. --lr " +
                          Fmt("%g", job.options.loop.lr / 10));
  }
  if (job.progress) {
    std::string how = m.kmeans ? "k-means, " + std::to_string(m.kmeans->k) + " clusters"
                               : std::to_string(m.loop.history.size()) + " epochs (" +
                                     StopReasonName(m.loop.reason) + "), best epoch " +
                                     std::to_string(m.loop.best_epoch);
    const std::string shown = job.shown_out.empty() ? job.out_path : job.shown_out;
    const std::string shown_log =
        job.shown_out.empty() ? result->log_path : DefaultLogPath(job.shown_out);
    std::fprintf(job.progress, "trained %s; %s\nwrote %s and %s\n", how.c_str(),
                 Headline(m).c_str(), shown.c_str(), shown_log.c_str());
    const std::string hint = LastEpochHint(m);
    if (!hint.empty()) std::fprintf(job.progress, "note: %s\n", hint.c_str());
    if (m.threshold) {
      std::fprintf(job.progress, "anomaly threshold %.6g (%s on %lld %s records)\n",
                   m.threshold->threshold, m.threshold->rule.c_str(),
                   static_cast<long long>(m.threshold->records), m.threshold_split.c_str());
      for (const std::string& w : m.threshold->warnings)
        std::fprintf(job.progress, "warning: %s\n", w.c_str());
    }
  }
  if (m.loop.reason == StopReason::kInterrupted)
    return Status::Cancelled("interrupted after epoch " +
                             std::to_string(m.loop.history.back().epoch) +
                             "; wrote the best model so far (epoch " +
                             std::to_string(m.loop.best_epoch) + ") to " + job.out_path);
  return Status::Ok();
}

nlohmann::json TrainSummaryJson(const TrainJobResult& r) {
  nlohmann::json j = {
      {"model", r.model_path}, {"log", r.log_path}, {"model_written", r.wrote_model}};
  if (!r.fitted) return j;
  const FittedModel& m = *r.fitted;
  j["task"] = m.info.task;
  j["architecture"] = FormatLayers(m.specs);
  j["epochs_run"] = m.loop.history.size();
  j["best_epoch"] = m.loop.best_epoch;
  j["stop_reason"] = m.kmeans ? "kmeans" : StopReasonName(m.loop.reason);
  j["parameters"] = m.net ? static_cast<int64_t>(m.net->weights().size())
                          : static_cast<int64_t>(m.kmeans->centroids.size());
  j["metrics"] = m.metrics;
  if (!r.cv.is_null()) j["cv"] = r.cv;
  if (m.threshold) {
    j["anomaly_threshold"] = m.threshold->threshold;
    j["anomaly_threshold_rule"] = m.threshold->rule;
    j["warnings"] = m.threshold->warnings;
  }
  return j;
}

}  // namespace emlkit::train
