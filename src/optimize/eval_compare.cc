#include "optimize/eval_compare.h"

#include "optimize/records.h"
#include "tflite/runner.h"

namespace emlkit::optimize {

Result<ModelComparison> CompareOnSplit(const std::string& reference, const std::string& model,
                                       const data::Dataset& ds, const std::string& data_dir,
                                       const std::string& split) {
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner ref, tflite::Runner::Open(reference));
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner test, tflite::Runner::Open(model));
  EMLKIT_ASSIGN_OR_RETURN(RecordSet records, RecordsFromSplit(ds, split, data_dir, ref));
  return CompareModels(ref, test, records.inputs);
}

}  // namespace emlkit::optimize
