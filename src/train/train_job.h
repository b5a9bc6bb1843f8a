// `emlkit train` as a library call: load a data set folder, train, export, and write the model
// and its training log atomically — what the CLI, `emlkit run` and the demo call.
//
//   TrainJob job;
//   job.data_dir = "ds/";  job.out_path = "model_float.tflite";
//   TrainJobResult result;
//   Status s = RunTrainJob(job, &result);   // result.fitted holds the model when trained
//
// Outcomes (the returned Status):
//   ok            trained; model and log written.
//   InvalidArgument / NotFound (exit 2)  bad data or options, found before training starts;
//                 nothing written.
//   Failed (exit 1)  training diverged (NaN / infinite loss): the model of the last good epoch
//                 is written when there was one (the message says which), else nothing; the
//                 message suggests a lower learning rate.
//   Cancelled (exit 1)  Ctrl-C: training stopped after the current epoch and the best model so
//                 far was written.
#ifndef EMLKIT_TRAIN_TRAIN_JOB_H_
#define EMLKIT_TRAIN_TRAIN_JOB_H_

#include <cstdio>
#include <optional>
#include <string>

#include "train/fit.h"
#include "train/train_options.h"

namespace emlkit::train {

struct TrainJob {
  std::string data_dir;
  std::string out_path;  // the .tflite to write
  std::string log_path;  // "" = DefaultLogPath(out_path)
  // The name printed for out_path (and its log) in the closing line: "" = out_path. A caller
  // that writes into a staging folder names the final place here.
  std::string shown_out;
  TrainOptions options;
  bool quiet = false;       // no per-epoch lines
  FILE* progress = stderr;  // epoch lines and the closing line; nullptr: nothing
};

struct TrainJobResult {
  std::optional<FittedModel> fitted;
  bool wrote_model = false;
  std::string model_path, log_path;
  nlohmann::json cv;  // --cv K: CvResultJson (cross_validation.h); null otherwise
};

// "" unless training ran to its epoch limit with the last epoch the best: then a hint to train
// longer (printed after the closing line).
std::string LastEpochHint(const FittedModel& m);

// "<out without .tflite>.train.jsonl", next to the model.
std::string DefaultLogPath(const std::string& out_path);

Status RunTrainJob(const TrainJob& job, TrainJobResult* result);

// {"model", "log", "task", "epochs_run", "best_epoch", "stop_reason", "parameters", "metrics"}:
// what `emlkit train --json` prints.
nlohmann::json TrainSummaryJson(const TrainJobResult& r);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_TRAIN_JOB_H_
