// The model part of a deploy package when it runs on emlkit's interpreter (`--engine
// interpreter`; the default engine is engine_aot.h): the c-array, the operator selection and a
// small C API over the runtime, all named after the model.
//
//   NAME.h, NAME.cc      NAME_init(), NAME_invoke(), NAME_input(i), NAME_output(i), NAME_label(i)
//                        and the tensors' sizes, types and quantization as NAME_INPUT0_... macros
//   NAME_model_data.*    the .tflite as an aligned const array (c_array.h)
//   NAME_ops.h           EMLKIT_SELECTED_OPS: the operators the model uses
//   (runtime/src/registry.cc) NAME_registry.cc     runtime/src/registry.cc compiled with
//   NAME_ops.h: only those kernels link
//
// runtime_files: what RuntimeFilesFor() selects; src/registry.cc among them is compiled only
// through NAME_registry.cc (kRegistryInclude), never on its own.
#ifndef EMLKIT_EXPORT_ENGINE_INTERPRETER_H_
#define EMLKIT_EXPORT_ENGINE_INTERPRETER_H_

#include "common/status.h"
#include "export/generated.h"
#include "export/model_info.h"

namespace emlkit::exporter {

// The runtime file that generated code #includes instead of compiling.
inline constexpr const char* kRegistryInclude = "src/registry.cc";

Result<GeneratedSources> GenerateInterpreterEngine(const ModelInfo& m);

// What an engine puts into the model's C API files NAME.h / NAME.cc (the API the packages'
// examples call: NAME_init, NAME_invoke, NAME_input, NAME_output, NAME_set_input_float,
// NAME_output_float, NAME_output_count, NAME_label). The engine's NAME.cc part defines, in its
// anonymous namespace, `int View(bool output, int i, IoView* v)` (0 or an emlkit_status) and,
// outside it, NAME_init, NAME_invoke, NAME_input and NAME_output.
struct ApiEngine {
  std::string description;       // for NAME.h's comment: "emlkit's interpreter over ..."
  std::string include;           // the header NAME.h includes (must define NAME_ARENA_BYTES)
  std::string defines;           // extra lines of NAME.h after that include
  std::string source_includes;   // #include lines of NAME.cc
  std::string source_globals;    // NAME.cc's anonymous namespace: state and View()
  std::string source_functions;  // NAME_init, NAME_invoke, NAME_input, NAME_output
};
std::string ModelApiHeader(const ModelInfo& m, const ApiEngine& e);
std::string ModelApiSource(const ModelInfo& m, const ApiEngine& e);

// "0.0078125f", "1.0f": a float literal that reads back as `v`.
std::string FloatLiteral(float v);
// `s` as a C string literal with quotes, backslashes and control characters escaped.
std::string CStringLiteral(const std::string& s);
// NAME in upper case, for macros.
std::string MacroPrefix(const std::string& name);

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_ENGINE_INTERPRETER_H_
