// Building a ModelSummary: counts from the model, names and support from the runtime's op
// table, the arena from the runtime's planner.
#include "tflite/summary.h"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "common/fs.h"
#include "tflite/op_support.h"

#include "tflite/runner.h"

namespace emlkit::tflite {
namespace {

void PlanArena(const std::vector<uint8_t>& bytes, ModelSummary* s) {
  if (!s->unsupported_ops.empty()) {
    s->arena_note = "not planned: the model has operators emlkit's runtime does not run";
    return;
  }
  Result<Runner> r = Runner::FromBytes(bytes, s->name);
  if (!r.ok()) {
    s->arena_note = "not planned: " + r.status().message();
    return;
  }
  s->arena_bytes = r->arena_bytes();
}

}  // namespace

Result<ModelSummary> SummarizeModel(const std::vector<uint8_t>& bytes, const std::string& name) {
  ModelSummary s;
  s.name = name;
  s.model_bytes = bytes.size();
  EMLKIT_ASSIGN_OR_RETURN(s.model, ReadModel(bytes.data(), bytes.size(), name));
  std::set<int32_t> counted;  // parameter tensors already in s.params
  std::set<std::string> unsupported;
  for (const Operator& op : s.model.operators) {
    OpSummary o;
    o.name = OpName(op);
    o.unsupported = UnsupportedReason(op);
    o.cost = EstimateOpCost(s.model, op);
    s.macs = o.cost.macs > INT64_MAX - s.macs ? INT64_MAX : s.macs + o.cost.macs;
    for (int32_t t : o.cost.param_tensors) {
      if (counted.insert(t).second) s.params += NumElements(s.model.tensors[t].shape);
    }
    if (!o.unsupported.empty() && unsupported.insert(o.name).second) {
      s.unsupported_ops.push_back(o.name);
    }
    s.ops.push_back(std::move(o));
  }
  PlanArena(bytes, &s);
  return s;
}

Result<ModelSummary> SummarizeModelFile(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return SummarizeModel(bytes, path);
}

}  // namespace emlkit::tflite
