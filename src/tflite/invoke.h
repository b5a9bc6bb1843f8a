// Running a model over many records, each independently: what `emlkit invoke` does, as a
// library call.
//
// Layout (the golden folders' input<i>.npy / output<i>.npy): one array per model input and per
// model output, in the model's order; the first axis is the record, the rest is the tensor's
// shape: [records, *tensor_shape], in the tensor's dtype. An input may also leave out the
// tensor's leading batch dimension when it is 1 ([records, 5] for a [1, 5] tensor), the layout of
// a data set's X arrays.
//
//   EMLKIT_ASSIGN_OR_RETURN(Runner r, Runner::Open("model.tflite"));
//   EMLKIT_ASSIGN_OR_RETURN(std::vector<NpyArray> outs, InvokeRecords(r, {x}, {"x.npy"}));
#ifndef EMLKIT_TFLITE_INVOKE_H_
#define EMLKIT_TFLITE_INVOKE_H_

#include <string>
#include <vector>

#include "common/npy.h"
#include "common/progress.h"
#include "common/status.h"
#include "tflite/runner.h"

namespace emlkit::tflite {

// Checks `inputs` against the model's inputs (count, dtype, shape, the same number of records in
// every array) and returns the number of records. `names` (one per input, e.g. the file names)
// are used in messages, which also name the model tensor and what it expects. InvalidArgument
// (exit code 2) on any mismatch.
Result<int64_t> CheckInvokeInputs(const Runner& runner, const std::vector<NpyArray>& inputs,
                                  const std::vector<std::string>& names);

// Runs every record: resets the model's state (its variable tensors, if any), sets each input
// to the record's slice, invokes, and copies each output into the record's slice of the output
// arrays ([records, *tensor_shape], the tensor's dtype). `progress`, when given, is updated per
// record; Ctrl-C (InterruptRequested) stops with kCancelled. Outputs whose type .npy cannot hold
// are refused (kUnsupported) before anything runs.
Result<std::vector<NpyArray>> InvokeRecords(Runner& runner, const std::vector<NpyArray>& inputs,
                                            const std::vector<std::string>& names,
                                            Progress* progress = nullptr);

}  // namespace emlkit::tflite

#endif  // EMLKIT_TFLITE_INVOKE_H_
