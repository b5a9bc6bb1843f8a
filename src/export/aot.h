// `emlkit export --format aot`: a model as C++ that calls the runtime's kernels directly.
//
// GenerateAot runs the runtime's Prepare at export time and writes what it computed as `const`
// data: one record per operator (multipliers, shifts, zero points, loop sizes, and the locations
// of its tensors), the constant tensors packed into one aligned weights array, and a static arena
// of exactly the planned size (variable tensors + activations). The generated code parses no
// .tflite, has no op registry and links only the kernels the model uses:
//
//   EMLKIT_ASSIGN_OR_RETURN(exporter::GeneratedSources src,
//                           exporter::GenerateAot(model_bytes, {.name = "thermostat",
//                                                              .model_label = "model.tflite",
//                                                              .model_sha256 = sha}));
//   // src.files: thermostat.h (C API), thermostat.cc; src.runtime_files: kernels to compile.
//
// Firmware then calls, from C or C++:
//   thermostat_init();                                  // once (and to reset state)
//   memcpy(thermostat_input(0), x, THERMOSTAT_INPUT0_BYTES);
//   thermostat_invoke();
//   const int8_t* y = (const int8_t*)thermostat_output(0);
#ifndef EMLKIT_EXPORT_AOT_H_
#define EMLKIT_EXPORT_AOT_H_

#include <cstdint>
#include <span>
#include <string>

#include "common/status.h"
#include "export/generated.h"

namespace emlkit::exporter {

// Which build of the kernels the generated code is compiled with (GeneratedSources.runtime_files).
enum class AotKernels {
  kPortable,  // kernels/reference: any core (Cortex-M0+, RISC-V, AVR, the host)
  kArmDsp,    // kernels/arm_dsp for conv and fully connected: Cortex-M4/M7 (Armv7E-M)
};

struct AotOptions {
  std::string name;          // C identifier prefixing every symbol and file: "thermostat"
  std::string model_label;   // the model's file name, for the banner
  std::string model_sha256;  // hex digest of the model file, for the banner
  AotKernels kernels = AotKernels::kPortable;
};

// What generated code occupies, without generating it: the arena (RAM), the weights array and
// the operator records (flash, besides the kernels' code).
struct AotFigures {
  uint32_t arena_bytes = 0;
  uint32_t weights_bytes = 0;
  uint32_t records_bytes = 0;
};
// Errors as GenerateAot's.
Result<AotFigures> MeasureAot(std::span<const uint8_t> model, const std::string& model_label);

// Files: NAME.h (C API: NAME_init, NAME_invoke, NAME_input, NAME_output and constants for the
// shapes, types and quantization) and NAME.cc. Errors (nothing generated): InvalidArgument for
// a bad name, Unsupported naming the operator ("op 3 (LSTM): ...") for an operator the runtime
// or the generator cannot handle, Corruption for a malformed model.
Result<GeneratedSources> GenerateAot(std::span<const uint8_t> model, const AotOptions& options);

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_AOT_H_
