// The `emlkit` metadata of a model: a JSON document in the metadata entry named "emlkit"
// (docs/model-metadata.md describes the keys). These helpers add the frame (format, version,
// emlkit_version), keep the bytes deterministic (sorted keys, no whitespace), and refuse a
// document that is not what docs/model-metadata.md describes.
//
//   nlohmann::json doc = {{"task", "classification"}, {"labels", {"empty", "occupied"}}};
//   SetEmlkitMetadata(&model, doc);
//   ...
//   EMLKIT_ASSIGN_OR_RETURN(std::optional<nlohmann::json> md, GetEmlkitMetadata(model, path));
//   if (md) labels = (*md)["labels"];
#ifndef EMLKIT_TFLITE_METADATA_H_
#define EMLKIT_TFLITE_METADATA_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "tflite/model.h"

namespace emlkit::tflite {

inline constexpr const char* kMetadataName = "emlkit";
inline constexpr const char* kMetadataFormat = "emlkit-model";
inline constexpr int kMetadataVersion = 1;

// Stores `doc` (a JSON object) as the model's "emlkit" metadata, replacing any previous one.
// Sets "format", "version" and "emlkit_version" (overwriting what `doc` says for them).
void SetEmlkitMetadata(Model* model, nlohmann::json doc);

// The model's "emlkit" metadata; std::nullopt when the model has none. An entry that is not a
// JSON object, has another "format", or a "version" newer than kMetadataVersion is an error
// (kCorruption / kUnsupported, exit code 2) naming `name` (the model file).
Result<std::optional<nlohmann::json>> GetEmlkitMetadata(const Model& model,
                                                        const std::string& name);

}  // namespace emlkit::tflite

#endif  // EMLKIT_TFLITE_METADATA_H_
