// `emlkit sim MODEL.tflite --emulate TARGET --data DATA [--split test] [--records N] [--json]`:
// runs the model's firmware on an emulated core over a data set and checks every output against
// the host runtime (src/sim/sim.h).
// `emlkit sim MODEL.tflite --target BOARD|all [--target-file F] [--data DATA] [--json]`: the
// pre-flash verdict for real boards (src/sim/board_run.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/command.h"
#include "sim/board_run.h"
#include "sim/sim.h"
#include "sim/targets.h"

namespace emlkit::cli {
namespace {

struct SimCliOptions {
  sim::SimOptions sim;
  std::string board, board_file;
  bool json = false;
  bool no_per_op = false;
  std::string format = "interpreter";
};

Status RunTargetCommand(const SimCliOptions& o) {
  sim::TargetOptions to;
  to.model = o.sim.model;
  to.target = o.board;
  to.target_file = o.board_file;
  to.data = o.sim.data;
  to.split = o.sim.split;
  to.records = o.sim.records;
  to.aot = o.format == "aot";
  EMLKIT_ASSIGN_OR_RETURN(std::vector<sim::BoardFit> fits, sim::RunTargets(to));
  if (o.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const sim::BoardFit& f : fits) j.push_back(sim::BoardFitJson(f));
    std::printf("%s\n", (fits.size() == 1 ? j[0] : j).dump(2).c_str());
  } else if (fits.size() == 1) {
    std::printf("%s", sim::BoardFitText(fits[0]).c_str());
  } else {
    std::printf(
        "emlkit sim: %s on %zu boards (latency and energy per inference; +- the "
        "expected relative error)\n%s",
        o.sim.model.c_str(), fits.size(), sim::BoardFitTable(fits).c_str());
  }
  for (const sim::BoardFit& f : fits) {
    if (f.bit_exact && !*f.bit_exact) {
      return Status::Failed(
          fmt::format("{} on {}: outputs differ from the host runtime (run "
                      "--emulate for the details)",
                      f.model, f.target));
    }
  }
  return Status::Ok();
}

Status RunSimCommand(const SimCliOptions& o) {
  const bool board = !o.board.empty() || !o.board_file.empty();
  if (board && !o.sim.target.empty()) {
    return Status::InvalidArgument("give either --emulate TARGET or --target BOARD, not both");
  }
  if (board) return RunTargetCommand(o);
  if (o.sim.target.empty()) {
    return Status::InvalidArgument(
        "give --emulate TARGET (run on an emulated core) or --target BOARD|all (the pre-flash "
        "verdict for a board)");
  }
  if (o.sim.data.empty()) {
    return Status::InvalidArgument(
        "--emulate needs --data (a data set folder, a folder with "
        "input0.npy ..., or a .npy file)");
  }
  sim::SimOptions so = o.sim;
  so.per_op = !o.no_per_op;
  so.aot = o.format == "aot";
  EMLKIT_ASSIGN_OR_RETURN(sim::SimReport r, sim::RunSim(so));
  if (o.json) {
    std::printf("%s\n", sim::ReportJson(r).dump(2).c_str());
  } else {
    std::printf("%s", sim::ReportText(r).c_str());
  }
  if (!r.bit_exact) {
    const sim::Mismatch& m = r.mismatches.front();
    return Status::Failed(fmt::format(
        "{} on {}: {} output bytes differ from the host runtime (first: record {}, output {}, "
        "byte {}: device {}, host {})",
        r.model, r.target, r.mismatch_count, m.record, m.output, m.byte, m.device, m.host));
  }
  return Status::Ok();
}

}  // namespace

void RegisterSimCommand(CLI::App& root, CommandList& commands) {
  auto opts = std::make_shared<SimCliOptions>();
  CLI::App* app = root.add_subcommand(
      "sim",
      "Build firmware (device runtime + model + replay harness) for an emulated core, run every "
      "record of a data set on it under QEMU and check the outputs bit for bit against the host; "
      "report instructions per Invoke (counts, not cycles), flash and RAM (--emulate). Or the "
      "pre-flash verdict for real boards (--target BOARD|all): fits or not, RAM and flash against "
      "the board's, latency and energy per inference");
  app->add_option("model", opts->sim.model, "The .tflite file")->required();
  app->add_option("--emulate", opts->sim.target, "Target: " + sim::TargetNames());
  app->add_option("--target", opts->board,
                  "A board (targets/boards/*.toml: esp32, nano33ble, pico, uno, ...) or all: RAM, "
                  "flash, latency, energy and whether the model fits");
  app->add_option("--target-file", opts->board_file, "A board profile of your own (TOML)");
  app->add_option("--data", opts->sim.data,
                  "A data set folder (dataset.json + X_<split>.npy, from `emlkit data prepare`), "
                  "a folder with input0.npy ... (one per model input), or a .npy file "
                  "(required with --emulate; with --target it adds the bit-exact check)");
  app->add_option("--split", opts->sim.split, "Data set split: train, val or test")
      ->capture_default_str();
  app->add_option("--records", opts->sim.records, "Replay at most N records (default: all)")
      ->check(CLI::PositiveNumber);
  app->add_option("--format", opts->format,
                  "What runs on the device: interpreter (the .tflite + runtime, default) or aot "
                  "(the code `emlkit export --format aot` generates)")
      ->check(CLI::IsMember({"interpreter", "aot"}));
  app->add_flag("--json", opts->json, "Print the report as JSON");
  app->add_flag("--no-per-op", opts->no_per_op, "Skip the extra hooked Invoke for per-op counts");
  // Testing switches (hidden): timeout, and harness faults to check the error paths.
  app->add_option("--timeout", opts->sim.timeout_s)->group("");
  app->add_option("--flip-byte", opts->sim.flip_record)->group("");
  app->add_option("--fault-at", opts->sim.fault_record)->group("");
  app->add_option("--hang-at", opts->sim.hang_record)->group("");
  commands.push_back({app, [opts]() { return RunSimCommand(*opts); }});
}

}  // namespace emlkit::cli
