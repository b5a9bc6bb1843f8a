// `emlkit export`: a .tflite model as something firmware builds — a C array, a stripped .tflite,
// or a deploy package (Arduino library, ESP-IDF component, CMake package, Linux static library).
//
//   ExportOptions o{.model = "model_int8.tflite", .format = Format::kArduino, .out = "occupancy"};
//   EMLKIT_ASSIGN_OR_RETURN(ExportResult r, Export(o));
//
// Everything is checked before anything is written: the model is read and verified, every
// operator must have a kernel (else kUnsupported naming it, exit code 2), the model that ships
// (metadata stripped unless kept) must prepare in emlkit's runtime. The output folder is built
// next to its final place and renamed into it only when complete (stale staging folders of
// earlier interrupted runs are removed).
#ifndef EMLKIT_EXPORT_EXPORT_H_
#define EMLKIT_EXPORT_EXPORT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "export/generated.h"
#include "export/model_info.h"

namespace emlkit::exporter {

enum class Format { kCArray, kTflite, kArduino, kEspIdf, kCMake, kLinux, kAot };

// "c-array", "tflite", "arduino", "espidf", "cmake", "linux", "aot"; the error lists them.
Result<Format> ParseFormat(const std::string& name);
const char* FormatName(Format f);

struct ExportOptions {
  std::string model;  // .tflite file
  Format format = Format::kCArray;
  std::string name;            // C prefix; default: from the model's file name
  std::string out;             // output folder (a file for Format::kTflite)
  bool keep_metadata = false;  // default: the "emlkit" metadata is stripped (not for kTflite)
  bool strip = false;          // kTflite: strip the metadata (else the model is copied as is)
  std::string engine = "aot";  // packages: what runs the model ("aot" or "interpreter")
  // The kernels the generated code calls: "portable" (kernels/reference: any core) or "arm-dsp"
  // (kernels/arm_dsp and the export-time tables for them: Cortex-M4/M7). AOT only.
  std::string kernels = "portable";
  // Add the device preprocessing (NAME_preprocess.{h,cc} + runtime/preprocess) when the model's
  // metadata records it (not for kTflite); false: --no-preprocess.
  bool preprocess = true;
  // A second example for the package: "thermostat" (--format arduino only) adds
  // examples/thermostat/thermostat.ino and the controller (src/app/); "" none.
  std::string example;
};

struct ExportResult {
  std::string out;                         // what was written (folder, or file for kTflite)
  size_t bytes_before = 0;                 // the model file
  size_t bytes_after = 0;                  // the model that ships
  size_t arena_bytes = 0;                  // emlkit runtime's arena for it
  std::vector<std::string> ops;            // operator names, execution order
  std::vector<std::string> files;          // written, relative to `out` (empty for kTflite)
  std::vector<std::string> runtime_files;  // runtime files shipped (relative to runtime/)
  std::string preprocess_note;  // one line: the preprocessing shipped, or why none (not kTflite)
};

// Reads and checks the model, fills a ModelInfo (data stripped unless `keep_metadata`).
Result<ModelInfo> LoadModelInfo(const std::string& path, const std::string& name,
                                bool keep_metadata);

// OK for the engines this build has; the error names the choices.
Status CheckEngine(const std::string& engine);
// The model part of a package for `engine`: "interpreter" (GenerateInterpreterEngine) or "aot"
// (GenerateAotEngine: generated code behind the same C API; Unsupported when the generator
// cannot handle an operator).
Result<GeneratedSources> ModelPart(const ModelInfo& m, const std::string& engine);

Result<ExportResult> Export(const ExportOptions& options);

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_EXPORT_H_
