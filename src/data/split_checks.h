// Checks that a data set's splits can train and test a model, shared by `data prepare` (before
// anything is written) and `train` / `eval` (on a folder, which may come from an older emlkit).
//
// Errors (exit 2): an empty train split; an empty validation or test split that was asked for;
// a class with no record in train; a class of train missing from validation or test. Each names
// the class and the split. Warnings (the run goes on): a split under kFewRecords records, a class
// under kFewPerClass records in a split.
#ifndef EMLKIT_DATA_SPLIT_CHECKS_H_
#define EMLKIT_DATA_SPLIT_CHECKS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/dataset.h"

namespace emlkit::data {

inline constexpr int64_t kFewRecords = 30;
inline constexpr int64_t kFewPerClass = 5;

struct SplitCounts {
  std::array<int64_t, 3> records{};                   // train, val, test
  std::array<std::vector<int64_t>, 3> per_class;      // empty for regression
  std::vector<std::string> class_names;               // empty for regression
  std::array<bool, 3> expected = {true, true, true};  // a split that was asked for (fraction > 0)
};

// `fix` is appended to every error: what to do (it differs between prepare and train).
// `why_missing[c]` (optional), when not empty, says why class c has no record at all: that is
// reported first, as "class 'c' has no record: <why>".
Status CheckSplits(const SplitCounts& counts, const std::string& fix,
                   std::vector<std::string>* warnings,
                   const std::vector<std::string>& why_missing = {});

// The same checks on a loaded data set (classification and regression; anomaly sets pass).
// Validation / test are expected when dataset.json's split fractions ask for them (older
// files without them: when the split is not empty).
Status CheckDatasetSplits(const Dataset& ds, const std::string& fix,
                          std::vector<std::string>* warnings);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_SPLIT_CHECKS_H_
