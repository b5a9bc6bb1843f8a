// WriteModel: the host model -> .tflite bytes, with the flatc-generated builder.
#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/fs.h"
#include "tflite/model.h"
#include "tflite/model_options.h"
#include "tflite/schema/tflite_generated.h"

namespace emlkit::tflite {
namespace {

// Constant data is aligned to 16 bytes in the file, as the schema's force_align asks and as
// TFLite Micro (which reads weights in place from flash) expects.
constexpr size_t kBufferAlignment = 16;
// deprecated_builtin_code is a byte: codes above 127 are written as this placeholder
// (BuiltinOperator PLACEHOLDER_FOR_GREATER_OP_CODES) and in full in builtin_code.
constexpr int32_t kPlaceholderForGreaterOpCodes = 127;
constexpr uint64_t kMaxDataBytes = uint64_t{1} << 30;

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

Status CheckWritable(const Model& m) {
  if (m.version != 3) {
    return Status::InvalidArgument(
        fmt::format("model: schema version {}; emlkit writes version 3", m.version));
  }
  EMLKIT_RETURN_IF_ERROR(ValidateModel(m, "model"));
  for (size_t i = 0; i < m.operators.size(); ++i) {
    const Operator& op = m.operators[i];
    if (!op.undecoded_options.empty()) {
      return Status::Unsupported(fmt::format(
          "model: operator {} (builtin code {}) has options emlkit does not decode ({}); "
          "writing it would change what the model computes",
          i, op.builtin_code, op.undecoded_options));
    }
  }
  // FlatBuffers aborts when a file reaches 2 GiB; refuse long before (half of that leaves room
  // for the graph tables, whose size is not known until they are built).
  uint64_t total = 0;
  for (const std::vector<uint8_t>& b : m.buffers) total += b.size() + kBufferAlignment;
  for (const Operator& op : m.operators) total += op.custom_options.size();
  if (total >= kMaxDataBytes) {
    return Status::Unsupported(fmt::format(
        "model: {} bytes of constant data; emlkit writes .tflite files with up to 1 GiB", total));
  }
  return Status::Ok();
}

Offset<fb::QuantizationParameters> WriteQuantization(FlatBufferBuilder& fbb, const Tensor& t) {
  if (!t.quant) return 0;
  const Quantization& q = *t.quant;
  auto opt = [&](const auto& v) { return v.empty() ? 0 : fbb.CreateVector(v); };
  auto min = opt(q.min);
  auto max = opt(q.max);
  auto scale = opt(q.scale);
  auto zero_point = opt(q.zero_point);
  return fb::CreateQuantizationParameters(fbb, min, max, scale, zero_point,
                                          fb::QuantizationDetails::NONE, 0, q.quantized_dimension);
}

Offset<fb::Tensor> WriteTensor(FlatBufferBuilder& fbb, const Tensor& t) {
  auto shape = fbb.CreateVector(t.shape);
  auto name = fbb.CreateString(t.name);
  auto quant = WriteQuantization(fbb, t);
  auto signature = t.shape_signature.empty() ? 0 : fbb.CreateVector(t.shape_signature);
  return fb::CreateTensor(fbb, shape, static_cast<fb::TensorType>(t.type), t.buffer, name, quant,
                          t.is_variable, 0, signature, t.has_rank);
}

// Operator codes: one per distinct (builtin code, custom code, version), in order of first use,
// so the same model always gives the same table.
class OpCodes {
 public:
  uint32_t IndexOf(const Operator& op) {
    auto key = std::make_tuple(op.builtin_code, op.custom_code, op.version);
    auto [it, inserted] = index_.try_emplace(key, static_cast<uint32_t>(order_.size()));
    if (inserted) order_.push_back(&op);
    return it->second;
  }
  Offset<flatbuffers::Vector<Offset<fb::OperatorCode>>> Write(FlatBufferBuilder& fbb) const {
    std::vector<Offset<fb::OperatorCode>> codes;
    for (const Operator* op : order_) {
      auto custom = op->custom_code.empty() ? 0 : fbb.CreateString(op->custom_code);
      auto byte_code =
          static_cast<int8_t>(std::min(op->builtin_code, kPlaceholderForGreaterOpCodes));
      codes.push_back(
          fb::CreateOperatorCode(fbb, byte_code, custom, op->version, op->builtin_code));
    }
    return fbb.CreateVector(codes);
  }

