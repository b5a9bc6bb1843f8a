// `emlkit data prepare`: CSV files in, a data set folder out (dataset.h describes the folder,
// docs/dataset-json.md the dataset.json schema).
//
//   load columns -> order/segment -> clean -> labels -> split -> fit scaling on train ->
//   scale + window each part -> write X_*.npy, y_*.npy, dataset.json (staged, renamed at the end)
//
// Splits: `random` assigns whole records (rows, or windows) to train/val/test, stratified by
// class and seeded; `time` cuts each file's time-ordered rows at 70 % / 85 % (by default) and
// windows each part on its own, so no window and no target crosses a split boundary. Explicit
// test files always form the test split; the other records are then split into train/val.
#ifndef EMLKIT_DATA_PREPARE_H_
#define EMLKIT_DATA_PREPARE_H_

#include <array>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/prepare_options.h"

namespace emlkit::data {

struct PrepareResult {
  std::string dir;
  std::array<int64_t, 3> records{};                  // train, val, test
  std::array<std::vector<int64_t>, 3> class_counts;  // per split, per class
  std::vector<std::string> label_names;
  std::vector<int64_t> record_shape;
  std::string split_method;
  std::vector<std::string> notes;     // what cleaning did, for people
  std::vector<std::string> warnings;  // tiny splits and classes (the data set is still written)
  int64_t recordings = 0;             // segments (recordings) formed
  std::string dataset_json;
};

Result<PrepareResult> Prepare(const PrepareOptions& options);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_PREPARE_H_
