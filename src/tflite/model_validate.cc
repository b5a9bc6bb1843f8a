// ValidateModel: the index, shape, size and quantization checks shared by the reader (on what a
// file holds) and the writer (on what a stage built).
#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "tflite/model.h"

namespace emlkit::tflite {
namespace {

// Tensors larger than this cannot be stored in a .tflite file (FlatBuffers' 2 GiB limit) and
// would not fit any device; a larger shape is corrupt or hostile.
constexpr int64_t kMaxTensorBytes = (int64_t{1} << 31) - 1;

std::string ShapeText(const std::vector<int32_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

class Validator {
 public:
  Validator(const Model& m, const std::string& name, StatusCode code)
      : m_(m), name_(name), code_(code) {}

  Status Run() {
    if (m_.buffers.empty() || !m_.buffers[0].empty()) {
      return Error("buffer 0 must exist and be empty (the TFLite convention for 'no data')");
    }
    for (size_t i = 0; i < m_.tensors.size(); ++i) EMLKIT_RETURN_IF_ERROR(CheckTensor(i));
    for (size_t i = 0; i < m_.operators.size(); ++i) EMLKIT_RETURN_IF_ERROR(CheckOperator(i));
    EMLKIT_RETURN_IF_ERROR(CheckIndices(m_.inputs, "graph input", false));
    EMLKIT_RETURN_IF_ERROR(CheckIndices(m_.outputs, "graph output", false));
    for (const Model::MetadataEntry& e : m_.metadata) {
      if (e.buffer >= m_.buffers.size()) {
        return Error(fmt::format("metadata '{}' refers to buffer {}, but the model has {} buffers",
                                 e.name, e.buffer, m_.buffers.size()));
      }
    }
    for (const Model::Signature& s : m_.signatures) {
      for (const auto* list : {&s.inputs, &s.outputs}) {
        for (const Model::SignatureTensor& t : *list) {
          if (t.tensor_index >= m_.tensors.size()) {
            return Error(
                fmt::format("signature '{}' entry '{}' refers to tensor {}, but the "
                            "model has {} tensors",
                            s.key, t.name, t.tensor_index, m_.tensors.size()));
          }
        }
      }
    }
    return Status::Ok();
  }

 private:
  Status Error(const std::string& what) const {
    return Status(code_, fmt::format("{}: {}", name_, what));
  }
  std::string TensorLabel(size_t i) const {
    return fmt::format("tensor {} '{}'", i, m_.tensors[i].name);
  }

  Status CheckTensor(size_t i) const {
    const Tensor& t = m_.tensors[i];
    if (t.buffer >= m_.buffers.size()) {
      return Error(fmt::format("{} refers to buffer {}, but the model has {} buffers",
                               TensorLabel(i), t.buffer, m_.buffers.size()));
    }
    for (int32_t d : t.shape) {
      if (d < 0) {
        return Error(fmt::format("{} has shape {} with a negative dimension", TensorLabel(i),
                                 ShapeText(t.shape)));
      }
    }
    for (int32_t d : t.shape_signature) {
      if (d < -1) {
        return Error(fmt::format("{} has shape_signature {}: dimensions must be >= -1",
                                 TensorLabel(i), ShapeText(t.shape_signature)));
      }
    }
    int64_t bytes = TensorByteSize(t.type, t.shape);
    if (bytes > kMaxTensorBytes) {
      return Error(
          fmt::format("{} has shape {} of {}: more than 2 GiB, larger than any .tflite "
                      "file can hold",
                      TensorLabel(i), ShapeText(t.shape), TensorTypeName(t.type)));
    }
    const std::vector<uint8_t>& data = m_.buffers[t.buffer];
    if (!data.empty() && bytes >= 0 && static_cast<int64_t>(data.size()) != bytes) {
      return Error(
          fmt::format("{} ({} {}) needs {} bytes of constant data, but buffer {} holds "
                      "{}",
                      TensorLabel(i), TensorTypeName(t.type), ShapeText(t.shape), bytes, t.buffer,
                      data.size()));
    }
    if (t.quant) return CheckQuantization(i);
    return Status::Ok();
  }

  Status CheckQuantization(size_t i) const {
    const Tensor& t = m_.tensors[i];
    const Quantization& q = *t.quant;
    if (q.scale.size() != q.zero_point.size()) {
      return Error(
          fmt::format("{}: quantization has {} scales but {} zero points (they must "
                      "pair up)",
                      TensorLabel(i), q.scale.size(), q.zero_point.size()));
    }
    if (q.min.size() != q.max.size()) {
      return Error(fmt::format("{}: quantization has {} min values but {} max values",
                               TensorLabel(i), q.min.size(), q.max.size()));
    }
    if (q.scale.size() > 1) {
      int32_t qd = q.quantized_dimension;
      // TOCO wrote per-channel bias vectors with the weights' channel axis (e.g. 3 for a 1-D
      // bias); TFLite reads them along their only axis, and so does emlkit.
      if (t.shape.size() == 1 && qd != 0 && static_cast<size_t>(t.shape[0]) == q.scale.size()) {
        return Status::Ok();
      }
      if (qd < 0 || qd >= static_cast<int32_t>(t.shape.size())) {
        return Error(fmt::format("{}: quantized_dimension {} is outside its shape {}",
                                 TensorLabel(i), qd, ShapeText(t.shape)));
      }
      if (static_cast<size_t>(t.shape[qd]) != q.scale.size()) {
        return Error(
            fmt::format("{}: {} per-channel scales, but dimension {} of shape {} has {} "
                        "channels",
                        TensorLabel(i), q.scale.size(), qd, ShapeText(t.shape), t.shape[qd]));
      }
    }
    return Status::Ok();
  }

  Status CheckOperator(size_t i) const {
    const Operator& op = m_.operators[i];
    std::string label = fmt::format("operator {} (builtin code {})", i, op.builtin_code);
    if (op.builtin_code < 0) return Error(label + ": negative builtin code");
    if (op.builtin_code == op::kCustom && op.custom_code.empty()) {
      return Error(label + ": a CUSTOM operator without a custom_code name");
    }
    if (op.version < 1) {
      return Error(fmt::format("{}: version {} (versions start at 1)", label, op.version));
    }
    EMLKIT_RETURN_IF_ERROR(CheckIndices(op.inputs, label + " input", true));
    EMLKIT_RETURN_IF_ERROR(CheckIndices(op.outputs, label + " output", false));
    EMLKIT_RETURN_IF_ERROR(CheckIndices(op.intermediates, label + " intermediate", false));
    return Status::Ok();
  }

  Status CheckIndices(const std::vector<int32_t>& list, const std::string& what,
                      bool allow_omitted) const {
    for (size_t k = 0; k < list.size(); ++k) {
      int32_t t = list[k];
      if (t == -1 && allow_omitted) continue;
      if (t < 0 || static_cast<size_t>(t) >= m_.tensors.size()) {
        return Error(fmt::format("{} #{} refers to tensor {}, but the model has {} tensors", what,
                                 k, t, m_.tensors.size()));
      }
    }
    return Status::Ok();
  }

  const Model& m_;
  const std::string& name_;
  StatusCode code_;
};

}  // namespace

Status ValidateModel(const Model& model, const std::string& name, StatusCode code) {
  return Validator(model, name, code).Run();
}

}  // namespace emlkit::tflite
