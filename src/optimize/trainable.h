// A float model `emlkit train` wrote, back as a trainable network: what pruning and
// quantization-aware training fine-tune. The inverse of train::ExportModel.
//
//   EMLKIT_ASSIGN_OR_RETURN(tflite::Model file, tflite::ReadModelFile("model_float.tflite"));
//   EMLKIT_ASSIGN_OR_RETURN(train::FittedModel m, ImportTrainedModel(file, "model_float.tflite"));
//   train::ContinueTraining(m, dataset, loop);            // fine-tune
//   EMLKIT_ASSIGN_OR_RETURN(tflite::Model out, ExportFineTuned(m, file));
//
// The architecture, task, options, target scaling and anomaly threshold come from the model's
// `emlkit` metadata (docs/model-metadata.md); the weights from its FULLY_CONNECTED and CONV_2D
// operators, in order, one per dense / conv1d layer (the last dense layer of a regression model
// has the target scaling folded in, which is undone).
#ifndef EMLKIT_OPTIMIZE_TRAINABLE_H_
#define EMLKIT_OPTIMIZE_TRAINABLE_H_

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "data/dataset.h"
#include "tflite/model.h"
#include "train/fit.h"

namespace emlkit::optimize {

// Errors (InvalidArgument, exit code 2) name the model: no `emlkit` training metadata (a model
// emlkit did not train), a k-means anomaly model (no layers), weights whose shapes do not match
// the recorded architecture.
Result<train::FittedModel> ImportTrainedModel(const tflite::Model& model, const std::string& name);

// Checks that a data set fits a model's network (same task and record shape). Differences in
// preprocessing are returned as a warning text (empty when none).
Result<std::string> CheckDatasetFits(const train::FittedModel& m, const data::Dataset& ds,
                                     const std::string& model_name, const std::string& data_dir);

// The fine-tuned network exported again (train::ExportModel), carrying `original`'s `emlkit`
// metadata forward: every key kept, the anomaly threshold and training.architecture /
// parameters / options.layers updated (they change with the weights and layers), and `section`
// set under key `key` ("pruning").
Result<tflite::Model> ExportFineTuned(const train::FittedModel& m, const tflite::Model& original,
                                      const std::string& key, const nlohmann::json& section);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_TRAINABLE_H_
