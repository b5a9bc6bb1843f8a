// The records quantization calibrates on and reports on: a split of a prepared data set
// (src/data/dataset.h) or .npy arrays (one per model input), checked against the model's inputs
// and sampled down to at most N records.
//
//   EMLKIT_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset("ds/"));
//   EMLKIT_ASSIGN_OR_RETURN(RecordSet calib, RecordsFromSplit(ds, "train", "ds/", runner));
//   RecordSet sample = SampleRecords(calib, 1000, seed);
#ifndef EMLKIT_OPTIMIZE_RECORDS_H_
#define EMLKIT_OPTIMIZE_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/npy.h"
#include "common/status.h"
#include "data/dataset.h"
#include "tflite/runner.h"

namespace emlkit::optimize {

// Fewer calibration records than this gets a warning: ranges from a handful of records clip the
// values the model meets later.
inline constexpr int64_t kMinCalibrationRecords = 20;

struct RecordSet {
  std::vector<NpyArray> inputs;  // float32, one per model input, [records, ...]
  NpyArray y;                    // the split's labels / targets, same records (data sets only)
  std::string description;       // "the train split of ds/", "x.npy" (for messages and reports)
  int64_t records() const { return inputs.empty() ? 0 : inputs[0].records(); }
};

// True when `path` is a data set folder (holds dataset.json).
bool IsDatasetFolder(const std::string& path);

// The records of one split of a data set, for a model with one input. Errors (InvalidArgument,
// exit code 2) name the folder and what the model expects: a record shape that does not fit
// the model's input, an empty split, a model with several inputs.
Result<RecordSet> RecordsFromSplit(const data::Dataset& ds, const std::string& split,
                                   const std::string& dir, const tflite::Runner& model);

// Several splits ("train,val"): their records one after the other, in the order given.
Result<RecordSet> RecordsFromSplits(const data::Dataset& ds, const std::string& splits,
                                    const std::string& dir, const tflite::Runner& model);

// One .npy file per model input (float32, [records, *tensor shape] or without a leading batch
// dimension of 1). Errors name the file and what the model expects.
Result<RecordSet> RecordsFromNpy(const std::vector<std::string>& paths,
                                 const tflite::Runner& model);

// A seeded sample of at most `max_records` records (all when there are fewer), in their original
// order. Deterministic: the same set, limit and seed give the same records.
RecordSet SampleRecords(const RecordSet& set, int64_t max_records, uint64_t seed);

// The records of `a` (first axis) at `rows`, in that order.
NpyArray SelectRows(const NpyArray& a, const std::vector<int64_t>& rows);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_RECORDS_H_
