// The host's in-memory .tflite model: what training builds, quantization and pruning rewrite,
// `emlkit inspect` describes, and WriteModel() serializes with flatc-generated code from our
// subset of the TFLite schema (field ids and types identical to the published schema, so files
// are interchangeable with TFLite / TFLite Micro).
//
// One subgraph (what TFLite Micro models use). Tensors, buffers and operators refer to each
// other by index, exactly as in the file. Buffer 0 is the empty buffer, by TFLite convention.
//
//   Model m;
//   int w = m.AddConstTensor("dense/w", TensorType::kFloat32, {16, 5}, weights_bytes);
//   ...
//   m.SetMetadata("emlkit", json_text);
//   EMLKIT_RETURN_IF_ERROR(WriteModelFile("model.tflite", m));
#ifndef EMLKIT_TFLITE_MODEL_H_
#define EMLKIT_TFLITE_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"

namespace emlkit::tflite {

// Values are the schema's TensorType enum.
enum class TensorType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kBool = 6,
  kInt16 = 7,
  kInt8 = 9,
};
const char* TensorTypeName(TensorType t);  // "float32", "int8", ...
size_t TensorTypeSize(TensorType t);

// Values are the schema's ActivationFunctionType and Padding enums.
enum class Activation : int8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4 };
enum class Padding : int8_t { kSame = 0, kValid = 1 };

// Builtin operator codes used by emlkit's writers (the schema's BuiltinOperator values).
// The complete list of ops the runtime runs is runtime/include/emlkit/op_list.h.
namespace op {
inline constexpr int32_t kAdd = 0, kAveragePool2D = 1, kConcatenation = 2, kConv2D = 3,
                         kDepthwiseConv2D = 4, kDequantize = 6, kFullyConnected = 9, kLogistic = 14,
                         kMaxPool2D = 17, kMul = 18, kRelu = 19, kRelu6 = 21, kReshape = 22,
                         kSoftmax = 25, kSvdf = 27, kTanh = 28, kCustom = 32, kPad = 34, kMean = 40,
                         kSub = 41, kStridedSlice = 45, kQuantize = 114;
}  // namespace op

struct Quantization {
  std::vector<float> scale;         // one per tensor, or one per channel
  std::vector<int64_t> zero_point;  // same length as scale
  int32_t quantized_dimension = 0;  // the channel axis when per-channel
  std::vector<float> min, max;      // optional calibration ranges
};

struct Tensor {
  std::string name;
  TensorType type = TensorType::kFloat32;
  std::vector<int32_t> shape;
  uint32_t buffer = 0;  // 0: no constant data (activations, inputs, outputs)
  std::optional<Quantization> quant;
  bool is_variable = false;  // state kept between invocations (e.g. SVDF)
};

// Builtin options for the ops emlkit writes and reads; field names follow the schema.
struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  bool keep_num_dims = false;
};
struct Conv2DOptions {
  Padding padding = Padding::kValid;
  int32_t stride_w = 1, stride_h = 1;
  Activation activation = Activation::kNone;
  int32_t dilation_w = 1, dilation_h = 1;
};
struct DepthwiseConv2DOptions {
  Padding padding = Padding::kValid;
  int32_t stride_w = 1, stride_h = 1;
  int32_t depth_multiplier = 1;
  Activation activation = Activation::kNone;
  int32_t dilation_w = 1, dilation_h = 1;
};
struct Pool2DOptions {
  Padding padding = Padding::kValid;
  int32_t stride_w = 1, stride_h = 1;
  int32_t filter_width = 1, filter_height = 1;
  Activation activation = Activation::kNone;
};
struct SoftmaxOptions {
  float beta = 1.0f;
};
struct ReshapeOptions {
  std::vector<int32_t> new_shape;
};
struct AddOptions {
  Activation activation = Activation::kNone;
};
struct SubOptions {
  Activation activation = Activation::kNone;
};
struct MulOptions {
  Activation activation = Activation::kNone;
};
struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
};
struct ReducerOptions {  // MEAN
  bool keep_dims = false;
};
struct StridedSliceOptions {
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;
};
struct SvdfOptions {
  int32_t rank = 1;
  Activation activation = Activation::kNone;
};

using BuiltinOptions =
    std::variant<std::monostate, FullyConnectedOptions, Conv2DOptions, DepthwiseConv2DOptions,
                 Pool2DOptions, SoftmaxOptions, ReshapeOptions, AddOptions, SubOptions, MulOptions,
                 ConcatenationOptions, ReducerOptions, StridedSliceOptions, SvdfOptions>;

struct Operator {
  int32_t builtin_code = 0;     // BuiltinOperator value; op::kCustom for custom ops
  std::string custom_code;      // for custom ops
  int32_t version = 1;          // the operator version TFLite / TFLite Micro expect
  std::vector<int32_t> inputs;  // tensor indices; -1 marks an omitted optional input
  std::vector<int32_t> outputs;
  BuiltinOptions options;  // std::monostate when the op has none (or they are not decoded)
  std::vector<uint8_t> custom_options;
};

struct Model {
  uint32_t version = 3;  // schema version
  std::string description = "emlkit";
  std::vector<std::vector<uint8_t>> buffers{{}};  // buffer 0: empty
  std::vector<Tensor> tensors;
  std::vector<Operator> operators;  // in execution order
  std::vector<int32_t> inputs, outputs;
  struct MetadataEntry {
    std::string name;
    uint32_t buffer;
  };
  std::vector<MetadataEntry> metadata;

  // Adds a constant tensor whose bytes are `data` (size must match shape x type size).
  int32_t AddConstTensor(const std::string& name, TensorType type, std::vector<int32_t> shape,
                         std::vector<uint8_t> data, std::optional<Quantization> quant = {});
  // Adds a tensor without data (an activation, input or output).
  int32_t AddTensor(const std::string& name, TensorType type, std::vector<int32_t> shape,
                    std::optional<Quantization> quant = {});
  int32_t AddOperator(Operator op);
  // Reads / replaces a named metadata entry (e.g. "emlkit" holding JSON). Empty if absent.
  std::optional<std::string> GetMetadata(const std::string& name) const;
  void SetMetadata(const std::string& name, const std::string& bytes);
  // The constant data of tensor `t` (empty span-like vector reference if none).
  const std::vector<uint8_t>& TensorData(int32_t t) const { return buffers[tensors[t].buffer]; }
};

// Serializes a model to .tflite bytes (file identifier "TFL3"). Checks indices first.
Result<std::vector<uint8_t>> WriteModel(const Model& model);
// Writes atomically (temporary file + rename).
Status WriteModelFile(const std::string& path, const Model& model);
// Parses and verifies .tflite bytes (flatbuffers verifier + index checks); `name` is used in
// messages. Unknown builtin options are kept as std::monostate; they are preserved on rewrite
// only for the ops listed in BuiltinOptions.
Result<Model> ReadModel(const uint8_t* data, size_t size, const std::string& name);
Result<Model> ReadModelFile(const std::string& path);

}  // namespace emlkit::tflite

#endif  // EMLKIT_TFLITE_MODEL_H_
