// The host model's helpers: type names and sizes, building a model, metadata entries.
#include "tflite/model.h"

#include <cstdint>
#include <limits>
#include <utility>

namespace emlkit::tflite {

const char* TensorTypeName(TensorType t) {
  switch (t) {
    case TensorType::kFloat32:
      return "float32";
    case TensorType::kFloat16:
      return "float16";
    case TensorType::kInt32:
      return "int32";
    case TensorType::kUInt8:
      return "uint8";
    case TensorType::kInt64:
      return "int64";
    case TensorType::kString:
      return "string";
    case TensorType::kBool:
      return "bool";
    case TensorType::kInt16:
      return "int16";
    case TensorType::kComplex64:
      return "complex64";
    case TensorType::kInt8:
      return "int8";
    case TensorType::kFloat64:
      return "float64";
    case TensorType::kComplex128:
      return "complex128";
    case TensorType::kUInt64:
      return "uint64";
    case TensorType::kResource:
      return "resource";
    case TensorType::kVariant:
      return "variant";
    case TensorType::kUInt32:
      return "uint32";
    case TensorType::kUInt16:
      return "uint16";
    case TensorType::kInt4:
      return "int4";
  }
  return "unknown";  // a value from a newer schema
}

size_t TensorTypeSize(TensorType t) {
  switch (t) {
    case TensorType::kBool:
    case TensorType::kUInt8:
    case TensorType::kInt8:
      return 1;
    case TensorType::kFloat16:
    case TensorType::kInt16:
    case TensorType::kUInt16:
      return 2;
    case TensorType::kFloat32:
    case TensorType::kInt32:
    case TensorType::kUInt32:
      return 4;
    case TensorType::kInt64:
    case TensorType::kUInt64:
    case TensorType::kFloat64:
    case TensorType::kComplex64:
      return 8;
    case TensorType::kComplex128:
      return 16;
    default:
      return 0;  // string, resource, variant, int4 (packed), unknown
  }
}

int64_t NumElements(const std::vector<int32_t>& shape) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t elements = 1;
  for (int32_t d : shape) {
    if (d < 0) return -1;
  }
  for (int32_t d : shape) {
    if (d == 0) return 0;
    elements = elements > kMax / d ? kMax : elements * d;
  }
  return elements;
}

int64_t TensorByteSize(TensorType t, const std::vector<int32_t>& shape) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t elements = NumElements(shape);
  if (elements < 0) return -1;
  if (t == TensorType::kInt4) return elements / 2 + elements % 2;
  int64_t size = static_cast<int64_t>(TensorTypeSize(t));
  if (size == 0) return -1;
  return elements > kMax / size ? kMax : elements * size;
}

int32_t Model::AddConstTensor(const std::string& name, TensorType type, std::vector<int32_t> shape,
                              std::vector<uint8_t> data, std::optional<Quantization> quant) {
  buffers.push_back(std::move(data));
  Tensor t;
  t.name = name;
  t.type = type;
  t.shape = std::move(shape);
  t.buffer = static_cast<uint32_t>(buffers.size() - 1);
  t.quant = std::move(quant);
  tensors.push_back(std::move(t));
  return static_cast<int32_t>(tensors.size() - 1);
}

int32_t Model::AddTensor(const std::string& name, TensorType type, std::vector<int32_t> shape,
                         std::optional<Quantization> quant) {
  Tensor t;
  t.name = name;
  t.type = type;
  t.shape = std::move(shape);
  t.quant = std::move(quant);
  tensors.push_back(std::move(t));
  return static_cast<int32_t>(tensors.size() - 1);
}

int32_t Model::AddOperator(Operator op) {
  operators.push_back(std::move(op));
  return static_cast<int32_t>(operators.size() - 1);
}

std::optional<std::string> Model::GetMetadata(const std::string& name) const {
  for (const MetadataEntry& m : metadata) {
    if (m.name == name && m.buffer < buffers.size()) {
      const std::vector<uint8_t>& b = buffers[m.buffer];
      return std::string(b.begin(), b.end());
    }
  }
  return std::nullopt;
}

void Model::SetMetadata(const std::string& name, const std::string& bytes) {
  std::vector<uint8_t> data(bytes.begin(), bytes.end());
  auto shared_with_tensor = [&](uint32_t b) {
    for (const Tensor& t : tensors) {
      if (t.buffer == b) return true;
    }
    return false;
  };
  for (const MetadataEntry& m : metadata) {
    // Replace in place when the entry owns a buffer of its own; never touch buffer 0 (which must
    // stay empty) or a buffer a tensor uses (a hostile file could point metadata at weights).
    if (m.name == name && m.buffer != 0 && m.buffer < buffers.size() &&
        !shared_with_tensor(m.buffer)) {
      buffers[m.buffer] = std::move(data);
      return;
    }
  }
  std::erase_if(metadata, [&](const MetadataEntry& m) { return m.name == name; });
  buffers.push_back(std::move(data));
  metadata.push_back({name, static_cast<uint32_t>(buffers.size() - 1)});
}

}  // namespace emlkit::tflite
