#include "optimize/prune_job.h"

#include <fmt/format.h>

#include <cmath>

#include "common/progress.h"
#include "data/dataset.h"
#include "optimize/figures.h"
#include "optimize/prune_internal.h"
#include "optimize/trainable.h"
#include "tflite/op_cost.h"
#include "train/export.h"

namespace emlkit::optimize {
namespace {

Status CheckOptions(const PruneJobOptions& o) {
  if (o.mode == PruneMode::kStructured && !(o.target_macs > 0.0 && o.target_macs <= 1.0)) {
    return Status::InvalidArgument(fmt::format(
        "--target-macs {}: give the fraction of MACs to keep, in (0, 1]", o.target_macs));
  }
  if (o.mode == PruneMode::kMagnitude && !(o.sparsity > 0.0 && o.sparsity < 1.0)) {
    return Status::InvalidArgument(fmt::format(
        "--sparsity {}: give the fraction of weights to zero, in (0, 1), e.g. 0.8", o.sparsity));
  }
  if (!(o.max_drop >= 0.0)) {
    return Status::InvalidArgument(
        fmt::format("--max-drop {}: give the points of validation accuracy the pruning may cost "
                    "(>= 0)",
                    o.max_drop));
  }
  if (!(o.step > 0.0 && o.step < 1.0)) {
    return Status::InvalidArgument(fmt::format("--step {}: must be in (0, 1)", o.step));
  }
  if (o.epochs < 1) return Status::InvalidArgument("--epochs must be at least 1");
  return Status::Ok();
}

std::string Figure(const nlohmann::json& metrics, const char* key) {
  if (!metrics.is_object() || !metrics.contains(key)) return "-";
  return fmt::format("{:.4f}", metrics[key].get<double>());
}

nlohmann::json FiguresJson(const ModelFigures& f) {
  return {{"architecture", f.architecture},
          {"params", f.params},
          {"nonzero_params", f.nonzero_params},
          {"macs", f.macs},
          {"model_bytes", f.model_bytes},
          {"deflated_bytes", f.deflated_bytes},
          {"arena_bytes", f.arena_bytes},
          {"int8_weight_bytes", f.int8_weight_bytes},
          {"int8_sparse_weight_bytes", f.int8_sparse_bytes},
          {"val", f.val},
          {"test", f.test}};
}

}  // namespace

double ValScore(const train::FittedModel& m) {
  const nlohmann::json& split =
      m.metrics.contains("val") ? m.metrics["val"] : m.metrics.value("train", nlohmann::json());
  if (m.info.task == "regression") return split.value("mae", 0.0);
  return 100.0 * split.value("accuracy", 0.0);
}

double ScoreDrop(const std::string& task, double base, double score) {
  if (task == "regression") return base > 0 ? 100.0 * (score - base) / base : score - base;
  return base - score;
}

train::LoopOptions FineTuneLoop(const train::FittedModel& m, const PruneJobOptions& o) {
  train::LoopOptions loop = m.options.loop;
  loop.epochs = o.epochs;
  loop.seed = o.seed;
  return loop;
}

Result<int64_t> ExportedMacs(const train::FittedModel& m) {
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model model, train::ExportModel(m));
  int64_t macs = 0;
  for (const tflite::Operator& op : model.operators) macs += tflite::EstimateOpCost(model, op).macs;
  return macs;
}

Result<PruneResult> RunPruneJob(const PruneJobOptions& o) {
  EMLKIT_RETURN_IF_ERROR(CheckOptions(o));
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model original, tflite::ReadModelFile(o.model));
  EMLKIT_ASSIGN_OR_RETURN(train::FittedModel m, ImportTrainedModel(original, o.model));
  EMLKIT_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(o.data));
  PruneResult r;
  r.task = m.info.task;
  EMLKIT_ASSIGN_OR_RETURN(std::string warning, CheckDatasetFits(m, ds, o.model, o.data));
  if (!warning.empty()) r.warnings.push_back(warning);
  EMLKIT_RETURN_IF_ERROR(train::ScoreFittedModel(ds, m));  // the baseline on this data set
  EMLKIT_ASSIGN_OR_RETURN(r.before, MeasureModel(original, o.model, ds));
  r.before.architecture = train::FormatLayers(m.specs);

  nlohmann::json section;
  if (o.mode == PruneMode::kStructured) {
    EMLKIT_ASSIGN_OR_RETURN(r.stop_reason, PruneStructured(m, ds, o, &r.rounds));
    section = {{"method", "structured"},
               {"target_macs", o.target_macs},
               {"max_drop", o.max_drop},
               {"rounds", r.rounds.size()},
               {"stop_reason", r.stop_reason}};
  } else {
    const double base = ValScore(m);
    EMLKIT_RETURN_IF_ERROR(PruneMagnitude(m, ds, o, &r.layer_sparsity));
    r.stop_reason = "sparsity";
    const double drop = ScoreDrop(r.task, base, ValScore(m));
    if (drop > o.max_drop) {
      r.warnings.push_back(fmt::format(
          "sparsity {} costs {:.2f} {} of validation {}, more than --max-drop {}: try a lower "
          "--sparsity or more --epochs",
          o.sparsity, drop, r.task == "regression" ? "%" : "points",
          r.task == "regression" ? "MAE" : "accuracy", o.max_drop));
    }
    nlohmann::json layers = nlohmann::json::object();
    for (const auto& [name, s] : r.layer_sparsity) layers[name] = s;
    section = {{"method", "magnitude"},
               {"sparsity", o.sparsity},
               {"epochs", o.epochs},
               {"layer_sparsity", layers}};
  }
  section["architecture_before"] = r.before.architecture;
  section["architecture"] = train::FormatLayers(m.specs);
  EMLKIT_ASSIGN_OR_RETURN(r.model, ExportFineTuned(m, original, "pruning", section));
  EMLKIT_ASSIGN_OR_RETURN(r.after, MeasureModel(r.model, o.model + " (pruned)", ds));
  r.after.architecture = train::FormatLayers(m.specs);
  EMLKIT_ASSIGN_OR_RETURN(r.bytes, tflite::WriteModel(r.model));
  if (r.stop_reason == "max_drop" && r.rounds.size() == 1) {
    r.warnings.push_back(fmt::format(
        "the first round already cost more than --max-drop {} points: the model is unpruned",
        o.max_drop));
  }
  return r;
}

