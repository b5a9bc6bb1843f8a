// A prepared data set: the folder `emlkit data prepare` writes and every later stage reads.
//
//   DIR/X_train.npy y_train.npy X_val.npy y_val.npy X_test.npy y_test.npy dataset.json
//
// X arrays are float32 with shape [records, *record_shape]; y arrays are int32 class indices
// [records] (classification, anomaly labels 0 = normal / 1 = anomaly) or float32 targets
// [records] or [records, k] (regression). The full schema of dataset.json is in
// docs/dataset-json.md; LoadDataset() reads the keys every consumer needs and keeps the whole
// document as text so it can travel inside a model's metadata (the device preprocesses a raw row
// from it exactly as training did).
#ifndef EMLKIT_DATA_DATASET_H_
#define EMLKIT_DATA_DATASET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/npy.h"
#include "common/status.h"

namespace emlkit::data {

inline constexpr const char* kDatasetFormat = "emlkit-dataset";
inline constexpr int kDatasetVersion = 1;

struct DatasetInfo {
  std::string task;                        // "classification" | "regression" | "anomaly"
  std::vector<int64_t> record_shape;       // shape of one X record: [F] or [window, channels]
  std::vector<std::string> feature_names;  // one per element of a flattened record
  std::string label_column;                // "" when labels come from a rule
  std::vector<std::string> label_names;    // class names, index = class id (classification/anomaly)
  std::string json_text;                   // the whole dataset.json, unchanged
};

struct Split {
  NpyArray x;  // float32 [n, *record_shape]
  NpyArray y;  // int32 [n] or float32 [n] / [n, k]
  int64_t size() const { return x.records(); }
};

struct Dataset {
  DatasetInfo info;
  Split train, val, test;
  const Split& split(const std::string& name) const;  // "train" | "val" | "test"
};

// Reads and validates a data set folder: dataset.json present and well-formed; every array
// present with the right dtype and shape (X records match record_shape, y has one entry per
// record); no NaN/inf in X or float y; class labels within [0, len(label_names)). Errors name the
// file (and record/feature where it applies) and exit with code 2. Empty val/test splits
// ([0, ...] arrays) are allowed; an empty train split is not.
Result<Dataset> LoadDataset(const std::string& dir);

// Parses only dataset.json (no arrays). `name` is used in messages.
Result<DatasetInfo> ParseDatasetInfo(const std::string& json_text, const std::string& name);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_DATASET_H_
