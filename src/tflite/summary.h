// A model at a glance, before anything is flashed: its operators in order (with names, and the
// ones emlkit's runtime cannot run), tensors with shapes, types and quantization, parameter and
// MAC counts (per op and in total), file size, the arena the runtime plans for it, and its
// `emlkit` metadata. What `emlkit inspect` prints; usable by any stage (sim, export, reports).
//
//   EMLKIT_ASSIGN_OR_RETURN(ModelSummary s, SummarizeModelFile("model.tflite"));
//   if (!s.unsupported_ops.empty()) ...;
//   std::cout << SummaryText(s);        // or SummaryJson(s).dump(2)
#ifndef EMLKIT_TFLITE_SUMMARY_H_
#define EMLKIT_TFLITE_SUMMARY_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "tflite/model.h"
#include "tflite/op_cost.h"

namespace emlkit::tflite {

struct OpSummary {
  std::string name;         // "FULLY_CONNECTED", "CUSTOM:SignalWindow" (op_support.h)
  std::string unsupported;  // why the runtime cannot run it; empty when it can
  OpCost cost;              // MACs and parameters (op_cost.h)
};

struct ModelSummary {
  std::string name;  // the file name given, used in messages and output
  size_t model_bytes = 0;
  Model model;                               // as read (ReadModel)
  std::vector<OpSummary> ops;                // parallel to model.operators
  std::vector<std::string> unsupported_ops;  // distinct names, in order of first use
  int64_t params = 0;  // elements of all constant operator inputs, each tensor counted once
  int64_t macs = 0;    // sum over operators
  // Bytes of RAM the runtime needs for the model (planned activations + bookkeeping + state),
  // as its planner computes it; absent when the runtime cannot prepare the model, and then
  // `arena_note` says why (unsupported operators, or the runtime's own error message).
  std::optional<size_t> arena_bytes;
  std::string arena_note;
};

// Reads and verifies the model (errors as ReadModel: exit code 2), computes the counts and asks
// the runtime to plan the arena. A model the runtime cannot run is still summarized.
Result<ModelSummary> SummarizeModel(const std::vector<uint8_t>& bytes, const std::string& name);
Result<ModelSummary> SummarizeModelFile(const std::string& path);

// The JSON document of `emlkit inspect --json` (keys described in README.md): ops (names),
// unsupported_ops, params, macs, arena_bytes (null when not planned), model_bytes, inputs and
// outputs (name, tensor_index, shape, dtype, scale, zero_point), op_details, tensors, metadata.
nlohmann::json SummaryJson(const ModelSummary& s);
// The human-readable report of `emlkit inspect`.
std::string SummaryText(const ModelSummary& s);

}  // namespace emlkit::tflite

#endif  // EMLKIT_TFLITE_SUMMARY_H_
