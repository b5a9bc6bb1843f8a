// Tests only (host): builds small .tflite models in memory, so every kernel and every reader check
// can be exercised without model files. Writes the TFLite schema's field ids directly with
// FlatBuffers' low-level builder (no generated code), and runs a model through the runtime.
//
//   ModelBuilder m;
//   const int x = m.AddTensor(TensorType::kFloat32, {1, 4});
//   const int y = m.AddTensor(TensorType::kFloat32, {1, 4});
//   m.AddOp(kRelu, {x}, {y});
//   m.SetIo({x}, {y});
//   const std::vector<uint8_t> bytes = m.Build();
//   std::vector<float> out = RunFloat(bytes, {{-1, 2, -3, 4}});
#ifndef EMLKIT_RUNTIME_TESTING_MODEL_BUILDER_H_
#define EMLKIT_RUNTIME_TESTING_MODEL_BUILDER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "emlkit/runtime.h"

namespace emlkit::rt::test {

// Quantization of one tensor; empty scales = not quantized.
struct Quant {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;
};
inline Quant PerTensor(float scale, int64_t zero_point) { return {{scale}, {zero_point}, 0}; }

// A builtin options table: its BuiltinOptions union type and scalar / vector fields by field id.
struct Options {
  struct Field {
    int id;
    int size;  // 1, 2 or 4 bytes; 0 = int32 vector
    uint32_t bits;
    std::vector<int32_t> vec;
  };
  uint8_t type = 0;
  std::vector<Field> fields;

  Options() = default;
  explicit Options(uint8_t union_type) : type(union_type) {}
  Options& I8(int id, int8_t v) { return Add(id, 1, static_cast<uint8_t>(v)); }
  Options& Bool(int id, bool v) { return Add(id, 1, v ? 1u : 0u); }
  Options& I32(int id, int32_t v) { return Add(id, 4, static_cast<uint32_t>(v)); }
  Options& F32(int id, float v) {
    uint32_t bits;
    memcpy(&bits, &v, 4);
    return Add(id, 4, bits);
  }
  Options& I32Vector(int id, std::vector<int32_t> v) {
    fields.push_back({id, 0, 0, std::move(v)});
    return *this;
  }

 private:
  Options& Add(int id, int size, uint32_t bits) {
    fields.push_back({id, size, bits, {}});
    return *this;
  }
};

class ModelBuilder {
 public:
  // An activation (or variable) tensor. Returns its index.
  int AddTensor(TensorType type, std::vector<int32_t> shape, Quant q = {}, bool variable = false);
  // A constant tensor holding `bytes` of data.
  int AddConstant(TensorType type, std::vector<int32_t> shape, const void* data, size_t bytes,
                  Quant q = {});
  template <typename T>
  int AddConstant(TensorType type, std::vector<int32_t> shape, const std::vector<T>& values,
                  Quant q = {}) {
    return AddConstant(type, std::move(shape), values.data(), values.size() * sizeof(T),
                       std::move(q));
  }
  // An operator (builtin code from the TFLite schema; -1 for an omitted optional input).
  void AddOp(int32_t builtin_code, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
             Options options = {}, int32_t version = 1);
  void SetIo(std::vector<int32_t> inputs, std::vector<int32_t> outputs);

  // For malformed models: a buffer on its own, a tensor naming any buffer index, and the
  // schema version written into the model (3 is the only valid one).
  int AddBuffer(std::vector<uint8_t> data);
  int AddTensorWithBuffer(TensorType type, std::vector<int32_t> shape, int buffer);
  void set_schema_version(uint32_t v) { version_ = v; }

  std::vector<uint8_t> Build() const;

 private:
  struct TensorSpec {
    TensorType type;
    std::vector<int32_t> shape;
    Quant quant;
    int buffer;  // 0 = no data
    bool variable;
  };
  struct OpSpec {
    int32_t code, version;
    std::vector<int32_t> inputs, outputs;
    Options options;
  };
  std::vector<TensorSpec> tensors_;
  std::vector<OpSpec> ops_;
  std::vector<std::vector<uint8_t>> buffers_{{}};  // buffer 0: the empty buffer
  std::vector<int32_t> inputs_, outputs_;
  uint32_t version_ = 3;
};

// Builtin operator codes used by the tests (TFLite schema values).
enum BuiltinCode : int32_t {
  kAdd = 0,
  kAveragePool2D = 1,
  kConcatenation = 2,
  kConv2D = 3,
  kDepthwiseConv2D = 4,
  kDequantize = 6,
  kFullyConnected = 9,
  kLogistic = 14,
  kMaxPool2D = 17,
  kMul = 18,
  kRelu = 19,
  kRelu6 = 21,
  kReshape = 22,
  kSoftmax = 25,
  kTanh = 28,
  kPad = 34,
  kMean = 40,
  kSub = 41,
  kStridedSlice = 45,
  kSvdf = 27,
  kQuantize = 114,
  kCustom = 32,
  kUnidirectionalSequenceLstm = 44,
};

// Runs a model once: inputs as raw bytes per model input; returns each output's bytes. Fails
// the current test (and returns nothing) when Init or Invoke fails.
std::vector<std::vector<uint8_t>> RunModel(const std::vector<uint8_t>& model,
                                           const std::vector<std::vector<uint8_t>>& inputs);

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) memcpy(b.data(), v.data(), b.size());
  return b;
}
template <typename T>
std::vector<T> As(const std::vector<uint8_t>& b) {
  std::vector<T> v(b.size() / sizeof(T));
  if (!v.empty()) memcpy(v.data(), b.data(), v.size() * sizeof(T));
  return v;
}

// One input, one output, element type T both ways.
template <typename Out, typename In>
std::vector<Out> RunModel1(const std::vector<uint8_t>& model, const std::vector<In>& input) {
  const auto out = RunModel(model, {Bytes(input)});
  return out.empty() ? std::vector<Out>{} : As<Out>(out[0]);
}

// Init's status and error text for a model (arena of `arena` bytes).
struct InitResult {
  Status status;
  std::string what;
  int32_t op_index, tensor;
};
InitResult TryInit(const std::vector<uint8_t>& model, size_t arena = 1 << 16);

}  // namespace emlkit::rt::test

#endif  // EMLKIT_RUNTIME_TESTING_MODEL_BUILDER_H_
