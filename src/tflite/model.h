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
#include "emlkit/runtime.h"

namespace emlkit::tflite {

// The schema's TensorType enum, its names ("float32", "int8", ...; "unknown" outside the enum)
// and element sizes (0 for types without a fixed element size: string, resource, variant, and
// int4, which packs two elements per byte: use TensorByteSize): one definition, the runtime's.
using TensorType = ::emlkit::rt::TensorType;
using ::emlkit::rt::TensorTypeName;
using ::emlkit::rt::TensorTypeSize;
// Elements of a shape (1 for a scalar []), -1 if a dimension is negative; saturates at
// INT64_MAX instead of overflowing.
int64_t NumElements(const std::vector<int32_t>& shape);
// Bytes of constant data a tensor of this type and shape holds in a .tflite buffer, or -1 when
// the type has no fixed size (string, resource, variant) or a dimension is negative. Saturates
// at INT64_MAX instead of overflowing.
int64_t TensorByteSize(TensorType t, const std::vector<int32_t>& shape);

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
  bool operator==(const Quantization&) const = default;
};

struct Tensor {
  std::string name;
  TensorType type = TensorType::kFloat32;
  std::vector<int32_t> shape;
  uint32_t buffer = 0;  // 0: no constant data (activations, inputs, outputs)
  std::optional<Quantization> quant;
  bool is_variable = false;  // state kept between invocations (e.g. SVDF)
  // As read from / written to the file; emlkit's own writers leave them empty / false.
  std::vector<int32_t> shape_signature;  // shape with -1 for dynamic dimensions; empty: none
  bool has_rank = false;                 // distinguishes a scalar (shape []) from unknown rank
  bool operator==(const Tensor&) const = default;
};

// Builtin options for the ops emlkit writes and reads; field names follow the schema.
struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  bool keep_num_dims = false;
  bool operator==(const FullyConnectedOptions&) const = default;
};
struct Conv2DOptions {
  Padding padding = Padding::kValid;
  int32_t stride_w = 1, stride_h = 1;
  Activation activation = Activation::kNone;
  int32_t dilation_w = 1, dilation_h = 1;
  bool operator==(const Conv2DOptions&) const = default;
};
struct DepthwiseConv2DOptions {
  Padding padding = Padding::kValid;
  int32_t stride_w = 1, stride_h = 1;
  int32_t depth_multiplier = 1;
  Activation activation = Activation::kNone;
  int32_t dilation_w = 1, dilation_h = 1;
  bool operator==(const DepthwiseConv2DOptions&) const = default;
};
struct Pool2DOptions {
  Padding padding = Padding::kValid;
  int32_t stride_w = 1, stride_h = 1;
  int32_t filter_width = 1, filter_height = 1;
  Activation activation = Activation::kNone;
  bool operator==(const Pool2DOptions&) const = default;
};
struct SoftmaxOptions {
  float beta = 1.0f;
  bool operator==(const SoftmaxOptions&) const = default;
};
struct ReshapeOptions {
  std::vector<int32_t> new_shape;
  bool operator==(const ReshapeOptions&) const = default;
};
struct AddOptions {
  Activation activation = Activation::kNone;
  bool pot_scale_int16 = true;  // int16 only: power-of-two scales
  bool operator==(const AddOptions&) const = default;
};
struct SubOptions {
  Activation activation = Activation::kNone;
  bool pot_scale_int16 = true;
  bool operator==(const SubOptions&) const = default;
};
struct MulOptions {
  Activation activation = Activation::kNone;
  bool operator==(const MulOptions&) const = default;
};
struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
  bool operator==(const ConcatenationOptions&) const = default;
};
struct ReducerOptions {  // MEAN
  bool keep_dims = false;
  bool operator==(const ReducerOptions&) const = default;
};
struct StridedSliceOptions {
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;
  bool operator==(const StridedSliceOptions&) const = default;
};
struct SvdfOptions {
  int32_t rank = 1;
  Activation activation = Activation::kNone;
  bool operator==(const SvdfOptions&) const = default;
};
struct DivOptions {
  Activation activation = Activation::kNone;
  bool operator==(const DivOptions&) const = default;
};
struct CastOptions {  // both kFloat32 (the schema default) when the file does not say
  TensorType in_data_type = TensorType::kFloat32;
  TensorType out_data_type = TensorType::kFloat32;
  bool operator==(const CastOptions&) const = default;
};
struct UnidirectionalSequenceLstmOptions {
  Activation activation = Activation::kNone;
  float cell_clip = 0.0f;  // 0: no clipping
  float proj_clip = 0.0f;
  bool time_major = false;
  bool asymmetric_quantize_inputs = false;
  bool diagonal_recurrent_tensors = false;
  bool operator==(const UnidirectionalSequenceLstmOptions&) const = default;
};

