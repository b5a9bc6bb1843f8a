// `emlkit predict`: a model made by emlkit run over a raw sensor log, one output row per input
// row. Each row goes through the model's recorded preprocessing (data::Preprocessor, the host
// twin of the device's row-by-row code) and the device runtime (int8 models quantize their input
// and dequantize their output inside, so the file holds real values), as LiveModel does.
//
//   PredictOptions o;
//   o.model = "ad_int8.tflite";
//   o.input = "machine_temperature.csv";
//   EMLKIT_ASSIGN_OR_RETURN(PredictResult r, Predict(o));
//   EMLKIT_RETURN_IF_ERROR(WriteFileAtomic("pred.csv", r.csv));
//
// The CSV: the input's timestamp column (the model's, else a `row` number from 1), then
//   classification  label, confidence, one probability column per class (p_<label>)
//   regression      one column per target
//   anomaly         score, anomaly (1 when score > the model's threshold, else 0)
// Rows that give no prediction (the first window - 1 rows of a windowed model, rows the
// preprocessing drops) have those fields empty, so row k of the output is row k of the input.
// A windowed model scores the window ending at every row (stride 1), whatever stride it was
// trained with.
#ifndef EMLKIT_COLLECT_PREDICT_H_
#define EMLKIT_COLLECT_PREDICT_H_

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace emlkit::collect {

struct PredictOptions {
  std::string model;        // .tflite from emlkit train / prune / quantize
  std::string input;        // raw CSV with the model's columns (and its timestamp column)
  FILE* progress = stderr;  // a bar over the input rows; nullptr: none
};

struct PredictResult {
  std::string csv;                 // the output file's text
  int64_t rows = 0;                // input rows = output rows (header aside)
  int64_t predicted = 0;           // rows with a prediction
  int64_t flagged = 0;             // anomaly: rows flagged
  std::string task;                // of the model
  double threshold = 0;            // anomaly
  std::string first_predicted;     // the timestamp (or row) of the first prediction
  nlohmann::json Summary() const;  // {"rows", "predicted", "flagged", "task", "threshold", ...}
};

// Errors (exit code 2) name the file: a model without emlkit metadata, a CSV missing the
// model's columns, a bad timestamp or ragged row (FILE:LINE:COL).
Result<PredictResult> Predict(const PredictOptions& o);

}  // namespace emlkit::collect

#endif  // EMLKIT_COLLECT_PREDICT_H_
