#include "export/c_array.h"

#include <fmt/format.h>

#include <algorithm>

#include "export/engine_interpreter.h"
#include "tflite/metadata.h"
#include "tflite/model.h"

namespace emlkit::exporter {

Result<std::vector<uint8_t>> StripEmlkitMetadata(const std::vector<uint8_t>& model,
                                                 const std::string& name) {
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model m, tflite::ReadModel(model.data(), model.size(), name));
  auto entry = std::find_if(m.metadata.begin(), m.metadata.end(),
                            [](const auto& e) { return e.name == tflite::kMetadataName; });
  if (entry == m.metadata.end()) return model;
  const uint32_t buffer = entry->buffer;
  m.metadata.erase(entry);
  bool shared = buffer == 0;
  for (const auto& t : m.tensors) shared = shared || t.buffer == buffer;
  for (const auto& e : m.metadata) shared = shared || e.buffer == buffer;
  if (!shared) {  // drop the buffer and renumber the ones after it
    m.buffers.erase(m.buffers.begin() + buffer);
    for (auto& t : m.tensors) t.buffer -= t.buffer > buffer ? 1 : 0;
    for (auto& e : m.metadata) e.buffer -= e.buffer > buffer ? 1 : 0;
  }
  Result<std::vector<uint8_t>> out = tflite::WriteModel(m);
  if (!out.ok()) {
    return out.status().WithContext(
        name +
        ": cannot rewrite the model without its emlkit metadata (use --keep-metadata to "
        "ship it unchanged)");
  }
  return out;
}

GeneratedSources GenerateCArray(const ModelInfo& m) {
  const std::string upper = MacroPrefix(m.name);
  std::string h = Banner(m, "//");
  h += fmt::format(
      "//\n"
      "// {0}: the model as a 16-byte aligned const array ({1} bytes of .tflite), for emlkit's\n"
      "// runtime (emlkit_init({0}_model_data, {0}_model_data_size, arena, ...)) or TFLite Micro\n"
      "// (tflite::GetModel({0}_model_data)). Operators: {2}.\n"
      "#ifndef {3}_MODEL_DATA_H_\n#define {3}_MODEL_DATA_H_\n\n"
      "#define {3}_MODEL_DATA_SIZE {1}u\n"
      "// Arena bytes for emlkit's runtime with its portable kernels: the host's plan plus the "
      "int8\n"
      "// FULLY_CONNECTED scratch of those kernels (an upper bound; TFLite Micro has its own "
      "figure).\n"
      "#define {3}_ARENA_BYTES {4}u\n\n"
      "#ifdef __cplusplus\nextern \"C\" {{\n#endif\n\n"
      "extern const unsigned char {0}_model_data[];\n"
      "extern const unsigned int {0}_model_data_size;\n\n"
      "#ifdef __cplusplus\n}}  // extern \"C\"\n#endif\n\n#endif  // {3}_MODEL_DATA_H_\n",
      m.name, m.data.size(), fmt::join(m.op_names, ", "), upper, m.arena_bytes);
  std::string cc = Banner(m, "//");
  cc += fmt::format(
      "#include \"{0}_model_data.h\"\n\n"
      "// C linkage and external linkage come from the declarations in the header.\n"
      "alignas(16) const unsigned char {0}_model_data[{1}] = {{",
      m.name, m.data.size());
  cc.reserve(cc.size() + m.data.size() * 6 + 128);
  for (size_t i = 0; i < m.data.size(); ++i) {
    cc += i % 12 == 0 ? "\n   " : "";
    cc += fmt::format(" 0x{:02x},", m.data[i]);
  }
  cc +=
      fmt::format("\n}};\nconst unsigned int {0}_model_data_size = {1}u;\n", m.name, m.data.size());
  GeneratedSources out;
  out.files.push_back({m.name + "_model_data.h", h});
  out.files.push_back({m.name + "_model_data.cc", cc});
  return out;
}

}  // namespace emlkit::exporter
