// emlkit.toml: one project file for `emlkit run` (docs/emlkit-toml.md lists every key).
//
//   EMLKIT_ASSIGN_OR_RETURN(Project p, LoadProject("emlkit.toml"));
//   // p.prepare, p.train, ... hold the options, each section's defaults where a key is absent
//
// Sections, in the order the stages run: [project] (name), [roomsim] (simulate the data instead
// of reading CSV files), [data] (as `emlkit data prepare --config`), [train] (as `emlkit train
// --config`), [prune], [quantize], [targets], [export], [thermostat] (closed-loop check, needs
// [roomsim]). A stage runs when its section is present; [data], [train] and [quantize] always
// run. Unknown sections, unknown keys, wrong types and bad values are errors naming
// FILE:LINE:COL and the key (exit code 2) before anything runs.
#ifndef EMLKIT_PIPELINE_PROJECT_H_
#define EMLKIT_PIPELINE_PROJECT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/prepare_options.h"
#include "optimize/prune_job.h"
#include "optimize/quantize_job.h"
#include "train/train_options.h"

namespace emlkit::pipeline {

struct RoomsimSection {
  std::string room = "office";  // office | living | bedroom
  std::string start = "2024-02-05";
  int train_days = 28;
  int test_days = 14;
  // Training: seed, seed + 10, + 20, + 30 (one file per heating policy); test: seed + 1;
  // closed loop: seed + 2; controller tuning: seed + 5 and + 6.
  uint64_t seed = 1;
  // > 0: the CSV files get a column `occupied_soon` (someone in the room now or within this many
  // minutes), the label of a model that lets the thermostat preheat.
  int forecast_min = 0;
};

struct TargetsSection {
  std::vector<std::string> boards = {"all"};  // board names (targets/boards/*.toml) or "all"
  bool emulate = false;  // true: run the model on the emulated cores (needs QEMU)
};

struct ExportSection {
  std::vector<std::string> formats = {"c-array"};
};

struct ThermostatSection {
  int eval_days = 7;        // per scenario
  int tune_days = 2;        // per scenario and validation seed; 0 = threshold 0.5, 2 / 20 min
  double cost_lambda = 10;  // closed-loop cost = discomfort minutes + cost_lambda x kWh
};

struct Project {
  std::string path;  // the emlkit.toml
  std::string name;
  std::optional<RoomsimSection> roomsim;
  data::PrepareOptions prepare;
  train::TrainOptions train;
  std::optional<optimize::PruneJobOptions> prune;
  optimize::QuantizeJobOptions quantize;
  std::optional<TargetsSection> targets;
  std::optional<ExportSection> exports;
  std::optional<ThermostatSection> thermostat;
  // Each section's text in a canonical form (sorted keys, comments dropped): what a stage's
  // cache key includes.
  std::map<std::string, std::string> section_text;
};

Result<Project> LoadProject(const std::string& path);

// The examples `emlkit init --example NAME` writes: thermostat, occupancy, gestures, anomaly.
const std::vector<std::string>& ExampleNames();
// A commented emlkit.toml for `name`; InvalidArgument naming the known ones otherwise.
Result<std::string> ExampleProjectText(const std::string& name);

}  // namespace emlkit::pipeline

#endif  // EMLKIT_PIPELINE_PROJECT_H_
