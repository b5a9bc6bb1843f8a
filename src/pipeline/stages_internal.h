// Helpers the stage files share (stages.cc, stages_check.cc). Internal to src/pipeline.
#ifndef EMLKIT_PIPELINE_STAGES_INTERNAL_H_
#define EMLKIT_PIPELINE_STAGES_INTERNAL_H_

#include <string>
#include <vector>

#include "pipeline/stages.h"

namespace emlkit::pipeline {

// Rewrites the file at `path` with the artifacts folder's prefix removed from its text.
Status NameRelativeToFolder(const RunContext& c, const std::string& path);
// The float model that is quantized and deployed: the pruned one when [prune] is on.
std::string DeployFloat(const RunContext& c);
// The emlkit version, the stage's name and its section's text, into a stage key.
void AddVersion(StageKey& k, const RunContext& c, const std::string& stage);
// eval, targets, export, thermostat-eval (stages_check.cc).
void AddCheckStages(const RunContext& c, std::vector<StageDef>* stages);

}  // namespace emlkit::pipeline

#endif  // EMLKIT_PIPELINE_STAGES_INTERNAL_H_
