// The `emlkit` metadata entry: frame keys and checks.
#include "tflite/metadata.h"

#include <fmt/format.h>

#include <utility>

#include "common/version.h"

namespace emlkit::tflite {

void SetEmlkitMetadata(Model* model, nlohmann::json doc) {
  if (!doc.is_object()) doc = nlohmann::json::object();
  doc["format"] = kMetadataFormat;
  doc["version"] = kMetadataVersion;
  doc["emlkit_version"] = kVersion;
  // nlohmann::json objects are ordered maps: dump() writes sorted keys, so equal documents give
  // equal bytes. Invalid UTF-8 in a string becomes U+FFFD rather than an exception.
  model->SetMetadata(kMetadataName,
                     doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Result<std::optional<nlohmann::json>> GetEmlkitMetadata(const Model& model,
                                                        const std::string& name) {
  std::optional<std::string> text = model.GetMetadata(kMetadataName);
  if (!text) return std::optional<nlohmann::json>();
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Corruption(
        fmt::format("{}: the '{}' metadata is not a JSON object (see docs/model-metadata.md)", name,
                    kMetadataName));
  }
  const nlohmann::json& format = doc["format"];
  if (!format.is_string() || format.get<std::string>() != kMetadataFormat) {
    return Status::Corruption(fmt::format("{}: the '{}' metadata has format {}, expected \"{}\"",
                                          name, kMetadataName, format.dump(), kMetadataFormat));
  }
  const nlohmann::json& version = doc["version"];
  if (!version.is_number_integer() || version.get<int64_t>() < 1) {
    return Status::Corruption(
        fmt::format("{}: the '{}' metadata has version {}", name, kMetadataName, version.dump()));
  }
  if (version.get<int64_t>() > kMetadataVersion) {
    return Status::Unsupported(fmt::format(
        "{}: the '{}' metadata has version {}; this emlkit reads up to version {} (use a newer "
        "emlkit)",
        name, kMetadataName, version.get<int64_t>(), kMetadataVersion));
  }
  return std::optional<nlohmann::json>(std::move(doc));
}

}  // namespace emlkit::tflite
