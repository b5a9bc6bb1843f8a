// `emlkit quantize` as a library call: a float .tflite model and calibration records in, an int8
// model and a float-vs-int8 report out.
//
//   QuantizeJobOptions o;
//   o.model = "model_float.tflite";
//   o.calib = {"ds/"};                       // a data set folder, or one .npy per model input
//   EMLKIT_ASSIGN_OR_RETURN(QuantizeResult r, RunQuantizeJob(o));
//   EMLKIT_RETURN_IF_ERROR(WriteFileAtomic("model_int8.tflite", r.bytes.data(), r.bytes.size()));
//   std::fputs(QuantizeReportText(r).c_str(), stdout);
//
// Steps: check the model can be quantized (before any long work), load and sample the
// calibration records, optionally fine-tune the model with quantization-aware training (qat.h;
// one line per epoch on stderr), calibrate through the runtime's float kernels, choose ranges,
// rewrite to int8 (quantizer.h), prepare the result in the runtime (so a model the device would
// refuse is never written), then run both models on the report records — the data set's test
// split by default, else the calibration records — and compare them (compare.h) with the task's
// metrics.
// The `emlkit` metadata, when the float model has it, is carried over with a `quantization` key
// (docs/model-metadata.md).
#ifndef EMLKIT_OPTIMIZE_QUANTIZE_JOB_H_
#define EMLKIT_OPTIMIZE_QUANTIZE_JOB_H_

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "optimize/anomaly_quant.h"
#include "optimize/compare.h"
#include "optimize/quantizer.h"
#include "optimize/range.h"
#include "tflite/model.h"

namespace emlkit::optimize {

struct QuantizeJobOptions {
  std::string model;                  // the float .tflite
  std::vector<std::string> calib;     // a data set folder, or one .npy file per model input
  std::string calib_split = "train";  // data sets: the split calibration samples from
  int64_t calib_records = 1000;       // at most this many records (a seeded sample)
  uint64_t seed = 0;                  // the sample
  // Data sets: the split the report runs on; empty = "test", or "val" when test is empty.
  std::string report_split;
  RangeOptions range;
  QuantizeOptions quant;
  // > 0: quantization-aware training (qat.h) for this many epochs before quantizing; needs a
  // model `emlkit train` wrote and `calib` to be its data set folder (it trains on the train
  // split). The report still compares against the original float model.
  int qat_epochs = 0;
  // The name the report gives the int8 model (the file it will be written to); "" = "<model>
  // (int8)".
  std::string out_name;
  FILE* progress = stderr;  // the calibration and comparison bars; nullptr: none
  // Anomaly models: refuse (kInvalidArgument, nothing written) when the int8 model's flags
  // (score > threshold) differ from the float model's on more than this share of the report
  // records.
  double max_flag_disagreement = 0.01;
};

struct QuantizeResult {
  tflite::Model model;         // the int8 model, metadata updated
  std::vector<uint8_t> bytes;  // its .tflite bytes
  std::string calibration;     // which records calibrated it
  int64_t calibration_records = 0;
  std::string report_on;       // which records the report ran on
  std::string task;            // from the model's metadata or the data set; empty if unknown
  ModelComparison comparison;  // reference: the float model, test: the int8 model
  nlohmann::json float_metrics, int8_metrics;  // the task's metrics (null without labels)
  size_t float_bytes = 0, int8_bytes = 0, float_arena = 0, int8_arena = 0;
  size_t float_constant_bytes = 0, int8_constant_bytes = 0;  // weights, biases (figures.h)
  int qat_epochs_run = 0;  // quantization-aware training epochs (0: post-training only)
  std::optional<FlagComparison> flags;  // anomaly models with a threshold
  std::string threshold_note;           // anomaly: how the output range was widened, if it was
  std::vector<std::string> warnings;
};

// Errors: bad or already-quantized model, an operator the quantizer does not handle, calibration
// records that do not fit the model or are fewer than kMinCalibrationRecords, a data set of
// another task than the model's metadata says: exit code 2, before anything long runs. A data
// set whose dataset.json differs from the model's `preprocessing` metadata is a warning. Ctrl-C:
// kCancelled.
Result<QuantizeResult> RunQuantizeJob(const QuantizeJobOptions& options);

// The report as JSON: {"model", "calibration", "report_on", "task", "float": metrics,
// "int8": metrics, "agreement", "sizes": {...}, "comparison": ComparisonJson}.
nlohmann::json QuantizeReportJson(const QuantizeResult& r);
// The report for a terminal: metrics side by side, agreement, sizes, the per-layer table.
std::string QuantizeReportText(const QuantizeResult& r);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_QUANTIZE_JOB_H_
