// The model as C data: `--format c-array`, and the model part of the interpreter engine.
//
//   NAME_model_data.h   extern "C" declarations: NAME_model_data, NAME_model_data_size,
//                       NAME_MODEL_DATA_SIZE and NAME_ARENA_BYTES (what emlkit's runtime plans)
//   NAME_model_data.cc  the .tflite bytes as a 16-byte aligned const array (flash on an MCU)
//
// The array is a complete .tflite: emlkit's runtime (emlkit_init) and TFLite Micro
// (tflite::GetModel) both take it as it is.
#ifndef EMLKIT_EXPORT_C_ARRAY_H_
#define EMLKIT_EXPORT_C_ARRAY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "export/generated.h"
#include "export/model_info.h"

namespace emlkit::exporter {

// The model without its "emlkit" metadata entry and that entry's buffer (other metadata, e.g. the
// converter's min_runtime_version, stays). Bytes unchanged when there is none. `name` is used in
// messages.
Result<std::vector<uint8_t>> StripEmlkitMetadata(const std::vector<uint8_t>& model,
                                                 const std::string& name);

// NAME_model_data.h and NAME_model_data.cc for `m.data`.
GeneratedSources GenerateCArray(const ModelInfo& m);

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_C_ARRAY_H_
