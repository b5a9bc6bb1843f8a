// The device runtime's sources, embedded in emlkit at build time (embed_runtime.cmake), so that
// `emlkit export` can ship them from anywhere, and the choice of the files one model needs.
//
//   EMLKIT_ASSIGN_OR_RETURN(std::vector<std::string> files, RuntimeFilesFor({9, 25}));
//   // files: "include/emlkit/runtime.h", ..., "kernels/fully_connected.cc",
//   //        "kernels/reference/fully_connected.cc", "kernels/softmax.cc", ..., "src/registry.cc"
//   std::string_view text = FindRuntimeFile("kernels/softmax.cc")->content;
#ifndef EMLKIT_EXPORT_RUNTIME_FILES_H_
#define EMLKIT_EXPORT_RUNTIME_FILES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace emlkit::exporter {

struct RuntimeFile {
  std::string_view path;     // relative to runtime/, e.g. "kernels/reference/softmax.cc"
  std::string_view content;  // the file as it was when emlkit was built
};

// Every embedded file (headers, interpreter, kernels with their reference and arm_dsp variants,
// app/), sorted by path. Defined in the generated runtime_files_embedded.cc.
std::span<const RuntimeFile> EmbeddedRuntimeFiles();

// The embedded file at `path`, or nullptr.
const RuntimeFile* FindRuntimeFile(std::string_view path);

// The runtime files a model whose operators have the builtin codes `op_codes` needs with the
// portable (reference) kernels, sorted: the interpreter (src/*.cc, including registry.cc, which
// the package compiles through its op-selection wrapper), for each operator the kernel file that
// defines its PrepareOp_<NAME> plus kernels/reference/<same name>.cc, every .cc whose header a
// chosen file includes (conv.h -> conv.cc), and every header they include, transitively.
// Unsupported if an operator has no kernel (names the operator).
Result<std::vector<std::string>> RuntimeFilesFor(const std::vector<int32_t>& op_codes);

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_RUNTIME_FILES_H_
