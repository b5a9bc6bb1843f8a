// Deploy packages: a model part (GeneratedSources from an engine: engine_aot.h, the default, or
// engine_interpreter.h) plus optional extra parts (the device preprocessing) laid out
// for a build system, with an example program and a README. Files only; export.cc writes them.
//
//   arduino  library.properties, src/ (generated code + the runtime, .cc renamed .cpp),
//            examples/NAME/NAME.ino, README.md
//   espidf   CMakeLists.txt (idf_component_register), src/, runtime/, README.md
//   cmake    CMakeLists.txt (static library NAME), src/, runtime/, example/ (add_subdirectory)
//   linux    Makefile (libNAME.a + NAME_example), src/, runtime/, example/main.cc, README.md
#ifndef EMLKIT_EXPORT_PACKAGES_H_
#define EMLKIT_EXPORT_PACKAGES_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "export/generated.h"
#include "export/model_info.h"

namespace emlkit::exporter {

enum class PackageKind { kArduino, kEspIdf, kCMake, kLinux };

// Every file of the package, paths relative to its folder. `parts[0]` is the model part; its
// header NAME.h must declare the API of engine_interpreter.h (NAME_init, NAME_invoke,
// NAME_set_input_float, NAME_output_float, NAME_output_count, NAME_label). `engine`
// ("interpreter", "aot") is what the README and library.properties say runs the model.
Result<std::vector<GeneratedFile>> AssemblePackage(PackageKind kind, const ModelInfo& m,
                                                   const std::vector<GeneratedSources>& parts,
                                                   const std::string& engine = "interpreter");

// Pieces of the examples, shared with the Arduino thermostat example (thermostat_example.h):
// the C statements that write the record `features` into input 0 (quantized by NAME_quantize for
// an int8 input) and run the model, leaving `int ok`, lines after the first indented by `indent`;
// and a sketch's setup(): the serial port at 115200, NAME_init() (printing a failure), then
// `more` (statements, indented).
std::string FeedRecord(const ModelInfo& m, const std::string& indent);
std::string ArduinoSetup(const ModelInfo& m, const std::string& more);

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_PACKAGES_H_
