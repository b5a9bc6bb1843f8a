// Evaluation of any .tflite model (float or int8) on a data set split, through the device
// runtime (tflite::Runner): what `emlkit eval` prints. Inputs are quantized with the input
// tensor's scale / zero point and outputs dequantized, so float and int8 models are measured the
// same way, on the very kernels the device runs.
//
// The task comes from the model's `emlkit` metadata (or the data set's, for models emlkit did
// not write). Classification: the output is K class scores (argmax = prediction; ROC-AUC from
// the class-1 score for two classes). Regression: the output is the targets in their units.
// Anomaly: the output is the score; metrics at the metadata's threshold plus ROC-AUC.
//
//   EMLKIT_ASSIGN_OR_RETURN(EvalReport r, EvaluateModel("m.tflite", dataset, "test"));
//   std::puts(FormatEvalReports({r}).c_str());
// Several reports (e.g. float and int8 versions of one model) print side by side.
#ifndef EMLKIT_TRAIN_EVALUATE_H_
#define EMLKIT_TRAIN_EVALUATE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace emlkit::train {

struct EvalReport {
  std::string model;                  // path as given
  std::string input_type;             // "float32", "int8", ...
  std::string task;                   // classification | regression | anomaly
  std::string split;                  // train | val | test
  int64_t n = 0;                      // records evaluated
  nlohmann::json metrics;             // ScoreOutputs() keys (fit.h)
  std::vector<std::string> warnings;  // e.g. the data set was prepared differently
};

// Errors (exit code 2): unreadable model, model and data set of different tasks, record shape
// or output width that does not match, an empty split.
Result<EvalReport> EvaluateModel(const std::string& model_path, const data::Dataset& ds,
                                 const std::string& split);

// True when a data set's dataset.json text makes records as a model's `preprocessing` metadata
// says: the same task, pipeline and record shape (labels and splits may differ, e.g. an
// unsupervised training set and the labelled set it is scored on).
bool SamePreprocessing(const nlohmann::json& preprocessing, const std::string& dataset_json);

// {"model", "input_type", "task", "split", "n", "metrics": {...}} (the metrics' keys are also
// copied to the top level, so `accuracy`, `per_class`, `confusion_matrix`, `mae`, `auc`... are
// direct keys).
nlohmann::json EvalReportJson(const EvalReport& r);
// Text for a terminal: headline metrics of every report side by side, then per-class tables and
// confusion matrices (classification, anomaly).
std::string FormatEvalReports(const std::vector<EvalReport>& reports);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_EVALUATE_H_
