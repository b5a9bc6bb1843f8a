// `emlkit eval MODEL.tflite --data DIR [--split test] [--json] [--compare REFERENCE.tflite]`:
// metrics of any float or int8 .tflite on a data set split, run through the device runtime
// (src/train/evaluate.h); with --compare, side by side with a reference model, how often they
// agree and the error of every layer (src/optimize/eval_compare.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "data/dataset.h"
#include "optimize/eval_compare.h"
#include "train/evaluate.h"

namespace emlkit::cli {

void RegisterEvalCommand(CLI::App& root, CommandList& commands) {
  struct Options {
    std::string model, data, split = "test", compare;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* app = root.add_subcommand(
      "eval",
      "Evaluate a float or int8 .tflite model on a data set split through emlkit's device "
      "runtime: accuracy, per-class precision/recall/F1, confusion matrix and ROC AUC "
      "(classification), MAE/RMSE/R^2 (regression), ROC AUC and metrics at the model's "
      "threshold (anomaly)");
  app->add_option("model", opts->model, "The .tflite model")->required();
  app->add_option("--data", opts->data, "The data set folder (emlkit data prepare)")->required();
  app->add_option("--split", opts->split, "Which split to evaluate: train, val or test")
      ->check(CLI::IsMember({"train", "val", "test"}))
      ->capture_default_str();
  app->add_flag("--json", opts->json, "Print one JSON document on stdout instead of text");
  app->add_option("--compare", opts->compare,
                  "A reference model (e.g. the float original of an int8 model): evaluated side by "
                  "side, with the share of records where both agree and the error of every layer");
  commands.push_back(
      {app, [opts]() -> Status {
         EMLKIT_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(opts->data));
         std::vector<train::EvalReport> reports;
         EMLKIT_ASSIGN_OR_RETURN(train::EvalReport r,
                                 train::EvaluateModel(opts->model, ds, opts->split));
         reports.push_back(std::move(r));
         std::string out = opts->json ? train::EvalReportJson(reports[0]).dump(2) + "\n"
                                      : train::FormatEvalReports(reports);
         if (!opts->compare.empty()) {
           EMLKIT_ASSIGN_OR_RETURN(train::EvalReport ref,
                                   train::EvaluateModel(opts->compare, ds, opts->split));
           EMLKIT_ASSIGN_OR_RETURN(
               optimize::ModelComparison c,
               optimize::CompareOnSplit(opts->compare, opts->model, ds, opts->data, opts->split));
           nlohmann::json j = train::EvalReportJson(reports[0]);
           j["reference"] = train::EvalReportJson(ref);
           j["comparison"] = optimize::ComparisonJson(c);
           reports.insert(reports.begin(), std::move(ref));
           out = opts->json
                     ? j.dump(2) + "\n"
                     : train::FormatEvalReports(reports) + "\n" + optimize::ComparisonText(c);
         }
         std::fwrite(out.data(), 1, out.size(), stdout);
         return Status::Ok();
       }});
}

}  // namespace emlkit::cli
