// `emlkit prune FLOAT.tflite --data DIR --out PRUNED.tflite [options]`: structured pruning
// (fewer neurons and filters: a really smaller model) or magnitude pruning (--sparsity), with
// fine-tuning, and a before/after report (src/optimize/prune_job.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "common/fs.h"
#include "common/progress.h"
#include "optimize/prune_job.h"

namespace emlkit::cli {
namespace {

struct PruneCliOptions {
  optimize::PruneJobOptions job;
  std::string out;
  bool json = false, quiet = false;
  CLI::Option* sparsity = nullptr;
  CLI::Option* target = nullptr;
};

Status RunPrune(PruneCliOptions& o) {
  if (o.sparsity->count() > 0) {
    if (o.target->count() > 0) {
      return Status::InvalidArgument(
          "--sparsity (magnitude pruning) and --target-macs (structured pruning) exclude each "
          "other: choose one method");
    }
    o.job.mode = optimize::PruneMode::kMagnitude;
  }
  if (o.quiet) o.job.log = nullptr;
  EMLKIT_RETURN_IF_ERROR(CheckWritableFile(o.out));
  InstallInterruptHandler();
  EMLKIT_ASSIGN_OR_RETURN(optimize::PruneResult r, optimize::RunPruneJob(o.job));
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(o.out, r.bytes.data(), r.bytes.size()));
  std::string text;
  if (o.json) {
    nlohmann::json j = optimize::PruneReportJson(r);
    j["model"] = o.job.model;
    j["out"] = o.out;
    text = j.dump(2) + "\n";
  } else {
    text =
        fmt::format("wrote {} ({} bytes)\n", o.out, r.bytes.size()) + optimize::PruneReportText(r);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return Status::Ok();
}

}  // namespace

void RegisterPruneCommand(CLI::App& root, CommandList& commands) {
  auto o = std::make_shared<PruneCliOptions>();
  CLI::App* app = root.add_subcommand(
      "prune",
      "Make a float model `emlkit train` wrote smaller: structured pruning removes the least "
      "important neurons and filters, rebuilds smaller layers and fine-tunes, round after round "
      "(fewer parameters, MACs, bytes and RAM); --sparsity zeroes the smallest weights instead "
      "(magnitude pruning, which only saves flash once compressed). Reports both models side by "
      "side");
  app->add_option("model", o->job.model, "The float .tflite model (from emlkit train)")->required();
  app->add_option("--data", o->job.data, "The data set it was trained on (fine-tuning, scores)")
      ->required();
  app->add_option("--out", o->out, "The pruned float .tflite model to write")->required();
  o->target = app->add_option("--target-macs", o->job.target_macs,
                              "Structured: keep at most this fraction of the MACs")
                  ->capture_default_str();
  app->add_option("--max-drop", o->job.max_drop,
                  "Stop before the validation accuracy falls more than this many points (for "
                  "regression: before the MAE grows more than this many percent)")
      ->capture_default_str();
  o->sparsity = app->add_option("--sparsity", o->job.sparsity,
                                "Magnitude pruning: the fraction of weights to set to zero, e.g. "
                                "0.8");
  app->add_option("--step", o->job.step,
                  "Structured: fraction of the current MACs removed per round")
      ->capture_default_str();
  app->add_option("--epochs", o->job.epochs,
                  "Fine-tuning epochs per round (structured, with early stopping) or in all "
                  "(magnitude)")
      ->capture_default_str();
  app->add_option("--seed", o->job.seed, "Seed of the fine-tuning shuffles")->capture_default_str();
  app->add_flag("--json", o->json, "Print the report as one JSON document on stdout");
  app->add_flag("--quiet", o->quiet, "No per-round lines on stderr");
  commands.push_back({app, [o]() { return RunPrune(*o); }});
}

}  // namespace emlkit::cli
