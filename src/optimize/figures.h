// Measuring a model for before/after reports: its cost from the .tflite (parameters, non-zero
// parameters, MACs, bytes, compressed bytes, the runtime's arena) and its task metrics on a
// data set's splits, run through emlkit's runtime.
#ifndef EMLKIT_OPTIMIZE_FIGURES_H_
#define EMLKIT_OPTIMIZE_FIGURES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/dataset.h"
#include "optimize/prune_job.h"
#include "tflite/model.h"
#include "tflite/runner.h"

namespace emlkit::optimize {

// Bytes of constant tensor data (weights, biases, shapes) in a model: what quantization shrinks,
// unlike the metadata.
size_t ConstantBytes(const tflite::Model& model);

// Bytes of `data` compressed with deflate (zlib, best compression).
size_t DeflatedSize(const std::vector<uint8_t>& data);

// The task metrics (train::ScoreOutputs keys) of a one-input, one-output model on a split,
// through the runtime; null for an empty split. The anomaly threshold comes from the model's
// `emlkit` metadata.
Result<nlohmann::json> SplitMetrics(tflite::Runner& runner, const tflite::Model& model,
                                    const data::Dataset& ds, const std::string& split);

// Everything in ModelFigures; `architecture` is left for the caller.
Result<ModelFigures> MeasureModel(const tflite::Model& model, const std::string& name,
                                  const data::Dataset& ds);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_FIGURES_H_
