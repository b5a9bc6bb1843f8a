// The instruction-count plugin's log (src/sim/qemu_plugin/emlkit_icount.c) and what it says:
// "MARKER COUNT" lines (marker ids in MarkerNames() order) and a final "end COUNT".
#ifndef EMLKIT_SIM_PLUGIN_LOG_H_
#define EMLKIT_SIM_PLUGIN_LOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::sim {

enum Marker : int {
  kInitBegin = 0,
  kInitEnd = 1,
  kInvokeBegin = 2,
  kInvokeEnd = 3,
  kOpBegin = 4,
  kOpEnd = 5,
  kNumMarkers = 6,
};

struct MarkerEvent {
  int marker = 0;
  uint64_t count = 0;  // instructions executed before the marker's first instruction
};

struct PluginLog {
  std::vector<MarkerEvent> events;
  std::optional<uint64_t> total;  // the "end" line (absent when the emulator was killed)
};

// Corruption (naming `name` and the line) on a malformed line or an unknown marker id.
Result<PluginLog> ParsePluginLog(const std::string& text, const std::string& name);

// Instruction counts between matching markers.
struct Counts {
  std::optional<uint64_t> init;      // Init (init begin -> init end)
  std::vector<uint64_t> per_record;  // each replayed Invoke (invoke begin -> invoke end)
  std::vector<uint64_t> per_op;      // one hooked Invoke: op begin -> op end, in op order
  int64_t records_done = 0;          // completed Invokes (the record in progress on a failure)
  bool in_init = false;              // the log stops inside Init
};

// Pairs the events. Per-op counts come from the op markers after the last replayed Invoke; there
// must be `num_ops` pairs of them when any (an Internal error otherwise).
Result<Counts> AttributeCounts(const PluginLog& log, int num_ops);

}  // namespace emlkit::sim

#endif  // EMLKIT_SIM_PLUGIN_LOG_H_
