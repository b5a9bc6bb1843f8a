// The runtime's Init run at export time, for the ahead-of-time code generator (host only).
//
// Prepare() opens a .tflite model with the device runtime, prepares every operator with the
// kernels firmware runs (the Armv7E-M build's Prepare, whose scratch requests cover the portable
// kernels too), plans the arena, and hands back what generated code needs as plain data: each
// operator's linked record (Refs rewritten to offsets in the generated arena or weights array),
// the Eval function to call, the constant tensors packed into one weights array, the arena size
// and the tensors' shapes and quantization.
//
// This library is the runtime compiled into its own namespace (see runtime/CMakeLists.txt), so
// that the emlkit binary can hold it beside the host runtime; this header names no runtime type.
#ifndef EMLKIT_RUNTIME_AOT_AOT_PREPARE_H_
#define EMLKIT_RUNTIME_AOT_AOT_PREPARE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace emlkit_aot {

struct TensorInfo {
  int32_t index = -1;
  std::string name;
  int32_t type = 0;  // TFLite TensorType
  std::string type_name;
  std::vector<int32_t> dims;
  uint32_t bytes = 0;
  float scale = 0.0f;  // 0: not quantized
  int32_t zero_point = 0;
  uint32_t num_scales = 0;
  bool is_constant = false;
  bool is_variable = false;
  int64_t arena_offset = -1;  // activations and variables: offset in the generated arena
};

struct OpInfo {
  int32_t index = -1;
  int32_t code = -1;
  std::string op_name;  // "FULLY_CONNECTED"
  std::vector<int32_t> inputs, outputs;
  std::vector<uint8_t> record;  // linked record, eval slot zeroed
  // The Eval function (namespace emlkit::rt) and where it lives (relative to runtime/; for the
  // folded FULLY_CONNECTED, FullyConnectedFoldedEval, the portable file that the Armv7E-M one
  // replaces); empty eval with select_fully_connected: SelectFullyConnectedEval(record,
  // fully_connected_float).
  std::string eval, header, source;
  bool select_fully_connected = false;
  bool fully_connected_float = false;
};

struct Variable {
  uint32_t offset = 0;  // in the generated arena
  uint32_t bytes = 0;
  int32_t fill = 0;  // initial byte value (the int8 zero point, else 0)
};

struct Prepared {
  std::vector<TensorInfo> tensors;
  std::vector<OpInfo> ops;
  std::vector<int32_t> inputs, outputs;  // tensor indices
  std::vector<uint8_t> weights;          // referenced constant tensors, each 16-byte aligned
  uint32_t arena_bytes = 0;              // the generated arena: variables + planned buffers
  std::vector<Variable> variables;
};

struct PrepareOptions {
  // The generated code runs the Armv7E-M kernels (kernels/arm_dsp): records may carry what
  // those read from flash instead of computing per inference. Small int8 FULLY_CONNECTED layers
  // get their folded sums and requantization constants (kernels/arm_dsp/fully_connected_folded.h,
  // Eval FullyConnectedFoldedEval) and int8 SOFTMAX rows of 2 their output table
  // (SoftmaxPairTable, EvalSoftmaxInt8Pair). Off (the portable kernels: Cortex-M0+, RISC-V, AVR,
  // where AVR copies each record to the stack), records are exactly what Init prepares.
  bool arm_dsp = false;
};

// False with *error set ("op 3 (LSTM): operator not supported by emlkit") when the model
// cannot be prepared or an operator has no Eval function generated code can call.
bool Prepare(const uint8_t* model, size_t size, const PrepareOptions& options, Prepared* out,
             std::string* error);

}  // namespace emlkit_aot

#endif  // EMLKIT_RUNTIME_AOT_AOT_PREPARE_H_