nlohmann::json PruneReportJson(const PruneResult& r) {
  nlohmann::json j;
  j["task"] = r.task;
  j["before"] = FiguresJson(r.before);
  j["after"] = FiguresJson(r.after);
  j["stop_reason"] = r.stop_reason;
  j["rounds"] = nlohmann::json::array();
  for (const PruneRound& p : r.rounds) {
    j["rounds"].push_back({{"round", p.round},
                           {"architecture", p.architecture},
                           {"macs", p.macs},
                           {"val_score", p.val_score},
                           {"drop", p.drop},
                           {"epochs", p.epochs},
                           {"kept", p.kept}});
  }
  if (!r.layer_sparsity.empty()) {
    j["layer_sparsity"] = nlohmann::json::object();
    for (const auto& [name, s] : r.layer_sparsity) j["layer_sparsity"][name] = s;
  }
  j["warnings"] = r.warnings;
  return j;
}

std::string PruneReportText(const PruneResult& r) {
  const ModelFigures &b = r.before, &a = r.after;
  auto row = [](const std::string& label, double before, double after) {
    const double ratio = before > 0 ? after / before : 0.0;
    return fmt::format("{:<22} {:>12} {:>12} {:>8.1f} %\n", label, static_cast<int64_t>(before),
                       static_cast<int64_t>(after), 100.0 * ratio);
  };
  std::string s;
  s += fmt::format("architecture: {} -> {}\n", b.architecture, a.architecture);
  s += fmt::format("stopped: {}\n\n", r.stop_reason == "target_macs" ? "MAC target reached"
                                      : r.stop_reason == "max_drop"
                                          ? "the next round went over --max-drop (undone)"
                                      : r.stop_reason == "no_units_left" ? "no units left to remove"
                                                                         : "sparsity reached");
  s += fmt::format("{:<22} {:>12} {:>12} {:>10}\n", "", "before", "after", "after/before");
  s += row("parameters", static_cast<double>(b.params), static_cast<double>(a.params));
  s += row("non-zero parameters", static_cast<double>(b.nonzero_params),
           static_cast<double>(a.nonzero_params));
  s += row("MACs", static_cast<double>(b.macs), static_cast<double>(a.macs));
  s += row("model bytes", static_cast<double>(b.model_bytes), static_cast<double>(a.model_bytes));
  s += row("deflated model bytes", static_cast<double>(b.deflated_bytes),
           static_cast<double>(a.deflated_bytes));
  s += row("arena bytes", static_cast<double>(b.arena_bytes), static_cast<double>(a.arena_bytes));
  s += row("int8 weights, dense", static_cast<double>(b.int8_weight_bytes),
           static_cast<double>(a.int8_weight_bytes));
  s += row("int8 weights, bitmap", static_cast<double>(b.int8_sparse_bytes),
           static_cast<double>(a.int8_sparse_bytes));
  const bool regression = r.task == "regression";
  for (const char* split : {"val", "test"}) {
    const nlohmann::json& mb = std::string(split) == "val" ? b.val : b.test;
    const nlohmann::json& ma = std::string(split) == "val" ? a.val : a.test;
    if (mb.is_null()) continue;
    const char* key = regression ? "mae" : "accuracy";
    s += fmt::format("{:<22} {:>12} {:>12}\n", fmt::format("{} {}", split, key), Figure(mb, key),
                     Figure(ma, key));
  }
  if (!r.layer_sparsity.empty()) {
    s += "\nsparsity per layer:\n";
    for (const auto& [name, sp] : r.layer_sparsity) s += fmt::format("  {:<40} {:.3f}\n", name, sp);
    s += fmt::format(
        "\nzeros do not make the .tflite smaller ({} -> {} bytes); compressed, the model takes {} "
        "-> {} bytes (deflate), and int8 weights stored as a bitmap plus non-zero values {} -> {} "
        "bytes\n",
        b.model_bytes, a.model_bytes, b.deflated_bytes, a.deflated_bytes, b.int8_weight_bytes,
        a.int8_sparse_bytes);
  }
  for (const std::string& w : r.warnings) s += "warning: " + w + "\n";
  return s;
}

}  // namespace emlkit::optimize
