// What a code generator of `emlkit export` hands back: files to write (paths relative to the
// output folder) and the runtime sources the generated code needs. The formats (c-array, aot,
// arduino, espidf, cmake, linux) are assembled from these by src/export/export.cc.
//
//   EMLKIT_ASSIGN_OR_RETURN(GeneratedSources aot, GenerateAot(model, options));
//   for (const GeneratedFile& f : aot.files) Write(out_dir / f.path, f.content);
#ifndef EMLKIT_EXPORT_GENERATED_H_
#define EMLKIT_EXPORT_GENERATED_H_

#include <string>
#include <vector>

namespace emlkit::exporter {

struct GeneratedFile {
  std::string path;     // relative to the output folder, '/'-separated, e.g. "thermostat_model.cc"
  std::string content;  // the whole file
};

struct GeneratedSources {
  std::vector<GeneratedFile> files;
  // Files of the device runtime the generated code compiles with, as paths relative to the
  // repository's runtime/ folder (e.g. "kernels/fully_connected.cc"); headers included.
  std::vector<std::string> runtime_files;
  // Preprocessor macros the generated code and the runtime files must be compiled with.
  std::vector<std::string> defines;
};

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_GENERATED_H_
