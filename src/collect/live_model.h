// LiveModel: a model made by emlkit, run on a live stream of raw rows the way the firmware runs
// it — the preprocessing recorded in its metadata (data::Preprocessor: cleaning, scaling,
// windows, exactly as `data prepare` did) then the device runtime (tflite::Runner) — with each
// result as a line a person reads and as JSON.
//
//   EMLKIT_ASSIGN_OR_RETURN(LiveModel m, LiveModel::Open("gesture_int8.tflite"));
//   EMLKIT_RETURN_IF_ERROR(m.BindColumns({"aX", "aY", "aZ", "gX", "gY", "gZ"}, "the stream"));
//   std::vector<LivePrediction> out;
//   EMLKIT_RETURN_IF_ERROR(m.Push(t, row, &out));  // 0 while a window fills
//
// Classification: the most likely label and its probability (the others after it); regression:
// each target's value, in its units; anomaly: the score against the model's threshold.
#ifndef EMLKIT_COLLECT_LIVE_MODEL_H_
#define EMLKIT_COLLECT_LIVE_MODEL_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::collect {

struct LivePrediction {
  std::string text;     // "punch 0.97 (flex 0.03)", "temperature_next 21.4", "score 0.8 ANOMALY"
  nlohmann::json json;  // the same as fields: label/confidence/probabilities, values, score...
  int label = -1;       // classification and anomaly (1 = anomaly): the class; else -1
};

class LiveModel {
 public:
  // Errors (exit code 2) name the file: no emlkit metadata, no preprocessing, unreadable model.
  // every_row: a windowed model scores the window ending at every row (stride 1) instead of
  // every stride-th row as trained (`emlkit predict`: a score per timestamp).
  static Result<LiveModel> Open(const std::string& path, bool every_row = false);
  LiveModel(LiveModel&&) noexcept;
  LiveModel& operator=(LiveModel&&) noexcept;
  ~LiveModel();

  // The raw columns the model needs, in its order.
  const std::vector<std::string>& columns() const;
  // The timestamp column the training data had ("" if none).
  const std::string& timestamp_column() const;
  const std::string& task() const { return task_; }
  const std::vector<std::string>& labels() const { return labels_; }

  // Matches the stream's columns (case-insensitive) to the model's; an error naming the
  // missing ones and `what` (the port or file) otherwise.
  Status BindColumns(const std::vector<std::string>& stream_columns, const std::string& what);
  // One row in the stream's column order (NaN = missing); t: seconds since 1970 as the
  // training timestamps were (wall clock). Appends the predictions the row completes.
  Status Push(double t, const std::vector<double>& row, std::vector<LivePrediction>* out);
  // Forgets windows and filter state (the stream broke off) and the model's variable tensors.
  void ResetStream();

 private:
  LiveModel();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string task_;
  std::vector<std::string> labels_;
};

}  // namespace emlkit::collect

#endif  // EMLKIT_COLLECT_LIVE_MODEL_H_
