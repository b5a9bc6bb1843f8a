// A checked, read-only view of a .tflite model (subgraph 0) over its bytes, in place.
//
// Open() checks the file identifier, the schema version and the root tables; Tensor() and Op()
// check everything they read (vectors in bounds, indices in range, buffer sizes matching shapes)
// and report problems as kCorruptModel / kUnsupported in an ErrorInfo naming the tensor or
// operator. The view holds only positions into the bytes, so it is cheap to copy and rebuild.
#ifndef EMLKIT_RUNTIME_SRC_MODEL_H_
#define EMLKIT_RUNTIME_SRC_MODEL_H_

#include <stdint.h>

#include "emlkit/runtime.h"
#include "src/flatbuffer.h"

namespace emlkit {
namespace rt {

// Everything about one tensor that kernels look at during Prepare. Trivially constructible:
// `Model::Tensor` (or `Reset`) sets every field, so a default-constructed one costs nothing (a
// zeroing constructor is a 112-byte byte-wise memset per object on -Os MCU builds).
struct TensorDesc {
  int32_t index;
  TensorType type;
  int32_t rank;
  int32_t dims[kMaxRank];
  uint32_t elements;
  uint32_t bytes;       // elements * element size (0 for types without one)
  const uint8_t* data;  // constant data inside the model, or null
  uint32_t data_pos;    // its position in the model bytes
  bool is_variable;
  // Quantization: scale/zero_point are the first entries (0/0 when absent).
  uint32_t num_scales;
  uint32_t num_zero_points;
  float scale;
  int32_t zero_point;
  int32_t quantized_dimension;
  fb::Vector scales;       // float[num_scales]
  fb::Vector zero_points;  // int64[num_zero_points]
  const char* name;
  uint32_t name_len;

  // An empty float32 scalar named "" with index `t` (what an absent tensor reads as).
  void Reset(int32_t t);
  bool is_constant() const { return data != nullptr; }
  // Dimension i counted from the end (-1 = last); 1 for missing leading dimensions.
  int32_t Dim(int i) const;
  // Per-channel scale / zero point c (bounds checked by the caller against num_scales).
  float ScaleAt(uint32_t c) const;
  int32_t ZeroPointAt(uint32_t c) const;
};

struct OpDesc {
  int32_t index = -1;
  int32_t code = -1;  // builtin operator code (CUSTOM = 32)
  int32_t version = 1;
  fb::Vector inputs;  // int32 tensor indices (-1 = omitted optional input)
  fb::Vector outputs;
  uint8_t options_type = 0;  // BuiltinOptions union type (0 = none)
  fb::Table options;         // valid only when options_type != 0
  const char* custom_code = "";
  uint32_t custom_code_len = 0;

  int32_t num_inputs() const { return static_cast<int32_t>(inputs.size()); }
  int32_t num_outputs() const { return static_cast<int32_t>(outputs.size()); }
  // Tensor index of input / output i (-1 when omitted or out of range).
  int32_t Input(int32_t i) const;
  int32_t Output(int32_t i) const;
};

class Model {
 public:
  // Checks identifier, version and root tables. `err` receives the details on failure.
  Status Open(const void* data, size_t size, ErrorInfo* err);

  const uint8_t* data() const { return bytes_.data; }
  uint32_t size() const { return bytes_.size; }
  int32_t num_tensors() const { return static_cast<int32_t>(tensors_.size()); }
  int32_t num_ops() const { return static_cast<int32_t>(ops_.size()); }
  int32_t num_inputs() const { return static_cast<int32_t>(inputs_.size()); }
  int32_t num_outputs() const { return static_cast<int32_t>(outputs_.size()); }
  // Tensor index of subgraph input / output i (checked at Open to be in range).
  int32_t Input(int32_t i) const;
  int32_t Output(int32_t i) const;

  Status Tensor(int32_t t, TensorDesc* out, ErrorInfo* err) const;
  // Tensor() without the name, sparsity and quantization (empty in *out): where the tensor's
  // storage is all that matters (the planner) and Tensor() has checked it before.
  Status TensorStorage(int32_t t, TensorDesc* out, ErrorInfo* err) const;
  Status Op(int32_t k, OpDesc* out, ErrorInfo* err) const;

 private:
  Status ReadTensor(int32_t t, TensorDesc* out, ErrorInfo* err, bool full) const;

  fb::Bytes bytes_;
  fb::Vector opcodes_, buffers_, tensors_, ops_, inputs_, outputs_;
};

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_SRC_MODEL_H_
