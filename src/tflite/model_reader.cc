// ReadModel: .tflite bytes -> the host model. The FlatBuffers verifier makes every offset and
// size safe to follow; what it cannot know (indices between tables, data sizes, quantization
// against shapes) ValidateModel checks afterwards.
#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "common/fs.h"
#include "tflite/model.h"
#include "tflite/model_options.h"
#include "tflite/schema/tflite_generated.h"

namespace emlkit::tflite {
namespace {

constexpr uint32_t kSchemaVersion = 3;

static_assert(FLATBUFFERS_LITTLEENDIAN, "the .tflite byte order is the host's");

// Copies a vector of scalars. memcpy rather than element reads: the verifier only checks that a
// vector is 4-byte aligned, so the elements of an int64 vector (zero points) may not be 8-byte
// aligned in a hostile file.
template <typename T>
std::vector<T> ToVector(const flatbuffers::Vector<T>* v) {
  static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>);
  if (v == nullptr) return {};
  std::vector<T> out(v->size());
  if (!out.empty()) std::memcpy(out.data(), v->Data(), out.size() * sizeof(T));
  return out;
}

std::string ToString(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

// "TFL3", or the four bytes found in hex when they are not printable.
std::string IdentifierText(const uint8_t* id) {
  bool printable = true;
  for (int i = 0; i < 4; ++i) printable = printable && id[i] >= 0x20 && id[i] < 0x7f;
  if (printable) return fmt::format("'{}'", std::string(reinterpret_cast<const char*>(id), 4));
  return fmt::format("0x{:02x}{:02x}{:02x}{:02x}", id[0], id[1], id[2], id[3]);
}

class Reader {
 public:
  Reader(const uint8_t* data, size_t size, const std::string& name)
      : data_(data), size_(size), name_(name) {}

  Result<Model> Read() {
    if (size_ < 8) {
      return Corrupt(fmt::format("{} bytes is too short for a .tflite file (truncated?)", size_));
    }
    if (!fb::ModelBufferHasIdentifier(data_)) {
      return Corrupt(
          fmt::format("file identifier is {}, not 'TFL3': this is not a TensorFlow "
                      "Lite model (or its first bytes are damaged)",
                      IdentifierText(data_ + 4)));
    }
    if (size_ >= FLATBUFFERS_MAX_BUFFER_SIZE) {
      return Status::Unsupported(
          fmt::format("{}: {} bytes: emlkit reads .tflite files up to 2 GiB", name_, size_));
    }
    flatbuffers::Verifier verifier(data_, size_);
    if (!fb::VerifyModelBuffer(verifier)) {
      return Corrupt(
          "the FlatBuffers verifier rejected the file: an offset or size points outside it or "
          "a field is malformed (the file is truncated or corrupted; re-export or re-copy it)");
    }
    const fb::Model* fm = fb::GetModel(data_);
    if (fm->version() != kSchemaVersion) {
      return Status::Unsupported(fmt::format(
          "{}: schema version {}; emlkit reads version {} (what TFLite and TFLite Micro write)",
          name_, fm->version(), kSchemaVersion));
    }
    const auto* subgraphs = fm->subgraphs();
    if (subgraphs == nullptr || subgraphs->size() == 0) return Corrupt("the model has no subgraph");
    if (subgraphs->size() > 1) {
      return Status::Unsupported(fmt::format(
          "{}: {} subgraphs (control flow such as IF, WHILE or CALL_ONCE); emlkit handles "
          "single-subgraph models, as used on microcontrollers",
          name_, subgraphs->size()));
    }
    Model m;
    m.version = fm->version();
    m.description = ToString(fm->description());
    EMLKIT_RETURN_IF_ERROR(ReadBuffers(fm, &m));
    const fb::SubGraph* sg = subgraphs->Get(0);
    m.subgraph_name = ToString(sg->name());
    m.inputs = ToVector(sg->inputs());
    m.outputs = ToVector(sg->outputs());
    if (sg->tensors()) {
      for (uint32_t i = 0; i < sg->tensors()->size(); ++i) {
        EMLKIT_ASSIGN_OR_RETURN(Tensor t, ReadTensor(i, sg->tensors()->Get(i)));
        m.tensors.push_back(std::move(t));
      }
    }
    if (sg->operators()) {
      for (uint32_t i = 0; i < sg->operators()->size(); ++i) {
        EMLKIT_ASSIGN_OR_RETURN(Operator op, ReadOperator(fm, i, sg->operators()->Get(i)));
        m.operators.push_back(std::move(op));
      }
    }
    if (fm->metadata()) {
      for (const fb::Metadata* e : *fm->metadata()) {
        m.metadata.push_back({ToString(e->name()), e->buffer()});
      }
    }
    EMLKIT_RETURN_IF_ERROR(ReadSignatures(fm, &m));
    EMLKIT_RETURN_IF_ERROR(ValidateModel(m, name_, StatusCode::kCorruption));
    return m;
  }

 private:
  Status Corrupt(const std::string& what) const {
    return Status::Corruption(fmt::format("{}: {}", name_, what));
  }

  // Data stored outside the FlatBuffer (schema 3c, for models over 2 GiB): `offset` counts from
  // the start of the file and is only meaningful when > 1.
  Status ReadOutside(uint64_t offset, uint64_t size, const std::string& what,
                     std::vector<uint8_t>* out) const {
    if (offset > size_ || size > size_ - offset) {
      return Corrupt(
          fmt::format("{} lies at bytes {}..{}, past the end of the {}-byte file "
                      "(truncated?)",
                      what, offset, offset + size, size_));
    }
    out->assign(data_ + offset, data_ + offset + size);
    return Status::Ok();
  }

  Status ReadBuffers(const fb::Model* fm, Model* m) const {
    m->buffers.clear();
    if (fm->buffers() == nullptr) return Status::Ok();  // ValidateModel names the problem
    for (uint32_t i = 0; i < fm->buffers()->size(); ++i) {
      const fb::Buffer* b = fm->buffers()->Get(i);
      std::vector<uint8_t> bytes;
      if (b->data() != nullptr) {
        bytes = ToVector(b->data());
      } else if (b->offset() > 1) {
        EMLKIT_RETURN_IF_ERROR(
            ReadOutside(b->offset(), b->size(), fmt::format("buffer {}", i), &bytes));
      }
      m->buffers.push_back(std::move(bytes));
    }
    return Status::Ok();
  }

  Result<Tensor> ReadTensor(uint32_t i, const fb::Tensor* ft) const {
    Tensor t;
    t.name = ToString(ft->name());
    t.type = static_cast<TensorType>(ft->type());
    t.shape = ToVector(ft->shape());
    t.buffer = ft->buffer();
    t.is_variable = ft->is_variable();
    t.shape_signature = ToVector(ft->shape_signature());
    t.has_rank = ft->has_rank();
    std::string label = fmt::format("tensor {} '{}'", i, t.name);
    if (ft->sparsity() != nullptr) {
      return Status::Unsupported(
          fmt::format("{}: {} is sparse; emlkit reads dense tensors only (densify the model first)",
                      name_, label));
    }
    if (const fb::QuantizationParameters* q = ft->quantization()) {
      if (q->details_type() != fb::QuantizationDetails::NONE) {
        return Status::Unsupported(fmt::format(
            "{}: {} uses custom quantization; emlkit reads scale / zero-point quantization only",
            name_, label));
      }
      Quantization quant;
      quant.scale = ToVector(q->scale());
      quant.zero_point = ToVector(q->zero_point());
      quant.min = ToVector(q->min());
      quant.max = ToVector(q->max());
      quant.quantized_dimension = q->quantized_dimension();
      // Converters write an empty table for float tensors: that is "not quantized".
      if (!quant.scale.empty() || !quant.zero_point.empty() || !quant.min.empty() ||
          !quant.max.empty()) {
        t.quant = std::move(quant);
      }
    }
    return t;
  }

  Result<Operator> ReadOperator(const fb::Model* fm, uint32_t i, const fb::Operator* fo) const {
    Operator op;
    uint32_t code_count = fm->operator_codes() ? fm->operator_codes()->size() : 0;
    if (fo->opcode_index() >= code_count) {
      return Corrupt(fmt::format("operator {} refers to operator code {}, but the model has {}", i,
                                 fo->opcode_index(), code_count));
    }
    const fb::OperatorCode* code = fm->operator_codes()->Get(fo->opcode_index());
    // Files written before schema 3a only set the byte-sized deprecated_builtin_code; newer ones
    // set both (the byte saturates at 127): the larger of the two is the operator.
    op.builtin_code = std::max<int32_t>(code->deprecated_builtin_code(), code->builtin_code());
    op.custom_code = ToString(code->custom_code());
    op.version = code->version();
    op.inputs = ToVector(fo->inputs());
    op.outputs = ToVector(fo->outputs());
    op.intermediates = ToVector(fo->intermediates());
    if (fo->custom_options() != nullptr) {
      op.custom_options = ToVector(fo->custom_options());
    } else if (fo->large_custom_options_offset() > 1) {
      EMLKIT_RETURN_IF_ERROR(
          ReadOutside(fo->large_custom_options_offset(), fo->large_custom_options_size(),
                      fmt::format("operator {}'s custom options", i), &op.custom_options));
    }
    DecodeOptions(*fo, &op);
    return op;
  }

  Status ReadSignatures(const fb::Model* fm, Model* m) const {
    if (fm->signature_defs() == nullptr) return Status::Ok();
    for (const fb::SignatureDef* sd : *fm->signature_defs()) {
      Model::Signature s;
      s.key = ToString(sd->signature_key());
      if (sd->subgraph_index() != 0) {
        return Corrupt(fmt::format("signature '{}' refers to subgraph {}, but the model has one",
                                   s.key, sd->subgraph_index()));
      }
      auto read_list = [](const auto* list, std::vector<Model::SignatureTensor>* out) {
        if (list == nullptr) return;
        for (const fb::TensorMap* tm : *list) {
          out->push_back({ToString(tm->name()), tm->tensor_index()});
        }
      };
      read_list(sd->inputs(), &s.inputs);
      read_list(sd->outputs(), &s.outputs);
      m->signatures.push_back(std::move(s));
    }
    return Status::Ok();
  }

  const uint8_t* data_;
  size_t size_;
  const std::string& name_;
};

}  // namespace

Result<Model> ReadModel(const uint8_t* data, size_t size, const std::string& name) {
  // FlatBuffers reads scalars in place, so the bytes must be aligned as the writer aligned them
  // (16 at most, for buffers); copy when the caller's pointer is not.
  if (reinterpret_cast<uintptr_t>(data) % 16 != 0) {
    std::vector<uint8_t> copy(data, data + size);  // operator new aligns to 16
    return Reader(copy.data(), copy.size(), name).Read();
  }
  return Reader(data, size, name).Read();
}

Result<Model> ReadModelFile(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return ReadModel(bytes.data(), bytes.size(), path);
}

}  // namespace emlkit::tflite
