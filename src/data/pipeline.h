// The preprocessing pipeline as data: what `data prepare` did to rows, recorded in
// dataset.json ("pipeline") so that the online Preprocessor (and generated device code) can do
// exactly the same to a raw row. Stages after cleaning (row_steps.h):
//   derived time features -> scaling (float32) -> windowing (raw window or statistics).
//
// Arithmetic contract (what device code must reproduce to get the same bits):
//   scaled = (float(x) - offset[c]) * scale[c]            IEEE float32, no FMA contraction
//   tod_sin/tod_cos = sin/cos(2*pi*seconds_of_day/86400)  computed in double, then scaled
//   weekend = 1 on Saturday and Sunday, else 0
//   window statistics over the N scaled values x[0..N-1] of a channel, in float32, summed in
//   index order: mean = sum(x)/N; std = sqrt(sum((x-mean)^2)/N); min; max; last = x[N-1];
//   rms = sqrt(sum(x^2)/N); slope = sum((i-(N-1)/2)*(x-mean)) / (N*(N*N-1)/12)
//   (least-squares slope per row; 0 when N == 1).
#ifndef EMLKIT_DATA_PIPELINE_H_
#define EMLKIT_DATA_PIPELINE_H_

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/prepare_options.h"

namespace emlkit::data {

struct PipelineSpec {
  std::vector<std::string> columns;  // raw input columns, in the order rows are given
  std::string timestamp;             // "" = none
  CleanOptions clean;
  std::vector<double> clip_lo, clip_hi;  // per column (+-inf where none)
  std::vector<double> hampel_min_scale;  // per column: the Hampel scale floor
  std::vector<std::string> time_features;
  std::string scaling = "zscore";
  std::vector<float> offset, scale;  // per channel
  WindowOptions window;
  // The sampling period of the training rows (after cleaning and resampling): the median time
  // step between consecutive rows of the non-test inputs, seconds; 0 = unknown (no timestamp).
  double period_s = 0;

  // Derived by Finalize().
  std::vector<std::string> channels;       // columns + derived time features
  std::vector<int64_t> record_shape;       // [C], [C*S] or [window, C]
  std::vector<std::string> feature_names;  // one per record element
  void Finalize();
  int num_channels() const { return static_cast<int>(channels.size()); }
  int64_t record_size() const;
  // True if the online pipeline reproduces prepare exactly (no offline-only step).
  bool online_exact() const;
  std::string online_note() const;  // what differs online, if anything
  // The steps that count rows, not seconds (windows, the Hampel window, stuck runs), for a
  // message; "" if none: then the records do not depend on the sampling period.
  std::string row_counting_steps() const;
};

nlohmann::json PipelineToJson(const PipelineSpec& spec);
// `name` is used in messages.
Result<PipelineSpec> PipelineFromJson(const nlohmann::json& j, const std::string& name);

// Writes the derived time features of time t (seconds) to out (tod: 2 values, weekend: 1).
void TimeFeatures(const std::vector<std::string>& which, double t, double* out);

// Scales one row of channel values (double) into float32 per the contract above.
void ScaleRow(const PipelineSpec& spec, const double* channels, float* out);

// Forms records from consecutive scaled rows of one segment. With window size 0 each row is a
// record. Otherwise a record completes at the window's last row: rows N-1, N-1+S, ... counted
// from the last Reset().
class Windower {
 public:
  explicit Windower(const PipelineSpec& spec);
  void Reset();
  // Returns true and writes record_size() floats to `record` when this row completes one.
  bool Push(const float* row, float* record);

 private:
  const PipelineSpec& spec_;
  int size_, stride_, channels_;
  std::vector<float> ring_;  // size_ rows
  int64_t seen_ = 0;
  std::vector<float> x_;
};

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_PIPELINE_H_
