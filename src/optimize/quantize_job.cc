#include "optimize/quantize_job.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "common/progress.h"
#include "data/dataset.h"
#include "optimize/calibration.h"
#include "optimize/figures.h"
#include "optimize/qat.h"
#include "optimize/records.h"
#include "optimize/trainable.h"
#include "tflite/metadata.h"
#include "tflite/runner.h"
#include "train/evaluate.h"
#include "train/fit.h"

namespace emlkit::optimize {
namespace {

std::string DefaultReportSplit(const data::Dataset& ds) {
  return ds.test.size() > 0 ? "test" : ds.val.size() > 0 ? "val" : "train";
}

// The agreement of the first output (share of records with the same predicted class), when it
// has two or more values.
std::optional<double> Agreement(const ModelComparison& c) {
  if (c.outputs.empty() || !c.outputs[0].has_argmax || c.records == 0) return std::nullopt;
  return static_cast<double>(c.outputs[0].argmax_agree) / static_cast<double>(c.records);
}

// The task metrics of both models' outputs on the report records (data sets only).
void ScoreBoth(const data::Dataset& ds, const RecordSet& report, const nlohmann::json& meta,
               QuantizeResult* r) {
  if (r->comparison.outputs.size() != 1) return;
  const int width = static_cast<int>(r->comparison.outputs[0].width);
  data::Split split{report.inputs[0], report.y};
  std::optional<double> threshold;
  if (meta.is_object() && meta.contains("anomaly") && meta["anomaly"].contains("threshold")) {
    threshold = meta["anomaly"]["threshold"].get<double>();
  }
  if (ds.info.task == "anomaly" && width != 1) return;
  r->float_metrics =
      train::ScoreOutputs(ds.info, r->comparison.ref_outputs[0].data(), width, split, threshold);
  r->int8_metrics =
      train::ScoreOutputs(ds.info, r->comparison.test_outputs[0].data(), width, split, threshold);
}

nlohmann::json MetadataSection(const QuantizeJobOptions& o, const QuantizeResult& r,
                               const std::string& calib_split, const std::string& report_split) {
  nlohmann::json q;
  q["method"] = o.qat_epochs > 0 ? "quantization_aware_training" : "post_training";
  if (o.qat_epochs > 0) q["qat_epochs"] = r.qat_epochs_run;
  q["calibration"] = {
      {"records", r.calibration_records},
      {"split", calib_split.empty() ? nlohmann::json() : nlohmann::json(calib_split)},
      {"range", RangeMethodName(o.range.method)},
      {"seed", o.seed}};
  if (o.range.method == RangeMethod::kPercentile)
    q["calibration"]["percentile"] = o.range.percentile;
  q["weights"] = o.quant.per_channel ? "per_channel" : "per_tensor";
  q["io"] = o.quant.float_io ? "float32" : "int8";
  nlohmann::json outs = nlohmann::json::array();
  for (const OutputComparison& out : r.comparison.outputs) {
    nlohmann::json e;
    e["name"] = out.name;
    e["sqnr_db"] =
        std::isfinite(out.error.sqnr_db) ? nlohmann::json(out.error.sqnr_db) : nlohmann::json();
    if (out.has_argmax) {
      e["agreement"] =
          static_cast<double>(out.argmax_agree) / static_cast<double>(r.comparison.records);
    }
    outs.push_back(e);
  }
  q["report"] = {{"split", report_split.empty() ? nlohmann::json() : nlohmann::json(report_split)},
                 {"records", r.comparison.records},
                 {"outputs", outs}};
  if (!r.float_metrics.is_null()) {
    for (const char* key : {"accuracy", "mae", "auc"}) {
      if (!r.float_metrics.contains(key)) continue;
      q["report"]["float_" + std::string(key)] = r.float_metrics[key];
      q["report"]["int8_" + std::string(key)] = r.int8_metrics[key];
    }
  }
  return q;
}

}  // namespace

Result<QuantizeResult> RunQuantizeJob(const QuantizeJobOptions& o) {
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model float_model, tflite::ReadModelFile(o.model));
  EMLKIT_RETURN_IF_ERROR(CheckQuantizable(float_model, o.model));
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner reference, tflite::Runner::Open(o.model));
  if (o.calib.empty()) {
    return Status::InvalidArgument("no calibration records: give --calib DIR or --calib X.npy");
  }
  if (o.calib_records < 1)
    return Status::InvalidArgument(
        fmt::format("--calib-records {}: give at least 1 (ideally hundreds)", o.calib_records));
  const bool from_dataset = o.calib.size() == 1 && IsDatasetFolder(o.calib[0]);
  if (o.qat_epochs > 0 && !from_dataset) {
    return Status::InvalidArgument(
        "--qat-epochs trains the model: give its data set folder as --calib (not .npy files)");
  }

  // Calibration records (and the data set, which also gives the report's records and labels).
  std::optional<data::Dataset> ds;
  RecordSet calib;
  std::string calib_split, report_split;
  QuantizeResult r;
  EMLKIT_ASSIGN_OR_RETURN(std::optional<nlohmann::json> float_meta,
                          tflite::GetEmlkitMetadata(float_model, o.model));
  if (from_dataset) {
    EMLKIT_ASSIGN_OR_RETURN(ds, data::LoadDataset(o.calib[0]));
    if (float_meta && float_meta->value("task", ds->info.task) != ds->info.task) {
      return Status::InvalidArgument(fmt::format(
          "{} was trained for {} but {} holds a {} data set: calibrate with the model's own data",
          o.model, float_meta->value("task", ""), o.calib[0], ds->info.task));
    }
    if (float_meta && float_meta->contains("preprocessing") &&
        !train::SamePreprocessing((*float_meta)["preprocessing"], ds->info.json_text)) {
      r.warnings.push_back(o.calib[0] +
                           "'s dataset.json differs from the one the model was trained with (its "
                           "'preprocessing' metadata): calibration and report may not mean much");
    }
    calib_split = o.calib_split;
    EMLKIT_ASSIGN_OR_RETURN(calib, RecordsFromSplits(*ds, calib_split, o.calib[0], reference));
  } else {
    EMLKIT_ASSIGN_OR_RETURN(calib, RecordsFromNpy(o.calib, reference));
  }
  RecordSet sample = SampleRecords(calib, o.calib_records, o.seed);
  if (sample.records() < kMinCalibrationRecords) {
    r.warnings.push_back(fmt::format(
        "calibrating on only {} record{} ({}); under {} the activation ranges may clip values "
        "the model meets later. Use more records{}",
        sample.records(), sample.records() == 1 ? "" : "s", calib.description,
        kMinCalibrationRecords,
        from_dataset && calib_split == "train" ? " (--calib-split train,val adds the validation "
                                                 "split)"
                                               : ""));
  }

  // The float model to quantize: the original, or its quantization-aware fine-tuned version.
  tflite::Model to_quantize = float_model;
  std::optional<tflite::Runner> tuned;
  if (o.qat_epochs > 0) {
    EMLKIT_ASSIGN_OR_RETURN(train::FittedModel m, ImportTrainedModel(float_model, o.model));
    EMLKIT_RETURN_IF_ERROR(CheckDatasetFits(m, *ds, o.model, o.calib[0]).status());
    QatOptions qat;
    qat.epochs = o.qat_epochs;
    qat.per_channel = o.quant.per_channel;
    qat.seed = o.seed;
    EMLKIT_ASSIGN_OR_RETURN(train::LoopResult loop, QuantizationAwareTraining(m, *ds, qat));
    r.qat_epochs_run = static_cast<int>(loop.history.size());
    EMLKIT_ASSIGN_OR_RETURN(to_quantize, ExportFineTuned(m, float_model, "quantization", {}));
    EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> tuned_bytes, tflite::WriteModel(to_quantize));
    EMLKIT_ASSIGN_OR_RETURN(tuned, tflite::Runner::FromBytes(tuned_bytes, o.model + " (QAT)"));
  }
  tflite::Runner& calib_runner = tuned ? *tuned : reference;

  r.calibration = sample.description;
  r.calibration_records = sample.records();
  const bool histograms = o.range.method != RangeMethod::kMinMax;
  ActivationStats stats;
  {
    Progress progress("calibrate", sample.records() * (histograms ? 2 : 1), o.progress);
    EMLKIT_ASSIGN_OR_RETURN(
        stats, CollectActivationStats(calib_runner, sample.inputs, histograms, &progress));
  }
  ActivationRanges ranges;
  for (const auto& [tensor, s] : stats) ranges[tensor] = ChooseRange(s, o.range);
  // A plain double (not std::optional): gcc 12 warns "maybe uninitialized" through optional.
  const std::optional<double> found = float_meta ? AnomalyThreshold(*float_meta) : std::nullopt;
  const bool has_threshold = found.has_value();
  const double threshold = found.value_or(0.0);
  if (has_threshold) r.threshold_note = WidenForThreshold(to_quantize, threshold, &ranges);
  EMLKIT_ASSIGN_OR_RETURN(r.model, QuantizeModel(to_quantize, ranges, o.quant, o.model));
  if (has_threshold && !(MaxRepresentableOutput(r.model) > threshold)) {
    return Status::Internal(fmt::format(
        "{}: the int8 model's output reaches at most {:.6g}, not above the anomaly threshold "
        "{:.6g}, so it could never flag; no model written (an emlkit bug; please report it)",
        o.model, MaxRepresentableOutput(r.model), threshold));
  }
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, tflite::WriteModel(r.model));
  auto int8_runner =
      tflite::Runner::FromBytes(bytes, o.out_name.empty() ? o.model + " (int8)" : o.out_name);
  if (!int8_runner.ok()) {
    return Status::Internal(
        "the quantized model does not prepare in emlkit's runtime (an emlkit "
        "bug; please report it): " +
        int8_runner.status().message());
  }

  // The report: the original float model and the int8 model on the report records.
  RecordSet report = sample;
  if (ds) {
    report_split = o.report_split.empty() ? DefaultReportSplit(*ds) : o.report_split;
    EMLKIT_ASSIGN_OR_RETURN(report, RecordsFromSplit(*ds, report_split, o.calib[0], reference));
  }
  r.report_on = report.description;
  {
    Progress progress("compare", report.records(), o.progress);
    EMLKIT_ASSIGN_OR_RETURN(r.comparison,
                            CompareModels(reference, *int8_runner, report.inputs, &progress));
  }
  if (has_threshold && r.comparison.ref_outputs.size() == 1 &&
      r.comparison.ref_outputs[0].size() == static_cast<size_t>(r.comparison.records)) {
    const bool labelled =
        report.y.dtype() == DType::kInt32 && report.y.num_elements() == r.comparison.records;
    r.flags = CompareFlags(r.comparison.ref_outputs[0].data(), r.comparison.test_outputs[0].data(),
                           labelled ? report.y.data<int32_t>() : nullptr, r.comparison.records,
                           threshold);
    r.flags->int8_max_score = MaxRepresentableOutput(r.model);
    if (1.0 - r.flags->agreement > o.max_flag_disagreement) {
      return Status::InvalidArgument(fmt::format(
          "{}: the int8 model flags {} of {} report records ({}) differently from the float model "
          "({:.2f} %, more than --max-flag-disagreement {:.2f} %); no model written. Try --method "
          "mse, --qat-epochs 5, or a --threshold further from the normal scores; "
          "--max-flag-disagreement 1 writes it anyway",
          o.model, r.flags->disagree, r.flags->records, r.report_on,
          100.0 * (1.0 - r.flags->agreement), 100.0 * o.max_flag_disagreement));
    }
  }
  EMLKIT_ASSIGN_OR_RETURN(std::optional<nlohmann::json> md,
                          tflite::GetEmlkitMetadata(r.model, o.model));
  nlohmann::json meta = md ? *md : nlohmann::json();
  if (ds) {
    r.task = ds->info.task;
    ScoreBoth(*ds, report, meta, &r);
  } else if (meta.is_object() && meta.contains("task")) {
    r.task = meta["task"].get<std::string>();
  }
  if (meta.is_object()) {
    meta["quantization"] = MetadataSection(o, r, calib_split, report_split);
    tflite::SetEmlkitMetadata(&r.model, meta);
    EMLKIT_ASSIGN_OR_RETURN(bytes, tflite::WriteModel(r.model));
  }
  r.bytes = std::move(bytes);
  r.float_bytes = reference.model_bytes();
  r.int8_bytes = r.bytes.size();
  r.float_constant_bytes = ConstantBytes(float_model);
  r.int8_constant_bytes = ConstantBytes(r.model);
  r.float_arena = reference.arena_bytes();
  r.int8_arena = int8_runner->arena_bytes();
  return r;
}

