// `emlkit run`: every stage an emlkit.toml configures, in order, into one artifacts folder,
// re-running only what changed.
//
//   EMLKIT_ASSIGN_OR_RETURN(Project p, LoadProject("emlkit.toml"));
//   RunOptions o;  o.out = "out";
//   EMLKIT_ASSIGN_OR_RETURN(RunResult r, RunProject(p, o));   // out/metrics.json, out/report.html
//
// The stages (a stage runs when the project configures it):
//   roomsim          room_train.csv, room_test.csv               ([roomsim])
//   data prepare     dataset/                                     ([data])
//   train            model_float.tflite, model_float.train.jsonl  ([train])
//   prune            model_pruned.tflite, prune_report.txt        ([prune])
//   quantize         model_int8.tflite, quantize_report.txt       ([quantize])
//   eval             every model on the test split, through the device runtime
//   targets          targets.txt: one `emlkit sim --target` verdict per board ([targets])
//   export           the deploy package ([export]; skipped while `emlkit export` is not built in)
//   thermostat-eval  thermostat_eval.txt, thermostat_trace.csv    ([thermostat])
// then metrics.json (docs/metrics-json.md) and report.html (src/report/).
//
// Skipping: a stage whose key — its options and the content of its input files — matches the
// stamp of its last complete run, and whose outputs are unchanged, is not run again
// (stage_cache.h); its figures come from the stamp. Every file is written atomically; Ctrl-C
// stops with kCancelled leaving every finished stage's artifacts and stamp intact. Temporary
// files and staging folders a killed run left behind (NAME.tmp-PID-N of a dead PID) are
// removed at the start. Paths inside the artifacts are relative to the folder.
#ifndef EMLKIT_PIPELINE_RUN_H_
#define EMLKIT_PIPELINE_RUN_H_

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/project.h"

namespace emlkit::pipeline {

struct RunOptions {
  std::string out;  // the artifacts folder (created if missing; its parent must exist)
  // The name shown for `out` in progress lines ("" = out); the demo builds in a staging folder.
  std::string shown_out;
  bool force = false;              // run every stage even when up to date
  FILE* log = stderr;              // the progress lines and the stages' own output; nullptr: silent
  nlohmann::ordered_json options;  // metrics.json "options" (null: the project file's name)
};

struct StageOutcome {
  std::string name;      // "train"
  bool skipped = false;  // up to date
  double seconds = 0;    // of the run that made its artifacts
};

struct RunResult {
  std::string dir;
  std::vector<StageOutcome> stages;
  nlohmann::ordered_json metrics;  // what metrics.json holds
};

Result<RunResult> RunProject(const Project& project, const RunOptions& options);

// For a terminal: one line per stage (ran / up to date), the models side by side, the boards
// and, for the thermostat, the closed-loop comparison.
std::string RunSummaryText(const RunResult& result);

}  // namespace emlkit::pipeline

#endif  // EMLKIT_PIPELINE_RUN_H_
