// Preprocessor: turns a stream of RAW rows into X records exactly as `data prepare` did, from
// the dataset.json it wrote. Used online (the thermostat closed loop feeds it simulated sensor
// rows) and as the reference the generated device code must match.
//
//   EMLKIT_ASSIGN_OR_RETURN(Preprocessor pre, Preprocessor::FromDatasetJson(text, "ds.json"));
//   std::vector<float> x(pre.record_size());
//   double raw[] = {21.5, 27.2, 430, 720, 0.0048};       // pre.columns() order, NaN = missing
//   if (pre.Push(t_seconds, raw, x.data())) RunModel(x);  // a record is complete
//
// Per row: duplicate / time-going-back / gap handling (a new segment resets all state) ->
// clip -> stuck -> causal Hampel -> missing (hold or drop) -> time features -> float32 scaling ->
// resample -> window. These are the same step objects prepare runs (row_steps.h, pipeline.h), so
// for a pipeline with online_exact() the records are bit-for-bit those of a time-ordered prepare
// (the training split's records are the stream's first records). Offline-only steps have an
// online stand-in (see PipelineSpec::online_note()): a centred Hampel filter runs causally,
// interpolation becomes hold-last, a sorted file becomes a new segment where time goes back.
// Not thread-safe; one instance per stream.
#ifndef EMLKIT_DATA_PREPROCESSOR_H_
#define EMLKIT_DATA_PREPROCESSOR_H_

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/pipeline.h"
#include "data/row_steps.h"

namespace emlkit::data {

class Preprocessor {
 public:
  // From the text of a dataset.json (its "pipeline" object). `name` is used in messages.
  static Result<Preprocessor> FromDatasetJson(const std::string& json_text,
                                              const std::string& name);
  // From a model's `emlkit` metadata object (docs/model-metadata.md), whose "preprocessing" is
  // the training data's dataset.json; `model_path` is used in messages.
  static Result<Preprocessor> FromModelMetadata(const nlohmann::json& metadata,
                                                const std::string& model_path);
  explicit Preprocessor(PipelineSpec spec);
  Preprocessor(Preprocessor&&) noexcept;
  Preprocessor& operator=(Preprocessor&&) noexcept;
  ~Preprocessor();

  const PipelineSpec& spec() const { return *spec_; }
  // Raw columns a row must hold, in order.
  const std::vector<std::string>& columns() const { return spec_->columns; }
  int64_t record_size() const { return spec_->record_size(); }
  bool online_exact() const { return spec_->online_exact(); }

  // Feeds one row: t in seconds (ignored without a timestamp column), raw[columns().size()]
  // with NaN for missing. Appends every record the row completes to `records` (record_size()
  // floats each) and returns how many: 0 while a window fills or when the row is dropped
  // (duplicate, stuck, missing); more than 1 only with resampling, when the row closes several
  // grid times.
  int PushAll(double t, const double* raw, std::vector<float>* records);
  // The same for pipelines without resampling (at most one record per row): returns true and
  // writes the record when one completes. With resampling it keeps only the last record of the
  // row; use PushAll there.
  bool Push(double t, const double* raw, float* record);
  // Starts a new segment (forgets windows, held values, filters).
  void Reset();

 private:
  std::unique_ptr<PipelineSpec> spec_;  // stable address: Windower keeps a reference
  std::unique_ptr<ClipStep> clip_;
  std::unique_ptr<StuckStep> stuck_;
  std::unique_ptr<HampelCausalStep> hampel_;
  std::unique_ptr<MissingStep> missing_;
  std::unique_ptr<Resampler> resampler_;
  std::unique_ptr<Windower> windower_;
  bool has_prev_ = false;
  double prev_t_ = 0;
  std::vector<double> row_;
  std::vector<float> scaled_, tmp_;
  int Emit(double t, const double* values, std::vector<float>* records);
};

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_PREPROCESSOR_H_