nlohmann::json QuantizeReportJson(const QuantizeResult& r) {
  nlohmann::json j;
  j["calibration"] = r.calibration;
  j["calibration_records"] = r.calibration_records;
  j["report_on"] = r.report_on;
  j["task"] = r.task.empty() ? nlohmann::json() : nlohmann::json(r.task);
  j["float"] = r.float_metrics;
  j["int8"] = r.int8_metrics;
  const std::optional<double> agree = Agreement(r.comparison);
  j["agreement"] = agree ? nlohmann::json(*agree) : nlohmann::json();
  j["sizes"] = {{"float_constant_bytes", r.float_constant_bytes},
                {"int8_constant_bytes", r.int8_constant_bytes},
                {"float_model_bytes", r.float_bytes},
                {"int8_model_bytes", r.int8_bytes},
                {"float_arena_bytes", r.float_arena},
                {"int8_arena_bytes", r.int8_arena}};
  j["comparison"] = ComparisonJson(r.comparison);
  j["qat_epochs"] = r.qat_epochs_run;
  if (r.flags) j["anomaly_flags"] = FlagComparisonJson(*r.flags);
  if (!r.threshold_note.empty()) j["threshold_note"] = r.threshold_note;
  j["warnings"] = r.warnings;
  return j;
}

std::string QuantizeReportText(const QuantizeResult& r) {
  std::string s;
  if (r.qat_epochs_run > 0) {
    s += fmt::format("quantization-aware training: {} epochs\n", r.qat_epochs_run);
  }
  s += fmt::format("calibrated on {}\n", r.calibration);
  s += fmt::format("report on {}: {} records\n\n", r.report_on, r.comparison.records);
  if (!r.float_metrics.is_null()) {
    s += fmt::format("{:<12} {:>12} {:>12} {:>12}\n", "", "float", "int8", "change");
    for (const char* key : {"accuracy", "macro_f1", "auc", "mae", "rmse", "r2"}) {
      if (!r.float_metrics.contains(key) || !r.int8_metrics.contains(key)) continue;
      const double f = r.float_metrics[key].get<double>(), q = r.int8_metrics[key].get<double>();
      s += fmt::format("{:<12} {:>12.6g} {:>12.6g} {:>+12.4g}\n", key, f, q, q - f);
    }
  }
  if (const std::optional<double> agree = Agreement(r.comparison)) {
    s += fmt::format("agreement    {:.2f} % of records get the same class from both models\n",
                     100.0 * *agree);
  }
  s += fmt::format(
      "weights      {} -> {} bytes of constant data ({:.1f}x smaller); model file {} -> {} bytes "
      "(with metadata); arena {} -> {} bytes\n\n",
      r.float_constant_bytes, r.int8_constant_bytes,
      r.int8_constant_bytes > 0
          ? static_cast<double>(r.float_constant_bytes) / static_cast<double>(r.int8_constant_bytes)
          : 0.0,
      r.float_bytes, r.int8_bytes, r.float_arena, r.int8_arena);
  if (r.flags) s += FlagComparisonText(*r.flags) + "\n";
  if (!r.threshold_note.empty()) s += "note: " + r.threshold_note + "\n\n";
  s += ComparisonText(r.comparison);
  for (const std::string& w : r.warnings) s += "warning: " + w + "\n";
  return s;
}

}  // namespace emlkit::optimize
