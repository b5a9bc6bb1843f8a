// The model part of a deploy package when it runs as ahead-of-time generated code (`--engine
// aot`): GenerateAot's files under the name NAME_aot (NAME_aot_init(), NAME_aot_invoke(),
// NAME_aot_input(i), ...) and a thin adapter NAME.h / NAME.cc with the same C API as the
// interpreter engine (engine_interpreter.h), so the packages' examples do not depend on the
// engine:
//
//   NAME_aot.h, NAME_aot.cc   the model as direct kernel calls over const data (aot.h)
//   NAME.h, NAME.cc           NAME_init, NAME_invoke, NAME_set_input_float, NAME_output_float,
//                             NAME_output_count, NAME_label and the NAME_INPUT0_... macros
//
// runtime_files: the kernels the generated code calls (portable), no interpreter.
#ifndef EMLKIT_EXPORT_ENGINE_AOT_H_
#define EMLKIT_EXPORT_ENGINE_AOT_H_

#include "common/status.h"
#include "export/generated.h"
#include "export/model_info.h"

namespace emlkit::exporter {

// Errors as GenerateAot's (Unsupported naming the operator the generator cannot handle).
Result<GeneratedSources> GenerateAotEngine(const ModelInfo& m);

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_ENGINE_AOT_H_
