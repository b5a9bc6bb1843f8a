// `emlkit eval MODEL --data DIR --compare REFERENCE`: a model against its reference (an int8
// model against its float original, a pruned model against the unpruned one) on a data set
// split, layer by layer (compare.h).
#ifndef EMLKIT_OPTIMIZE_EVAL_COMPARE_H_
#define EMLKIT_OPTIMIZE_EVAL_COMPARE_H_

#include <string>

#include "common/status.h"
#include "data/dataset.h"
#include "optimize/compare.h"

namespace emlkit::optimize {

// Both models on every record of `split` (of the data set in `data_dir`). Errors as
// tflite::Runner::Open, RecordsFromSplit and CompareModels (exit code 2).
Result<ModelComparison> CompareOnSplit(const std::string& reference, const std::string& model,
                                       const data::Dataset& ds, const std::string& data_dir,
                                       const std::string& split);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_EVAL_COMPARE_H_
