// The memory planner: places every activation tensor and scratch buffer in the arena so that
// buffers alive at the same time never overlap, then rewrites the tensor table and every
// operator record's Refs into final locations ("linking").
//
// Lifetimes come from Prepare: a tensor lives from the first to the last operator that
// references it (model inputs from the start, model outputs to the end); a scratch buffer lives
// during its operator only; aliased tensors (RESHAPE) share one buffer and one merged lifetime.
// Placement is greedy by size (largest first, each at the lowest offset free for its whole
// lifetime), the strategy TFLite Micro's GreedyMemoryPlanner uses; it is deterministic.
#ifndef EMLKIT_RUNTIME_SRC_PLANNER_H_
#define EMLKIT_RUNTIME_SRC_PLANNER_H_

#include "emlkit/status.h"
#include "src/model.h"
#include "src/state.h"

namespace emlkit {
namespace rt {

// Plans buffers above s->transient_base, links tensor table and records, and sets
// s->arena_bytes. The planner's working list (16 bytes per buffer) uses the same space before
// the activations do, so arena_bytes = transient_base + max(plan peak, working list).
Status PlanAndLink(State* s, const Model& model, ErrorInfo* err);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_SRC_PLANNER_H_