// Options tables that have no fields in the schema (PAD, QUANTIZE, DEQUANTIZE, MAXIMUM, ...) are
// read as std::monostate: nothing is lost.
using BuiltinOptions =
    std::variant<std::monostate, FullyConnectedOptions, Conv2DOptions, DepthwiseConv2DOptions,
                 Pool2DOptions, SoftmaxOptions, ReshapeOptions, AddOptions, SubOptions, MulOptions,
                 ConcatenationOptions, ReducerOptions, StridedSliceOptions, SvdfOptions, DivOptions,
                 CastOptions, UnidirectionalSequenceLstmOptions>;

struct Operator {
  int32_t builtin_code = 0;     // BuiltinOperator value; op::kCustom for custom ops
  std::string custom_code;      // for custom ops
  int32_t version = 1;          // the operator version TFLite / TFLite Micro expect
  std::vector<int32_t> inputs;  // tensor indices; -1 marks an omitted optional input
  std::vector<int32_t> outputs;
  std::vector<int32_t> intermediates;  // tensors internal to the op (quantized LSTM); usually none
  BuiltinOptions options;  // std::monostate when the op has none (or they are not decoded)
  std::vector<uint8_t> custom_options;
  // Set by ReadModel when the file holds options emlkit cannot represent (an options table not
  // in BuiltinOptions, or a field of one at a value the struct has no member for, e.g.
  // FullyConnectedOptions.weights_format = SHUFFLED4x16INT8): names what was not decoded.
  // `options` then holds what could be decoded (or std::monostate). WriteModel refuses such an
  // operator, since writing it would silently change what the model computes.
  std::string undecoded_options;
  bool operator==(const Operator&) const = default;
};

struct Model {
  uint32_t version = 3;  // schema version
  std::string description = "emlkit";
  std::vector<std::vector<uint8_t>> buffers{{}};  // buffer 0: empty
  std::vector<Tensor> tensors;
  std::vector<Operator> operators;  // in execution order
  std::vector<int32_t> inputs, outputs;
  std::string subgraph_name;  // optional; converters write "main"
  struct MetadataEntry {
    std::string name;
    uint32_t buffer = 0;
    bool operator==(const MetadataEntry&) const = default;
  };
  std::vector<MetadataEntry> metadata;
  // Named entry points (TFLite SignatureDefs; LiteRT's signature runner uses them). Kept as read;
  // emlkit's writers add none.
  struct SignatureTensor {
    std::string name;
    uint32_t tensor_index = 0;
    bool operator==(const SignatureTensor&) const = default;
  };
  struct Signature {
    std::string key;  // e.g. "serving_default"
    std::vector<SignatureTensor> inputs, outputs;
    bool operator==(const Signature&) const = default;
  };
  std::vector<Signature> signatures;

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
  bool operator==(const Model&) const = default;
};

// Checks a model's internal consistency: every index in range (buffers, tensors, operator
// inputs/outputs/intermediates, graph inputs/outputs, metadata, signatures), shapes
// non-negative and under 2 GiB of data, constant data sizes matching shape x type,
// quantization parameters consistent with the tensor (per-channel scales match the channel
// dimension), buffer 0 empty, custom ops named. Messages name `name` and the tensor / operator
// ("model.tflite: tensor 7 'dense/w': ..."). Exit code 2 (InvalidArgument for a model being
// built, Corruption for a file: `code` picks which).
Status ValidateModel(const Model& model, const std::string& name,
                     StatusCode code = StatusCode::kInvalidArgument);

// Serializes a model to .tflite bytes (file identifier "TFL3", schema version 3). Validates
// first, and refuses operators with undecoded options. Deterministic: the same model gives the
// same bytes. Constant data is 16-byte aligned in the file (what TFLite Micro expects).
Result<std::vector<uint8_t>> WriteModel(const Model& model);
// Writes atomically (temporary file + rename).
Status WriteModelFile(const std::string& path, const Model& model);
// Parses and verifies .tflite bytes (file identifier, flatbuffers verifier, then ValidateModel);
// `name` is used in messages. A hostile or corrupt file gives a Status, never an out-of-bounds
// read. Refuses (kUnsupported) what the host model cannot hold: several subgraphs, sparse
// tensors, custom quantization, schema versions other than 3. Options emlkit does not decode
// are reported in Operator::undecoded_options.
Result<Model> ReadModel(const uint8_t* data, size_t size, const std::string& name);
Result<Model> ReadModelFile(const std::string& path);

}  // namespace emlkit::tflite

#endif  // EMLKIT_TFLITE_MODEL_H_
