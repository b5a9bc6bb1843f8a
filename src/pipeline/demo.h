// `emlkit demo`: the whole workflow on data that needs no hardware and no download, in one
// artifacts folder: `emlkit run` (run.h) on the built-in thermostat project
// (examples/thermostat/emlkit.toml) with the demo's options written in:
//
//   roomsim          room_train*.csv (train_days of the room under each of four heating policies
//                    — schedule, motion timeout, always comfort, off — with scenario days,
//                    sensor spikes and dropouts) and room_test.csv (the test_days after them,
//                    another seed: a stretch the model never saw)
//   data prepare     dataset/ (the 5 sensor columns + time of day and weekend, statistics over
//                    window_rows-row windows, label `occupied` or, with forecast_min,
//                    `occupied_soon`; missing values held, spikes replaced by a causal Hampel
//                    filter, so the device can do the same)
//   train            model_float.tflite (+ model_float.train.jsonl), the defaults of emlkit train
//   prune            model_pruned.tflite: structured, to at most prune_target_macs of the MACs
//   quantize         model_int8.tflite: the pruned model, full-integer, calibrated on train
//   eval             each model on the test split through the device runtime
//   targets          targets.txt: the int8 model on every board profile (cost model)
//   export           export/c-array/: the int8 model as a C array (the `emlkit export` library)
//   tune             controller.json: the threshold, occupy and vacate delays with the lowest
//                    closed-loop cost (discomfort min + cost_lambda x kWh) on two validation
//                    seeds (tune_days = 0: the defaults)
//   thermostat-eval  the int8 model in closed loop with the simulated room (every scenario,
//                    eval_days each, the tuned settings) against the three baseline controllers
//
// Written: the files above plus the reports, emlkit.toml (the project that ran), metrics.json
// and report.html. Unlike `emlkit run`, the demo builds the folder under a temporary name and
// renames it at the end: an error or Ctrl-C leaves no half-made folder (and an older folder at
// that place stays until the new one is complete). The same options give byte-identical models
// and metrics.json apart from its `timings` (the training log records wall times too).
#ifndef EMLKIT_PIPELINE_DEMO_H_
#define EMLKIT_PIPELINE_DEMO_H_

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace emlkit::pipeline {

struct DemoOptions {
  std::string out = "demo-out";
  std::string room = "office";  // office | living | bedroom
  std::string start = "2024-02-05";
  int train_days = 28;
  int test_days = 14;
  int eval_days = 7;  // per thermostat scenario
  // The simulated rooms: training seed, seed + 10, + 20, + 30 (one per heating policy), test
  // seed + 1, closed loop seed + 2, controller tuning seeds + 5 and + 6.
  uint64_t seed = 1;
  double prune_target_macs = 0.5;  // 1 = no pruning
  int forecast_min = 0;     // > 0: label "occupied now or within this many minutes" (preheating)
  int window_rows = 30;     // model input: statistics of the last N rows (1 = one row)
  int tune_days = 2;        // per scenario and validation seed; 0 = threshold 0.5, 2 / 20 min
  double cost_lambda = 10;  // closed-loop cost = discomfort min + lambda x kWh
  FILE* log = stderr;       // step lines and the stages' progress; nullptr: silent
};

struct DemoResult {
  std::string dir;                 // the artifacts folder (= options.out)
  nlohmann::ordered_json metrics;  // what metrics.json holds
};

// Errors: bad options (exit code 2, before anything runs), a stage's own error (its message,
// prefixed with the step), Ctrl-C (kCancelled). Nothing is left at `out` on error.
Result<DemoResult> RunDemo(const DemoOptions& options);

// For a terminal: the models side by side (size, MACs, RAM, test accuracy), int8 agreement,
// the thermostat comparison over all scenarios, and the files written.
std::string DemoSummaryText(const DemoResult& result);

}  // namespace emlkit::pipeline

#endif  // EMLKIT_PIPELINE_DEMO_H_
