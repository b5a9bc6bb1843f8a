// Everything `emlkit train` can be told, its defaults, and the one table that maps each option to
// its command-line flag (--batch-size) and its key in the [train] section of a TOML config
// (batch_size), with help text. Flags win over the config file, which wins over the defaults.
//
// The defaults were chosen by measurement on the occupancy quality bar (docs/train.md): a
// 16-16 ReLU MLP trained with Adam (lr 1e-3, batch 32) and L2 weight decay 1e-2 on the weights,
// up to 100 epochs with early stopping on the validation loss (patience 10) restoring the best
// epoch's weights.
#ifndef EMLKIT_TRAIN_TRAIN_OPTIONS_H_
#define EMLKIT_TRAIN_TRAIN_OPTIONS_H_

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/status.h"
#include "train/layer_spec.h"
#include "train/loss.h"
#include "train/trainer.h"

namespace emlkit::train {

enum class ClassWeighting { kNone, kBalanced, kExplicit };
enum class AnomalyModel { kAutoencoder, kKMeans };
// kQuantile / kSigma / kValue take TrainOptions::threshold_param (Q in (0, 1), K, the value).
enum class ThresholdMethod { kAuto, kBestF1, kPercentile, kQuantile, kSigma, kValue };

struct TrainOptions {
  std::vector<LayerSpec> layers;  // hidden layers; empty = DefaultLayers() for the data
  LoopOptions loop = DefaultLoopOptions();
  bool loss_set = false;  // false: the task's default loss (cross_entropy / mse)
  LossKind loss = LossKind::kCrossEntropy;
  float huber_delta = 1.0f;
  ClassWeighting class_weighting = ClassWeighting::kNone;
  std::vector<float> class_weights;  // kExplicit: one per class
  AnomalyModel anomaly_model = AnomalyModel::kAutoencoder;
  int clusters = 8;  // k-means
  ThresholdMethod threshold = ThresholdMethod::kAuto;
  double percentile = 99.0;    // kPercentile
  int cv = 0;                  // > 1: k-fold cross-validation over recordings before training
  double threshold_param = 0;  // kQuantile: Q, kSigma: K, kValue: the threshold itself
  // The records the threshold is computed on: "train+val" (default: every record of the
  // training part, with --train-until the whole probationary period), "val" or "train".
  std::string threshold_split = "train+val";

  static LoopOptions DefaultLoopOptions();
};

// One option: its [train] key, its flag (without "--"), what it does, and how to set it from
// text. `where` names the source in messages ("--lr" or "emlkit.toml:4:1").
struct TrainOptionDef {
  const char* key;
  const char* flag;
  const char* type;  // the value's kind for --help: INT, NUM, NAME, SPEC, LIST
  const char* help;
  std::function<Status(TrainOptions*, const std::string& value, const std::string& where)> set;
};
const std::vector<TrainOptionDef>& TrainOptionDefs();

// Sets option `key` (a [train] key) from text.
Status SetTrainOption(TrainOptions* o, const std::string& key, const std::string& value,
                      const std::string& where);
// Applies every key of a [train] section; an unknown key is an error naming FILE:LINE:COL.
Status ApplyTrainConfig(const ConfigSection& section, TrainOptions* o);

// The options as recorded in a model's metadata (every value, defaults included).
nlohmann::json TrainOptionsToJson(const TrainOptions& o);

// A float option as the decimal number it was written as (1e-3, not 0.0010000000474974513), for
// JSON.
double AsDecimal(float f);

const char* AnomalyModelName(AnomalyModel m);        // "autoencoder", "kmeans"
const char* ThresholdMethodName(ThresholdMethod m);  // "auto", "best_f1", "quantile", ...
// Parses --threshold: auto | best_f1 | percentile | quantile:Q | sigma:K | VALUE (a number).
bool ParseThresholdSpec(const std::string& v, ThresholdMethod* method, double* param);
// The rule as --threshold takes it ("quantile:0.99", "sigma:4", "1.5", "auto").
std::string ThresholdSpecText(ThresholdMethod m, double param);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_TRAIN_OPTIONS_H_
