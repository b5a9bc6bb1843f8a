#include "src/model.h"

namespace emlkit {
namespace rt {
namespace {

// Field ids of the TFLite schema tables (field order in schema.fbs).
namespace model_f {
constexpr int kVersion = 0, kOperatorCodes = 1, kSubgraphs = 2, kBuffers = 4;
}
namespace subgraph_f {
constexpr int kTensors = 0, kInputs = 1, kOutputs = 2, kOperators = 3;
}
namespace tensor_f {
constexpr int kShape = 0, kType = 1, kBuffer = 2, kName = 3, kQuantization = 4, kIsVariable = 5,
              kSparsity = 6;
}
namespace quant_f {
constexpr int kScale = 2, kZeroPoint = 3, kDetailsType = 4, kQuantizedDimension = 6;
}
namespace op_f {
constexpr int kOpcodeIndex = 0, kInputs = 1, kOutputs = 2, kOptionsType = 3, kOptions = 4,
              kOptions2Type = 11;
}
namespace opcode_f {
constexpr int kDeprecatedCode = 0, kCustomCode = 1, kVersion = 2, kBuiltinCode = 3;
}
namespace buffer_f {
constexpr int kData = 0, kOffset = 1, kSize = 2;
}

constexpr uint32_t kSchemaVersion = 3;
constexpr uint32_t kMaxModelBytes = 0x7FFFFFF0u;  // refs use bit 31 as a tag

Status Fail(ErrorInfo* err, Status s, const char* what, int32_t tensor = -1, int32_t op = -1,
            int64_t got = -1, int64_t expected = -1) {
  if (err != nullptr) {
    *err = ErrorInfo();
    err->status = s;
    err->what = what;
    err->tensor = tensor;
    err->op_index = op;
    err->got = got;
    err->expected = expected;
  }
  return s;
}

}  // namespace

int32_t TensorDesc::Dim(int i) const {
  const int k = i < 0 ? rank + i : i;
  return (k < 0 || k >= rank) ? 1 : dims[k];
}

float TensorDesc::ScaleAt(uint32_t c) const {
  float v = 0.0f;
  scales.Get(c, &v);
  return v;
}

int32_t TensorDesc::ZeroPointAt(uint32_t c) const {
  int64_t v = 0;
  zero_points.Get(c, &v);
  return static_cast<int32_t>(v);
}

int32_t OpDesc::Input(int32_t i) const {
  int32_t t = -1;
  if (i < 0 || !inputs.Get(static_cast<uint32_t>(i), &t)) return -1;
  return t;
}

int32_t OpDesc::Output(int32_t i) const {
  int32_t t = -1;
  if (i < 0 || !outputs.Get(static_cast<uint32_t>(i), &t)) return -1;
  return t;
}

int32_t Model::Input(int32_t i) const {
  int32_t t = -1;
  inputs_.Get(static_cast<uint32_t>(i), &t);
  return t;
}

int32_t Model::Output(int32_t i) const {
  int32_t t = -1;
  outputs_.Get(static_cast<uint32_t>(i), &t);
  return t;
}

Status Model::Open(const void* data, size_t size, ErrorInfo* err) {
  *this = Model();
  if (data == nullptr) return Fail(err, Status::kInvalidArgument, "model pointer is null");
  if (size < 8)
    return Fail(err, Status::kCorruptModel, "file too short to be a .tflite model", -1, -1,
                static_cast<int64_t>(size), 8);
#if __SIZE_MAX__ > 0x7FFFFFF0u  // (a 16-bit size_t, as on AVR, cannot get there)
  if (size > kMaxModelBytes) {
    return Fail(err, Status::kUnsupported, "model larger than 2 GiB", -1, -1,
                static_cast<int64_t>(size), kMaxModelBytes);
  }
#endif
  bytes_.data = static_cast<const uint8_t*>(data);
  bytes_.size = static_cast<uint32_t>(size);
  if (memcmp(bytes_.data + 4, "TFL3", 4) != 0) {
    return Fail(err, Status::kCorruptModel,
                "wrong file identifier (expected \"TFL3\" at byte 4): not a .tflite model");
  }
  uint32_t root = 0;
  fb::Table model;
  if (!bytes_.Read(0, &root) || !fb::Table::At(bytes_, root, &model)) {
    return Fail(err, Status::kCorruptModel, "root table out of bounds");
  }
  uint32_t version = 0;
  if (!model.Scalar<uint32_t>(model_f::kVersion, 0, &version)) {
    return Fail(err, Status::kCorruptModel, "model version field out of bounds");
  }
  if (version != kSchemaVersion) {
    return Fail(err, Status::kUnsupported, "unsupported schema version", -1, -1, version,
                kSchemaVersion);
  }
  bool present = false;
  fb::Vector subgraphs;
  if (!model.Vec(model_f::kSubgraphs, 4, &subgraphs, &present) || subgraphs.size() == 0) {
    return Fail(err, Status::kCorruptModel, "model has no subgraph");
  }
  uint32_t sg_pos = 0;
  fb::Table sg;
  if (!subgraphs.TablePos(0, &sg_pos) || !fb::Table::At(bytes_, sg_pos, &sg)) {
    return Fail(err, Status::kCorruptModel, "subgraph 0 out of bounds");
  }
  if (!model.Vec(model_f::kOperatorCodes, 4, &opcodes_, &present)) {
    return Fail(err, Status::kCorruptModel, "operator code list out of bounds");
  }
  if (!model.Vec(model_f::kBuffers, 4, &buffers_, &present)) {
    return Fail(err, Status::kCorruptModel, "buffer list out of bounds");
  }
  if (!sg.Vec(subgraph_f::kTensors, 4, &tensors_, &present)) {
    return Fail(err, Status::kCorruptModel, "tensor list out of bounds");
  }
  if (!sg.Vec(subgraph_f::kOperators, 4, &ops_, &present)) {
    return Fail(err, Status::kCorruptModel, "operator list out of bounds");
  }
  if (!sg.Vec(subgraph_f::kInputs, 4, &inputs_, &present) ||
      !sg.Vec(subgraph_f::kOutputs, 4, &outputs_, &present)) {
    return Fail(err, Status::kCorruptModel, "subgraph input/output list out of bounds");
  }
  if (tensors_.size() > 0x00FFFFFFu || ops_.size() > 0xFFFFu) {
    return Fail(err, Status::kUnsupported, "too many tensors or operators", -1, -1, tensors_.size(),
                0x00FFFFFF);
  }
  for (uint32_t i = 0; i < inputs_.size() + outputs_.size(); ++i) {
    const bool is_in = i < inputs_.size();
    int32_t t =
        is_in ? Input(static_cast<int32_t>(i)) : Output(static_cast<int32_t>(i - inputs_.size()));
    if (t < 0 || t >= num_tensors()) {
      return Fail(err, Status::kCorruptModel,
                  is_in ? "subgraph input names a tensor that does not exist"
                        : "subgraph output names a tensor that does not exist",
                  t, -1, t, num_tensors());
    }
  }
  return Status::kOk;
}

void TensorDesc::Reset(int32_t t) {
  // Field by field: a whole-struct clear becomes a byte-wise memset call on small MCU libcs.
  index = t;
  type = TensorType::kFloat32;
  rank = 0;
  static_assert(kMaxRank == 6, "dims are cleared one by one");
  dims[0] = dims[1] = dims[2] = dims[3] = dims[4] = dims[5] = 0;
  elements = bytes = data_pos = 0;
  data = nullptr;
  is_variable = false;
  num_scales = num_zero_points = 0;
  scale = 0.0f;
  zero_point = quantized_dimension = 0;
  scales.Clear();
  zero_points.Clear();
  name = "";
  name_len = 0;
}

Status Model::Tensor(int32_t t, TensorDesc* out, ErrorInfo* err) const {
  return ReadTensor(t, out, err, /*full=*/true);
}

Status Model::TensorStorage(int32_t t, TensorDesc* out, ErrorInfo* err) const {
  return ReadTensor(t, out, err, /*full=*/false);
}

Status Model::ReadTensor(int32_t t, TensorDesc* out, ErrorInfo* err, bool full) const {
  out->Reset(t);
  uint32_t pos = 0;
  fb::Table tt;
  if (t < 0 || t >= num_tensors()) {
    return Fail(err, Status::kCorruptModel, "tensor index out of range", t, -1, t, num_tensors());
  }
  if (!tensors_.TablePos(static_cast<uint32_t>(t), &pos) || !fb::Table::At(bytes_, pos, &tt)) {
    return Fail(err, Status::kCorruptModel, "tensor table out of bounds", t);
  }
  bool present = false;
  if (full && !tt.Str(tensor_f::kName, &out->name, &out->name_len)) {
    return Fail(err, Status::kCorruptModel, "tensor name out of bounds", t);
  }
  int8_t type = 0;
  if (!tt.Scalar<int8_t>(tensor_f::kType, 0, &type)) {
    return Fail(err, Status::kCorruptModel, "tensor type field out of bounds", t);
  }
  out->type = static_cast<TensorType>(type);
  fb::Vector shape;
  if (!tt.Vec(tensor_f::kShape, 4, &shape, &present)) {
    return Fail(err, Status::kCorruptModel, "tensor shape out of bounds", t);
  }
  if (shape.size() > static_cast<uint32_t>(kMaxRank)) {
    return Fail(err, Status::kUnsupported, "tensor has more dimensions than emlkit supports", t, -1,
                shape.size(), kMaxRank);
  }
  out->rank = static_cast<int32_t>(shape.size());
  uint64_t elements = 1;
  for (int32_t i = 0; i < out->rank; ++i) {
    int32_t d = 0;
    shape.Get(static_cast<uint32_t>(i), &d);
    if (d < 0) return Fail(err, Status::kCorruptModel, "negative tensor dimension", t, -1, d, 0);
    out->dims[i] = d;
    elements *= static_cast<uint64_t>(d);
    if (elements > 0x7FFFFFFFull) {
      return Fail(err, Status::kCorruptModel, "tensor shape too large", t, -1,
                  static_cast<int64_t>(elements), 0x7FFFFFFF);
    }
  }
  const uint64_t bytes = elements * TensorTypeSize(out->type);
  if (bytes > 0x7FFFFFFFull) {
    return Fail(err, Status::kCorruptModel, "tensor shape too large", t, -1,
                static_cast<int64_t>(bytes), 0x7FFFFFFF);
  }
  out->elements = static_cast<uint32_t>(elements);
  out->bytes = static_cast<uint32_t>(bytes);
  if (!tt.Scalar<bool>(tensor_f::kIsVariable, false, &out->is_variable)) {
    return Fail(err, Status::kCorruptModel, "tensor is_variable field out of bounds", t);
  }

  // Constant data.
  uint32_t buffer = 0;
  if (!tt.Scalar<uint32_t>(tensor_f::kBuffer, 0, &buffer)) {
    return Fail(err, Status::kCorruptModel, "tensor buffer field out of bounds", t);
  }
  if (buffer != 0) {
    uint32_t bpos = 0;
    fb::Table bt;
    if (buffer >= buffers_.size()) {
      return Fail(err, Status::kCorruptModel, "tensor points past the buffer list", t, -1, buffer,
                  buffers_.size());
    }
    if (!buffers_.TablePos(buffer, &bpos) || !fb::Table::At(bytes_, bpos, &bt)) {
      return Fail(err, Status::kCorruptModel, "tensor's buffer table out of bounds", t);
    }
    fb::Vector data;
    if (!bt.Vec(buffer_f::kData, 1, &data, &present)) {
      return Fail(err, Status::kCorruptModel, "tensor data points past the end of the file", t);
    }
    uint64_t ext_offset = 0, ext_size = 0;
    if (!bt.Scalar<uint64_t>(buffer_f::kOffset, 0, &ext_offset) ||
        !bt.Scalar<uint64_t>(buffer_f::kSize, 0, &ext_size)) {
      return Fail(err, Status::kCorruptModel, "tensor buffer offset/size field out of bounds", t);
    }
    uint64_t data_pos = 0, data_len = 0;
    if (data.size() > 0) {
      data_pos = data.data_pos();
      data_len = data.size();
    } else if (ext_offset > 1) {  // data stored after the flatbuffer (models > 2 GB layout)
      if (!bytes_.Has(ext_offset, ext_size)) {
        return Fail(err, Status::kCorruptModel, "tensor data points past the end of the file", t,
                    -1, static_cast<int64_t>(ext_offset + ext_size), bytes_.size);
      }
      data_pos = ext_offset;
      data_len = ext_size;
    }
    if (data_len > 0) {
      if (data_len != out->bytes) {
        return Fail(err, Status::kCorruptModel, "buffer size does not match the tensor shape", t,
                    -1, static_cast<int64_t>(data_len), out->bytes);
      }
      bool sparse = false;
      fb::Table sparsity;
      if (full && !tt.Sub(tensor_f::kSparsity, &sparsity, &sparse)) {
        return Fail(err, Status::kCorruptModel, "tensor sparsity field out of bounds", t);
      }
      if (sparse) return Fail(err, Status::kUnsupported, "sparse constant tensor", t);
      out->data = bytes_.data + data_pos;
      out->data_pos = static_cast<uint32_t>(data_pos);
      const uint32_t align = TensorTypeSize(out->type) < 4 ? TensorTypeSize(out->type) : 4;
      if (align > 1 && (reinterpret_cast<uintptr_t>(out->data) % align) != 0) {
        return Fail(err, Status::kUnsupported,
                    "constant tensor data is misaligned (the model or its buffers are not "
                    "4-byte aligned)",
                    t);
      }
    }
  }

  if (!full) return Status::kOk;
  // Quantization.
  fb::Table q;
  bool has_q = false;
  if (!tt.Sub(tensor_f::kQuantization, &q, &has_q)) {
    return Fail(err, Status::kCorruptModel, "tensor quantization table out of bounds", t);
  }
  if (has_q) {
    uint8_t details = 0;
    if (!q.Scalar<uint8_t>(quant_f::kDetailsType, 0, &details)) {
      return Fail(err, Status::kCorruptModel, "quantization details out of bounds", t);
    }
    if (details != 0) return Fail(err, Status::kUnsupported, "custom quantization", t);
    if (!q.Vec(quant_f::kScale, 4, &out->scales, &present) ||
        !q.Vec(quant_f::kZeroPoint, 8, &out->zero_points, &present) ||
        !q.Scalar<int32_t>(quant_f::kQuantizedDimension, 0, &out->quantized_dimension)) {
      return Fail(err, Status::kCorruptModel, "quantization parameters out of bounds", t);
    }
    out->num_scales = out->scales.size();
    out->num_zero_points = out->zero_points.size();
    if (out->num_scales > 0) out->scale = out->ScaleAt(0);
    for (uint32_t c = 0; c < out->num_zero_points; ++c) {
      int64_t zp = 0;
      out->zero_points.Get(c, &zp);
      if (zp < -2147483647LL - 1 || zp > 2147483647LL) {
        return Fail(err, Status::kCorruptModel, "zero point out of int32 range", t, -1, zp);
      }
      if (c == 0) out->zero_point = static_cast<int32_t>(zp);
    }
  }
  return Status::kOk;
}

Status Model::Op(int32_t k, OpDesc* out, ErrorInfo* err) const {
  *out = OpDesc();
  out->index = k;
  uint32_t pos = 0;
  fb::Table ot;
  if (k < 0 || k >= num_ops()) {
    return Fail(err, Status::kInvalidArgument, "operator index out of range", -1, k, k, num_ops());
  }
  if (!ops_.TablePos(static_cast<uint32_t>(k), &pos) || !fb::Table::At(bytes_, pos, &ot)) {
    return Fail(err, Status::kCorruptModel, "operator table out of bounds", -1, k);
  }
  uint32_t opcode_index = 0;
  if (!ot.Scalar<uint32_t>(op_f::kOpcodeIndex, 0, &opcode_index)) {
    return Fail(err, Status::kCorruptModel, "operator code index out of bounds", -1, k);
  }
  if (opcode_index >= opcodes_.size()) {
    return Fail(err, Status::kCorruptModel, "operator code index out of range", -1, k, opcode_index,
                opcodes_.size());
  }
  fb::Table ct;
  if (!opcodes_.TablePos(opcode_index, &pos) || !fb::Table::At(bytes_, pos, &ct)) {
    return Fail(err, Status::kCorruptModel, "operator code table out of bounds", -1, k);
  }
  int8_t deprecated_code = 0;
  int32_t code = 0;
  if (!ct.Scalar<int8_t>(opcode_f::kDeprecatedCode, 0, &deprecated_code) ||
      !ct.Scalar<int32_t>(opcode_f::kBuiltinCode, 0, &code) ||
      !ct.Scalar<int32_t>(opcode_f::kVersion, 1, &out->version) ||
      !ct.Str(opcode_f::kCustomCode, &out->custom_code, &out->custom_code_len)) {
    return Fail(err, Status::kCorruptModel, "operator code fields out of bounds", -1, k);
  }
  // Old writers fill only the byte-sized field; new ones set both (the larger wins).
  out->code = code > deprecated_code ? code : deprecated_code;
  bool present = false;
  if (!ot.Vec(op_f::kInputs, 4, &out->inputs, &present) ||
      !ot.Vec(op_f::kOutputs, 4, &out->outputs, &present)) {
    return Fail(err, Status::kCorruptModel, "operator input/output list out of bounds", -1, k);
  }
  for (int32_t i = 0; i < out->num_inputs() + out->num_outputs(); ++i) {
    const bool is_in = i < out->num_inputs();
    const int32_t t = is_in ? out->Input(i) : out->Output(i - out->num_inputs());
    if (t >= num_tensors() || t < -1 || (!is_in && t < 0)) {
      return Fail(err, Status::kCorruptModel,
                  is_in ? "operator input names a tensor that does not exist"
                        : "operator output names a tensor that does not exist",
                  t, k, t, num_tensors());
    }
  }
  uint8_t options2 = 0;
  if (!ot.Scalar<uint8_t>(op_f::kOptionsType, 0, &out->options_type) ||
      !ot.Scalar<uint8_t>(op_f::kOptions2Type, 0, &options2)) {
    return Fail(err, Status::kCorruptModel, "operator options type out of bounds", -1, k);
  }
  if (out->options_type != 0) {
    bool has = false;
    if (!ot.Sub(op_f::kOptions, &out->options, &has)) {
      return Fail(err, Status::kCorruptModel, "operator options out of bounds", -1, k);
    }
    if (!has) out->options_type = 0;
  }
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
