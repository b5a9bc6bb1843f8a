// The host model's helpers: type names and sizes, building a model, metadata entries.
#include "tflite/model.h"

#include <cstdint>
#include <limits>
#include <utility>

namespace emlkit::tflite {

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
