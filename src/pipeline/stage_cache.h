// What lets `emlkit run` skip a stage: a stamp per stage in DIR/.emlkit/<stage>.json holding the
// stage's key (SHA-256 of its options and of the content of every input file), the SHA-256 of
// each file it wrote, the figures it gave (its part of metrics.json) and how long it took.
//
// A stage is up to date when its stamp exists, holds the same key, and every output it lists
// still has the recorded content. A stage that runs first removes its stamp, writes its files
// (each atomically), then writes the new stamp: an interrupted stage has no stamp and runs again.
#ifndef EMLKIT_PIPELINE_STAGE_CACHE_H_
#define EMLKIT_PIPELINE_STAGE_CACHE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::pipeline {

// Builds a stage key: text parts and the content of files or folders (every file under a
// folder, by relative name, in sorted order).
class StageKey {
 public:
  void AddText(const std::string& label, const std::string& text);
  Status AddPath(const std::string& label, const std::string& path);
  std::string Hex() const;

 private:
  std::string material_;  // label, length and value of each part
};

struct StageStamp {
  std::string key;
  std::vector<std::string> outputs;  // relative to the artifacts folder (files or folders)
  nlohmann::ordered_json figures;    // the stage's part of metrics.json
  double seconds = 0;
};

class StageCache {
 public:
  explicit StageCache(std::string dir) : dir_(std::move(dir)) {}
  // The stamp of `stage` if it is up to date for `key`; otherwise nothing.
  Result<std::optional<StageStamp>> Find(const std::string& stage, const std::string& key) const;
  // Removes the stamp (before the stage writes anything).
  Status Invalidate(const std::string& stage) const;
  // Writes the stamp after the stage wrote all of `stamp.outputs`.
  Status Record(const std::string& stage, const StageStamp& stamp) const;

 private:
  std::string StampPath(const std::string& stage) const;
  Result<std::string> OutputsDigest(const std::vector<std::string>& outputs) const;
  std::string dir_;  // the artifacts folder
};

}  // namespace emlkit::pipeline

#endif  // EMLKIT_PIPELINE_STAGE_CACHE_H_
