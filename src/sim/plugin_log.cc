#include "sim/plugin_log.h"

#include <fmt/format.h>

#include <sstream>

namespace emlkit::sim {

Result<PluginLog> ParsePluginLog(const std::string& text, const std::string& name) {
  PluginLog log;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::istringstream ls(line);
    std::string id;
    uint64_t count = 0;
    std::string rest;
    if (!(ls >> id >> count) || (ls >> rest)) {
      return Status::Corruption(
          fmt::format("{}:{}: expected 'MARKER COUNT', got '{}'", name, line_no, line));
    }
    if (id == "end") {
      log.total = count;
      continue;
    }
    char* end = nullptr;
    long m = std::strtol(id.c_str(), &end, 10);
    if (end == id.c_str() || *end != '\0' || m < 0 || m >= kNumMarkers) {
      return Status::Corruption(fmt::format("{}:{}: unknown marker '{}'", name, line_no, id));
    }
    log.events.push_back({static_cast<int>(m), count});
  }
  return log;
}

Result<Counts> AttributeCounts(const PluginLog& log, int num_ops) {
  Counts c;
  std::optional<uint64_t> init_begin, invoke_begin, op_begin;
  for (const MarkerEvent& e : log.events) {
    switch (e.marker) {
      case kInitBegin:
        init_begin = e.count;
        c.in_init = true;
        break;
      case kInitEnd:
        if (init_begin) c.init = e.count - *init_begin;
        c.in_init = false;
        break;
      case kInvokeBegin:
        invoke_begin = e.count;
        break;
      case kInvokeEnd:
        if (!invoke_begin) return Status::Internal("plugin log: invoke end without a begin");
        c.per_record.push_back(e.count - *invoke_begin);
        invoke_begin.reset();
        ++c.records_done;
        break;
      case kOpBegin:
        op_begin = e.count;
        break;
      case kOpEnd:
        if (!op_begin) return Status::Internal("plugin log: op end without a begin");
        c.per_op.push_back(e.count - *op_begin);
        op_begin.reset();
        break;
      default:
        break;
    }
  }
  if (!c.per_op.empty() && static_cast<int>(c.per_op.size()) != num_ops) {
    return Status::Internal(
        fmt::format("plugin log: {} operator begin/end pairs for a model of {} operators",
                    c.per_op.size(), num_ops));
  }
  return c;
}

}  // namespace emlkit::sim
