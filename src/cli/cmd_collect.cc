// `emlkit collect --port PORT [--baud B] [--label NAME] [--columns a,b,c] [--duration T |
// --samples N] [--segment enter|N|T] --out FILE.csv`: a board's serial stream into a CSV of
// recordings (src/collect/collect.h). `emlkit collect --list` lists the serial ports.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "collect/collect.h"
#include "collect/serial_port.h"

namespace emlkit::cli {
namespace {

struct CollectFlags {
  collect::CollectOptions o;
  std::string duration, timeout = "10s", reconnect_timeout;
  bool list = false, json = false, quiet = false;
};

Status RunCollect(CollectFlags& f) {
  if (f.list) {
    std::vector<std::string> ports = collect::ListSerialPorts();
    if (ports.empty()) std::printf("no serial ports found\n");
    for (const std::string& p : ports) std::printf("%s\n", p.c_str());
    return Status::Ok();
  }
  if (f.o.port.empty())
    return Status::InvalidArgument(
        "--port: give the board's serial port, "
        "e.g. /dev/ttyACM0 (--list shows them)");
  if (f.o.out.empty()) return Status::InvalidArgument("--out: give the CSV file to write");
  if (!f.duration.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(f.o.duration_s, collect::ParseSeconds(f.duration, "--duration"));
  }
  EMLKIT_ASSIGN_OR_RETURN(f.o.timeout_s, collect::ParseSeconds(f.timeout, "--timeout"));
  if (!f.reconnect_timeout.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(f.o.reconnect_timeout_s,
                            collect::ParseSeconds(f.reconnect_timeout, "--reconnect-timeout"));
  }
  if (f.o.samples < 0) return Status::InvalidArgument("--samples: give a positive count");
  EMLKIT_ASSIGN_OR_RETURN(collect::CollectSummary s,
                          collect::Collect(f.o, f.quiet ? nullptr : stderr));
  if (f.json) {
    nlohmann::json j = {{"out", s.out},
                        {"appended", s.appended},
                        {"columns", s.columns},
                        {"samples", s.samples},
                        {"recordings", {s.first_recording, s.last_recording}},
                        {"rate_hz", s.rate_hz},
                        {"period_s", s.period_s},
                        {"seconds", s.seconds},
                        {"malformed_lines", s.malformed},
                        {"malformed_examples", s.malformed_examples},
                        {"reconnects", s.reconnects},
                        {"skipped_partial_lines", s.dropped_partial},
                        {"stopped_by", s.stopped_by}};
    std::printf("%s\n", j.dump(2).c_str());
    return Status::Ok();
  }
  std::string recs = s.first_recording == s.last_recording
                         ? fmt::format("recording {}", s.last_recording)
                         : fmt::format("recordings {}-{}", s.first_recording, s.last_recording);
  std::printf("collect: %s %lld rows to %s (%s%s, %zu columns: %s)\n",
              s.appended ? "appended" : "wrote", static_cast<long long>(s.samples), s.out.c_str(),
              recs.c_str(), f.o.label.empty() ? "" : (", label " + f.o.label).c_str(),
              s.columns.size(), fmt::format("{}", fmt::join(s.columns, ",")).c_str());
  std::printf("  rate %.7g Hz (period %.6g ms, fitted over %lld samples), %.1f s, stopped by %s\n",
              s.rate_hz, s.period_s * 1e3, static_cast<long long>(s.samples), s.seconds,
              s.stopped_by.c_str());
  if (s.malformed > 0)
    std::printf("  %lld malformed line%s skipped, e.g. '%s'\n", static_cast<long long>(s.malformed),
                s.malformed == 1 ? "" : "s",
                s.malformed_examples.empty() ? "" : s.malformed_examples[0].c_str());
  if (s.reconnects > 0)
    std::printf("  %lld reconnect%s (the port went away and came back)\n",
                static_cast<long long>(s.reconnects), s.reconnects == 1 ? "" : "s");
  if (s.dropped_partial > 0)
    std::printf("  %lld first line%s skipped: the board was mid-line when the port opened\n",
                static_cast<long long>(s.dropped_partial), s.dropped_partial == 1 ? "" : "s");
  return Status::Ok();
}

}  // namespace

void RegisterCollectCommand(CLI::App& root, CommandList& commands) {
  auto f = std::make_shared<CollectFlags>();
  CLI::App* app = root.add_subcommand(
      "collect",
      "Record a board's serial stream (lines of numbers) into a CSV of recordings for 'emlkit "
      "data prepare': host timestamps, the detected sampling rate, labels; survives board "
      "resets; Ctrl-C stops cleanly");
  app->add_option("--port", f->o.port, "Serial port, e.g. /dev/ttyACM0 (see --list)");
  app->add_flag("--list", f->list, "List the serial ports and exit");
  app->add_option("--baud", f->o.baud, "Baud rate the firmware sets (Serial.begin)")
      ->default_val(115200);
  app->add_option("--label", f->o.label, "Label of every row (adds a 'label' column)");
  app->add_option("--columns", f->o.columns,
                  "Names of the values, comma-separated (default: the board's header line, "
                  "else value0, value1, ...)")
      ->delimiter(',');
  app->add_option("--duration", f->duration, "Stop after this long, e.g. 60s, 5m");
  app->add_option("--samples", f->o.samples, "Stop after this many samples");
  app->add_option("--segment", f->o.segment,
                  "Split into recordings: 'enter' (Enter on the terminal starts the next), N "
                  "samples each (e.g. 119) or a time each (e.g. 2s). Default: one per run");
  app->add_option("--timeout", f->timeout,
                  "Give up when no line of numbers comes within this time after opening")
      ->default_val("10s");
  app->add_option("--reconnect-timeout", f->reconnect_timeout,
                  "Stop when a port that went away is not back within this time (default: keep "
                  "trying until --duration or Ctrl-C)");
  app->add_option("--out", f->o.out, "CSV file to write, or to append to (same columns)");
  app->add_flag("--json", f->json,
                "Print the summary as JSON on stdout (events still go to stderr)");
  app->add_flag("-q,--quiet", f->quiet, "No progress or event lines on stderr");
  commands.push_back({app, [f]() { return RunCollect(*f); }});
}

}  // namespace emlkit::cli
