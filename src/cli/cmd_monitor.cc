// `emlkit monitor --model MODEL.tflite (--port PORT | --replay FILE.csv [--speed 10x])`: the
// live-classification view (src/collect/monitor.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/command.h"
#include "collect/collect.h"
#include "collect/monitor.h"

namespace emlkit::cli {
namespace {

struct MonitorFlags {
  collect::MonitorOptions o;
  std::string speed = "1x", duration, timeout = "10s";
  bool quiet = false;
};

Status RunMonitor(MonitorFlags& f) {
  EMLKIT_ASSIGN_OR_RETURN(f.o.speed, collect::ParseSpeed(f.speed));
  if (!f.duration.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(f.o.duration_s, collect::ParseSeconds(f.duration, "--duration"));
  }
  EMLKIT_ASSIGN_OR_RETURN(f.o.timeout_s, collect::ParseSeconds(f.timeout, "--timeout"));
  FILE* log = f.quiet ? nullptr : stderr;
  EMLKIT_ASSIGN_OR_RETURN(collect::MonitorSummary s, collect::Monitor(f.o, stdout, log));
  if (log != nullptr) {
    std::string counts;
    for (const auto& [label, n] : s.label_counts) counts += fmt::format(", {} {}", label, n);
    std::fprintf(log,
                 "monitor: %lld rows, %lld predictions%s; input %.4g rows/s; %lld "
                 "malformed lines; stopped by %s\n",
                 static_cast<long long>(s.rows), static_cast<long long>(s.predictions),
                 counts.c_str(), s.rate_hz, static_cast<long long>(s.malformed),
                 s.stopped_by.c_str());
  }
  return Status::Ok();
}

}  // namespace

void RegisterMonitorCommand(CLI::App& root, CommandList& commands) {
  auto f = std::make_shared<MonitorFlags>();
  CLI::App* app = root.add_subcommand(
      "monitor",
      "Live predictions: a board's serial stream (or a replayed CSV log) through the model's "
      "recorded preprocessing and the device runtime, one line per prediction with the input "
      "rate");
  app->add_option("--model", f->o.model,
                  "A .tflite made by emlkit (its metadata holds the "
                  "preprocessing)")
      ->required();
  app->add_option("--port", f->o.port, "Serial port of the board, e.g. /dev/ttyACM0");
  app->add_option("--replay", f->o.replay, "A CSV log to replay instead of a port");
  app->add_option("--speed", f->speed, "Replay pace: 1x real time (default), 10x, or max");
  app->add_option("--baud", f->o.baud, "Baud rate the firmware sets")->default_val(115200);
  app->add_option("--columns", f->o.columns,
                  "Names of the port's values, comma-separated (default: the board's header "
                  "line, or the model's columns when the counts match)")
      ->delimiter(',');
  app->add_option("--duration", f->duration, "Stop after this long, e.g. 60s");
  app->add_option("--timeout", f->timeout, "Give up when no line of numbers comes in this time")
      ->default_val("10s");
  app->add_flag("--json", f->o.json, "One JSON object per prediction on stdout");
  app->add_flag("-q,--quiet", f->quiet, "No event or summary lines on stderr");
  commands.push_back({app, [f]() { return RunMonitor(*f); }});
}

}  // namespace emlkit::cli
