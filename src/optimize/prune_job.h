// `emlkit prune` as a library call: a float model `emlkit train` wrote and its data set in, a
// smaller (structured) or sparser (magnitude) float model and a before/after report out.
//
//   PruneJobOptions o;
//   o.model = "model_float.tflite";  o.data = "ds/";
//   o.target_macs = 0.5;                                   // structured (the default mode)
//   EMLKIT_ASSIGN_OR_RETURN(PruneResult r, RunPruneJob(o));
//   WriteFileAtomic("model_pruned.tflite", r.bytes...);  std::fputs(PruneReportText(r)...);
//
// Structured: rounds of (score every neuron / filter with importance.h, remove the least
// important ones — about `step` of the current MACs, weighing each unit's score against the MACs
// it costs — rebuild the smaller layers, fine-tune) until the MACs are at most `target_macs` of
// the original, or stopping before the validation score drops by more than `max_drop` points
// (that round is undone). Parameters, MACs, model bytes and arena all shrink.
//
// Magnitude: one fine-tuning run of `epochs` epochs in which the smallest weights of every layer
// are zeroed on a gradual schedule, s(e) = S (1 - (1 - e / E')^3) over the first two thirds E'
// of the epochs (Zhu & Gupta, 2017), then held at `sparsity` S; zeroed weights stay zero after
// every step (--max-drop only warns here: the sparsity is what was asked). The model file keeps
// its size: zeros only save flash once compressed, and the
// report says how much (deflate of the file; a bitmap encoding of int8 weights).
//
// The validation score is accuracy in percentage points (classification, anomaly) or, for
// regression, the MAE's increase in percent of the unpruned model's MAE.
#ifndef EMLKIT_OPTIMIZE_PRUNE_JOB_H_
#define EMLKIT_OPTIMIZE_PRUNE_JOB_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "tflite/model.h"

namespace emlkit::optimize {

enum class PruneMode { kStructured, kMagnitude };

struct PruneJobOptions {
  std::string model;  // a float .tflite `emlkit train` wrote
  std::string data;   // its data set folder
  PruneMode mode = PruneMode::kStructured;
  double target_macs = 0.5;  // structured: keep at most this fraction of the MACs, (0, 1]
  double max_drop = 0.5;     // stop before the validation score drops more than this (points)
  double step = 0.2;         // structured: fraction of the current MACs removed per round
  double sparsity = 0.0;     // magnitude: fraction of weights set to zero, (0, 1)
  int epochs = 30;           // fine-tuning epochs per round (structured) or in all (magnitude)
  uint64_t seed = 0;         // fine-tuning shuffles
  FILE* log = stderr;        // one line per round; nullptr: silent
};

// What a model costs and scores, measured on its .tflite.
struct ModelFigures {
  int64_t params = 0, nonzero_params = 0, macs = 0;
  size_t model_bytes = 0, arena_bytes = 0;
  size_t deflated_bytes = 0;  // the .tflite compressed with deflate (zlib, level 9)
  // int8 weights of the layers with weights: dense bytes, and as a bitmap of non-zeros plus
  // the non-zero values.
  int64_t int8_weight_bytes = 0, int8_sparse_bytes = 0;
  std::string architecture;  // the layers, e.g. "dense:9:relu,dense:7:relu,dense:2"
  nlohmann::json val, test;  // task metrics through the runtime (null when the split is empty)
};

struct PruneRound {
  int round = 0;
  std::string architecture;
  int64_t macs = 0;
  double val_score = 0, drop = 0;  // the validation score and its drop from the unpruned model
  int epochs = 0;                  // fine-tuning epochs run
  bool kept = false;               // false: over the accuracy budget, undone
};

struct PruneResult {
  tflite::Model model;
  std::vector<uint8_t> bytes;
  std::string task;
  ModelFigures before, after;
  std::vector<PruneRound> rounds;  // structured
  std::string stop_reason;         // "target_macs", "max_drop", "no_units_left", "sparsity"
  std::vector<std::pair<std::string, double>> layer_sparsity;  // magnitude: per layer
  std::vector<std::string> warnings;
};

// Errors (exit code 2): a model emlkit did not train (no metadata), a k-means model, a data set
// that does not fit it, options out of range. Ctrl-C: kCancelled.
Result<PruneResult> RunPruneJob(const PruneJobOptions& options);

nlohmann::json PruneReportJson(const PruneResult& r);
std::string PruneReportText(const PruneResult& r);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_PRUNE_JOB_H_
