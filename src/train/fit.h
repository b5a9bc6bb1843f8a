// Training a model for a data set's task: the step between a prepared data set folder and an
// exported .tflite. Chooses the output layer and loss for the task, validates everything before
// training starts (bad input -> InvalidArgument, exit code 2), trains, and computes the final
// metrics on every split.
//
//   classification  hidden layers + dense:K (logits); softmax cross-entropy, optional class
//                   weights. The exported model ends in SOFTMAX (outputs probabilities).
//   regression      hidden layers + dense:k on targets z-scored with the training split's
//                   mean / std; MSE or Huber. The export folds the scaling back into the last
//                   layer, so the model outputs targets in their own units.
//   anomaly         autoencoder: hidden layers + dense:F reconstructing the (flattened) record,
//                   trained with MSE on the normal (label 0) training records; or k-means on
//                   them. Score = mean squared error per feature; threshold from validation.
//
//   EMLKIT_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset("ds/"));
//   EMLKIT_ASSIGN_OR_RETURN(FittedModel m, Fit(ds, options, callbacks));
//   // m.metrics["test"]["accuracy"], ExportModel(m) (export.h)
#ifndef EMLKIT_TRAIN_FIT_H_
#define EMLKIT_TRAIN_FIT_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "train/anomaly.h"
#include "train/network.h"
#include "train/train_options.h"
#include "train/trainer.h"

namespace emlkit::train {

struct FittedModel {
  data::DatasetInfo info;
  TrainOptions options;                        // as resolved (default layers filled in)
  std::vector<LayerSpec> specs;                // the whole network: hidden + output layers
  std::optional<Network> net;                  // absent for k-means
  LoopResult loop;                             // training history (empty for k-means)
  int output_width = 0;                        // classes, targets, or record elements (autoencoder)
  std::vector<float> target_mean, target_std;  // regression target scaling
  std::optional<KMeansModel> kmeans;
  std::optional<ThresholdChoice> threshold;  // anomaly
  std::string threshold_split;               // anomaly: the split the threshold came from
  nlohmann::json metrics;  // {"train": {...}, "val": {...}, "test": {...}} (empty splits omitted)
};

// The hidden layers used when none are given (documented in docs/train.md):
//   flat records:              dense:16:relu,dense:16:relu
//   windows of >= 8 steps:     conv1d:16:3:relu,maxpool1d:2,conv1d:16:3:relu,gap,dense:16:relu
//   shorter windows:           flatten,dense:16:relu,dense:16:relu
//   anomaly autoencoder on F record elements (h = max(4, F / 2), b = max(2, F / 4)):
//                              [flatten,]dense:h:relu,dense:b:relu,dense:h:relu
std::vector<LayerSpec> DefaultLayers(const std::string& task, const std::vector<int64_t>& shape);

// Checks the options against the data set, builds the network, trains, scores every split.
// Errors found before training (impossible architecture, wrong loss for the task, class weight
// count, no normal records to train an anomaly model on, ...) are InvalidArgument.
// `callbacks` see every epoch and may stop training early (Ctrl-C).
Result<FittedModel> Fit(const data::Dataset& ds, const TrainOptions& options,
                        const LoopCallbacks& callbacks = {});

// The training and validation views of a data set for a model's task, and its loss, as Fit
// trains on them: classification labels (with the options' class weights), regression targets
// z-scored with m.target_mean / m.target_std, anomaly: the normal (label 0) records as their own
// targets. The views point into `ds` and into the owned buffers below: keep both alive.
struct TrainingData {
  TrainSet train, val;
  Loss loss = Loss::Mse();
  double mae_scale = 1.0;  // LoopOptions::mae_scale for the task
  std::vector<float> train_targets, val_targets, train_records, val_records;
  TrainingData() = default;
  TrainingData(TrainingData&&) = default;  // moving keeps the buffers (and the views) valid
  TrainingData(const TrainingData&) = delete;
  TrainingData& operator=(const TrainingData&) = delete;
};
// `m` needs info, options, output_width and (regression) the target scaling.
TrainingData MakeTrainingData(const data::Dataset& ds, const FittedModel& m);

// Trains a fitted network further from its current weights (fine-tuning after pruning or under
// quantization-aware training), on the data the way Fit does, then recomputes m.metrics and the
// anomaly threshold (ScoreFittedModel). m.loop (the original training history) is kept; the
// fine-tuning run's history is returned. InvalidArgument for a k-means model.
Result<LoopResult> ContinueTraining(FittedModel& m, const data::Dataset& ds,
                                    const LoopOptions& loop, const LoopCallbacks& callbacks = {});

// The end of Fit: the anomaly threshold from the validation split (unless training diverged)
// and m.metrics on every non-empty split (when some epoch finished, or for k-means).
Status ScoreFittedModel(const data::Dataset& ds, FittedModel& m);

// What the exported model outputs for records x [n, record elements]: class probabilities
// [n, K], targets in their units [n, k], or anomaly scores [n].
std::vector<float> PredictOutputs(FittedModel& m, const float* x, int64_t n);

// Metrics of predicted outputs (as PredictOutputs / the exported model give them) against a
// split's labels or targets, for the model's task; anomaly metrics use `threshold`.
nlohmann::json ScoreOutputs(const data::DatasetInfo& info, const float* outputs, int output_width,
                            const data::Split& split, std::optional<double> threshold);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_FIT_H_
