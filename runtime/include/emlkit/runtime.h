// emlkit device runtime: runs a .tflite model (TFLite Micro compatible, bit-exact) from its bytes
// in place, with every bit of its state in one arena the caller owns. Freestanding C++11: no heap,
// no exceptions, no RTTI, no I/O; the same code runs in firmware, in the host simulator and in
// `emlkit invoke`. C firmware uses emlkit_runtime.h instead.
//
//   alignas(16) static uint8_t arena[4096];
//   emlkit::rt::Interpreter interp;
//   if (interp.Init(model_bytes, model_size, arena, sizeof(arena)) != emlkit::rt::Status::kOk) {
//     // interp.error() names the operator / tensor and what is wrong
//   }
//   emlkit::rt::TensorView in, out;
//   interp.Input(0, &in);                     // in.data: in.bytes bytes of in.type
//   memcpy(in.data, features, in.bytes);
//   interp.Invoke();
//   interp.Output(0, &out);                   // read out.data
//
// Contract:
// - The model bytes must stay valid and unchanged for the interpreter's lifetime (constant
//   tensors are read where they are). Every offset and size in them is checked before use; a
//   corrupt or hostile model gives Status::kCorruptModel, never an out-of-bounds read.
// - The arena must stay valid while the interpreter is used. Everything the interpreter keeps
//   (operator data, quantization multipliers, tensor locations, variable tensors such as SVDF
//   state, activations, scratch) lives in it. arena_bytes() is exactly what Init needed: an arena
//   of that many bytes (16-byte aligned) always works for the same model. The layout uses fixed
//   32/64-bit slots, so the figure is the same on a 64-bit host and a 32-bit MCU.
// - Not thread-safe; one Invoke at a time per interpreter. Several interpreters may share a
//   model but not an arena.
// - Model inputs must be written before EVERY Invoke: an operator may write its output over an
//   input it is the last to read (same-size element-wise operators run in place), so Invoke can
//   leave the inputs changed. Outputs are valid after Invoke until the next Invoke.
//   Intermediate tensors share memory (see the planner), so a tensor's bytes are valid only
//   between the operator that writes it and the last one that reads it: read them from an
//   op hook (SetOpHook) right after their operator ran.
#ifndef EMLKIT_RUNTIME_H_
#define EMLKIT_RUNTIME_H_

#include <stddef.h>
#include <stdint.h>

#include "emlkit/op_list.h"
#include "emlkit/status.h"

namespace emlkit {
namespace rt {

// Values are the TFLite schema's TensorType enum.
enum class TensorType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
  kComplex128 = 11,
  kUInt64 = 12,
  kResource = 13,
  kVariant = 14,
  kUInt32 = 15,
  kUInt16 = 16,
  kInt4 = 17,
};
// "float32", "int8", ...; "unknown" for values outside the schema.
const char* TensorTypeName(TensorType t);
// Bytes per element; 0 for types without a fixed element size (string, resource, int4, ...).
uint32_t TensorTypeSize(TensorType t);

constexpr int kMaxRank = 6;

// What the runtime knows about one tensor. Shape, type and quantization come from the model;
// `data` is where the bytes are now (model memory for constants, the arena otherwise; null for
// tensors no operator uses).
struct TensorView {
  int32_t index = -1;
  TensorType type = TensorType::kFloat32;
  int32_t rank = 0;
  int32_t dims[kMaxRank] = {};
  uint32_t bytes = 0;
  void* data = nullptr;
  bool is_constant = false;
  bool is_variable = false;
  // Per-tensor quantization (the first channel's for per-channel tensors); scale 0 when the
  // tensor is not quantized. num_scales > 1 for per-channel quantization.
  float scale = 0.0f;
  int32_t zero_point = 0;
  uint32_t num_scales = 0;
  const char* name = "";  // not NUL-terminated: use name_len
  uint32_t name_len = 0;
};

// One operator of the model, in execution order.
struct OpView {
  int32_t index = -1;
  int32_t builtin_code = -1;  // BuiltinOpName(builtin_code) gives its name
  int32_t version = 1;
  int32_t num_inputs = 0;
  int32_t num_outputs = 0;
};

// Called before (after=0) and after (after=1) every operator when set. Use it to count
// cycles per operator on a device with a cycle counter, or to read intermediate tensors on the
// host. Costs one predictable branch per operator when unset.
using OpHook = void (*)(void* user, int32_t op_index, int32_t after);

// Describes tensor `tensor_index` of a model without preparing it (no arena needed): shape,
// type, quantization, name; `data` is the constant data or null. For error messages and tools.
Status DescribeModelTensor(const void* model, size_t model_size, int32_t tensor_index,
                           TensorView* out);

struct State;  // the interpreter's bookkeeping, inside the arena

class Interpreter {
 public:
  // Reads and checks the model, prepares every operator, plans the arena and resets variable
  // tensors. On failure returns the status and fills error(); the arena holds nothing useful.
  Status Init(const void* model, size_t model_size, void* arena, size_t arena_size);
  bool ready() const { return state_ != nullptr; }

  // Bytes of the arena Init used: bookkeeping + variable tensors + the planned activations,
  // counted from the arena's first 16-byte aligned address (a 16-byte aligned arena of exactly
  // this size works; an unaligned one needs up to 15 bytes more).
  size_t arena_bytes() const;
  // The part of arena_bytes() that is not the activation plan (operator data, tables, state).
  size_t persistent_bytes() const;

  int32_t num_inputs() const;
  int32_t num_outputs() const;
  int32_t num_tensors() const;
  int32_t num_ops() const;
  Status Input(int32_t i, TensorView* out) const;
  Status Output(int32_t i, TensorView* out) const;
  Status Tensor(int32_t tensor_index, TensorView* out) const;
  Status Op(int32_t op_index, OpView* out) const;
  // Tensor index of input/output `i` of operator `op_index` (-1 for an omitted optional input).
  int32_t OpInput(int32_t op_index, int32_t i) const;
  int32_t OpOutput(int32_t op_index, int32_t i) const;

  // Runs every operator once (may overwrite the inputs: set them before every Invoke).
  Status Invoke();
  // Sets variable tensors (e.g. SVDF memory) back to their initial value (the zero point), so the
  // next Invoke starts from a fresh state, as TFLite Micro's ResetVariableTensors does.
  Status ResetState();
  void SetOpHook(OpHook hook, void* user);

  const ErrorInfo& error() const { return error_; }

 private:
  friend struct CApi;  // the C API (emlkit_runtime.h) wraps the same state
  State* state_ = nullptr;
  mutable ErrorInfo error_;
};

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_H_