 private:
  std::map<std::tuple<int32_t, std::string, int32_t>, uint32_t> index_;
  std::vector<const Operator*> order_;
};

Offset<fb::Operator> WriteOperator(FlatBufferBuilder& fbb, const Operator& op, uint32_t code) {
  auto inputs = fbb.CreateVector(op.inputs);
  auto outputs = fbb.CreateVector(op.outputs);
  auto [options_type, options] = EncodeOptions(fbb, op.options);
  auto custom = op.custom_options.empty() ? 0 : fbb.CreateVector(op.custom_options);
  auto intermediates = op.intermediates.empty() ? 0 : fbb.CreateVector(op.intermediates);
  return fb::CreateOperator(fbb, code, inputs, outputs, options_type, options, custom,
                            fb::CustomOptionsFormat::FLEXBUFFERS, 0, intermediates);
}

Offset<fb::Buffer> WriteBuffer(FlatBufferBuilder& fbb, const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) return fb::CreateBuffer(fbb);
  fbb.ForceVectorAlignment(bytes.size(), sizeof(uint8_t), kBufferAlignment);
  return fb::CreateBuffer(fbb, fbb.CreateVector(bytes));
}

Offset<fb::SignatureDef> WriteSignature(FlatBufferBuilder& fbb, const Model::Signature& s) {
  auto list = [&](const std::vector<Model::SignatureTensor>& entries) {
    std::vector<Offset<fb::TensorMap>> maps;
    for (const Model::SignatureTensor& e : entries) {
      maps.push_back(fb::CreateTensorMap(fbb, fbb.CreateString(e.name), e.tensor_index));
    }
    return fbb.CreateVector(maps);
  };
  auto inputs = list(s.inputs);
  auto outputs = list(s.outputs);
  return fb::CreateSignatureDef(fbb, inputs, outputs, fbb.CreateString(s.key), 0);
}

}  // namespace

Result<std::vector<uint8_t>> WriteModel(const Model& m) {
  EMLKIT_RETURN_IF_ERROR(CheckWritable(m));
  FlatBufferBuilder fbb(1024 + m.buffers.size() * 64);

  // Buffers first: the builder fills the file from its end, so the (large) constant data ends
  // up after the graph, which keeps the graph tables together at the start of the file.
  std::vector<Offset<fb::Buffer>> buffers;
  for (const std::vector<uint8_t>& b : m.buffers) buffers.push_back(WriteBuffer(fbb, b));
  auto buffers_vec = fbb.CreateVector(buffers);

  std::vector<Offset<fb::Tensor>> tensors;
  for (const Tensor& t : m.tensors) tensors.push_back(WriteTensor(fbb, t));
  OpCodes codes;
  std::vector<Offset<fb::Operator>> operators;
  for (const Operator& op : m.operators) {
    operators.push_back(WriteOperator(fbb, op, codes.IndexOf(op)));
  }
  auto subgraph = fb::CreateSubGraph(
      fbb, fbb.CreateVector(tensors), fbb.CreateVector(m.inputs), fbb.CreateVector(m.outputs),
      fbb.CreateVector(operators), m.subgraph_name.empty() ? 0 : fbb.CreateString(m.subgraph_name));
  auto subgraphs = fbb.CreateVector(std::vector<Offset<fb::SubGraph>>{subgraph});
  auto codes_vec = codes.Write(fbb);

  std::vector<Offset<fb::Metadata>> metadata;
  for (const Model::MetadataEntry& e : m.metadata) {
    metadata.push_back(fb::CreateMetadata(fbb, fbb.CreateString(e.name), e.buffer));
  }
  auto metadata_vec = metadata.empty() ? 0 : fbb.CreateVector(metadata);
  std::vector<Offset<fb::SignatureDef>> signatures;
  for (const Model::Signature& s : m.signatures) signatures.push_back(WriteSignature(fbb, s));
  auto signatures_vec = signatures.empty() ? 0 : fbb.CreateVector(signatures);
  auto description = m.description.empty() ? 0 : fbb.CreateString(m.description);

  auto root = fb::CreateModel(fbb, m.version, codes_vec, subgraphs, description, buffers_vec, 0,
                              metadata_vec, signatures_vec);
  fb::FinishModelBuffer(fbb, root);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

Status WriteModelFile(const std::string& path, const Model& model) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, WriteModel(model));
  return WriteFileAtomic(path, bytes.data(), bytes.size());
}

}  // namespace emlkit::tflite
