// The stages of `emlkit run` (run.h), each a key (what it reads) and a job (what it writes),
// calling the stages' own library functions. Internal to src/pipeline.
#ifndef EMLKIT_PIPELINE_STAGES_H_
#define EMLKIT_PIPELINE_STAGES_H_

#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/project.h"
#include "pipeline/stage_cache.h"

namespace emlkit::pipeline {

struct StageOutput {
  std::vector<std::string> outputs;  // files and folders written, relative to the folder
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();  // into metrics.json
  nlohmann::ordered_json report = nlohmann::ordered_json::object();   // into report.html only
};

struct StageDef {
  std::string id;     // the stamp's name: "train"
  std::string title;  // the progress line: "train: ... -> model_float.tflite"
  std::function<Status(StageKey&)> key;
  std::function<Result<StageOutput>()> run;
};

struct RunContext {
  const Project* project = nullptr;
  std::string dir;        // the artifacts folder as the stages write to it
  std::string shown_dir;  // its name in messages
  FILE* log = stderr;
  std::string Path(const std::string& name) const { return dir + "/" + name; }
  // Text with `dir/` removed, so files name each other relative to the folder.
  std::string Relative(std::string text) const;
};

std::vector<StageDef> BuildStages(const RunContext& c);

// One stage's figures as metrics.json and report.html take them.
void MergeFigures(nlohmann::ordered_json* into, const nlohmann::ordered_json& figures);

}  // namespace emlkit::pipeline

#endif  // EMLKIT_PIPELINE_STAGES_H_
