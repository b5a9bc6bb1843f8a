// emlkit demo: the whole workflow on a simulated room, into one artifacts folder
// (src/pipeline/demo.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "pipeline/demo.h"

namespace emlkit::cli {
namespace {

struct DemoFlags {
  pipeline::DemoOptions options;
  bool json = false;
  bool quiet = false;
};

Status RunDemoCommand(DemoFlags& f) {
  f.options.log = f.quiet ? nullptr : stderr;
  EMLKIT_ASSIGN_OR_RETURN(pipeline::DemoResult r, pipeline::RunDemo(f.options));
  if (f.json) {
    std::printf("%s\n", r.metrics.dump(2).c_str());
  } else {
    if (!f.quiet) std::fputc('\n', stderr);
    std::fputs(pipeline::DemoSummaryText(r).c_str(), stdout);
  }
  return Status::Ok();
}

}  // namespace

void RegisterDemoCommand(CLI::App& root, CommandList& commands) {
  auto flags = std::make_shared<DemoFlags>();
  pipeline::DemoOptions& o = flags->options;
  CLI::App* app = root.add_subcommand(
      "demo",
      "The whole workflow with no hardware and no download: simulate a room (training weeks and "
      "an unseen test period, with sensor faults), prepare the data, train, prune, quantize to "
      "int8, evaluate every model through the device runtime, and run the int8 model in the "
      "thermostat in closed loop against three baseline controllers. Everything lands in one "
      "folder, with metrics.json.");
  app->add_option("--out", o.out, "Artifacts folder (replaced when the demo completes)")
      ->capture_default_str();
  app->add_option("--room", o.room, "Room type: office, living or bedroom")->capture_default_str();
  app->add_option("--start", o.start, "First simulated day, YYYY-MM-DD")->capture_default_str();
  app->add_option("--train-days", o.train_days, "Simulated days for training and validation")
      ->capture_default_str();
  app->add_option("--test-days", o.test_days, "Simulated days after them, for the test split")
      ->capture_default_str();
  app->add_option("--eval-days", o.eval_days, "Closed-loop days per thermostat scenario")
      ->capture_default_str();
  app->add_option("--seed", o.seed,
                  "Seed of the simulated rooms (the later stages use their own defaults); the same "
                  "seed gives the same artifacts")
      ->capture_default_str();
  app->add_option("--forecast-min", o.forecast_min,
                  "Train the model to say 'occupied now or within N minutes' so the thermostat "
                  "warms the room before people come (0 = occupied now)")
      ->capture_default_str();
  app->add_option("--window-rows", o.window_rows,
                  "Model input: statistics of the last N readings per sensor (1 = one row)")
      ->capture_default_str();
  app->add_option("--tune-days", o.tune_days,
                  "Days per scenario and validation seed for choosing the threshold and vacate "
                  "delay by closed-loop cost (0 = no tuning: 0.5 and 20 min)")
      ->capture_default_str();
  app->add_option("--lambda", o.cost_lambda, "Closed-loop cost = discomfort minutes + lambda x kWh")
      ->capture_default_str();
  app->add_option("--prune-target-macs", o.prune_target_macs,
                  "Structured pruning keeps at most this fraction of the MACs (1 = no pruning)")
      ->capture_default_str();
  app->add_flag("--json", flags->json, "Print metrics.json on stdout instead of the summary");
  app->add_flag("-q,--quiet", flags->quiet, "No step lines or progress on stderr");
  commands.push_back({app, [flags] { return RunDemoCommand(*flags); }});
}

}  // namespace emlkit::cli
