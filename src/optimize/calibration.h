// Calibration: running a float model over representative records through emlkit's runtime (the
// float kernels the device would run) and recording, for every activation tensor, the values it
// takes — its minimum and maximum, and a histogram when a clipping range is to be chosen (range.h).
//
//   EMLKIT_ASSIGN_OR_RETURN(Runner r, Runner::FromBytes(float_bytes, "m.tflite"));
//   EMLKIT_ASSIGN_OR_RETURN(ActivationStats stats, CollectActivationStats(r, {x}, true));
//   ChooseRange(stats.at(t), options)  ->  the real range tensor t is quantized to
//
// Activation tensors are the graph inputs and every float32 operator output. Each record runs
// independently (the model's state is reset before each).
#ifndef EMLKIT_OPTIMIZE_CALIBRATION_H_
#define EMLKIT_OPTIMIZE_CALIBRATION_H_

#include <cstdint>
#include <map>
#include <vector>

#include "common/npy.h"
#include "common/progress.h"
#include "common/status.h"
#include "tflite/runner.h"

namespace emlkit::optimize {

// What one tensor held over all calibration records.
struct TensorStats {
  double min = 0, max = 0;  // over every element of every record
  int64_t count = 0;        // elements seen
  // Histogram over [hist_lo, hist_hi] (the range widened to contain 0) in equal bins; empty
  // when histograms were not requested.
  double hist_lo = 0, hist_hi = 0;
  std::vector<uint64_t> hist;
};

// Tensor index -> statistics.
using ActivationStats = std::map<int32_t, TensorStats>;

// Bins of the histograms CollectActivationStats builds.
inline constexpr int kHistogramBins = 2048;

// Runs every record of `inputs` (one float32 array per model input, [records, *tensor shape]
// or without a leading batch dimension of 1, as tflite::InvokeRecords takes them) through the
// float model in `runner`. With `histograms`, a second pass fills a histogram per tensor over the
// range the first pass found. Non-finite activations are an error naming the tensor and record
// (the float model is broken for that input). `progress`, when given, counts records (twice with
// histograms); Ctrl-C stops with kCancelled.
Result<ActivationStats> CollectActivationStats(tflite::Runner& runner,
                                               const std::vector<NpyArray>& inputs, bool histograms,
                                               Progress* progress = nullptr);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_CALIBRATION_H_
