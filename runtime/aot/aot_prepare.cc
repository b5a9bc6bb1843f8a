// Compiled with -Demlkit=emlkit_aotgen (see runtime/CMakeLists.txt): the runtime types below
// are the export-time copy of the runtime, not the host's.
#include "aot/aot_prepare.h"

#include <cstring>

#include "aot/eval_names.h"
#include "emlkit/op_list.h"
#include "emlkit/runtime.h"
#include "kernels/arm_dsp/fully_connected_folded.h"
#include "kernels/fully_connected.h"
#include "kernels/softmax.h"
#include "src/model.h"
#include "src/state.h"

namespace emlkit_aot {
namespace {

namespace rt = ::emlkit::rt;

constexpr int32_t kFullyConnected = 9;
constexpr uint32_t kAlign = 16;

std::string OpLabel(int32_t k, int32_t code) {
  return "op " + std::to_string(k) + " (" + rt::BuiltinOpName(code) + ")";
}

std::string InitError(const rt::ErrorInfo& e) {
  std::string s = e.op_index >= 0 ? OpLabel(e.op_index, e.op_code) + ": " : std::string();
  s += e.what != nullptr ? e.what : rt::StatusName(e.status);
  if (e.tensor >= 0) s += " (tensor " + std::to_string(e.tensor) + ")";
  return s;
}

// Packs the constant tensors records point into, each 16-byte aligned, in first-use order.
class WeightsPacker {
 public:
  WeightsPacker(const rt::Model& model, std::vector<uint8_t>* out) : model_(model), out_(out) {}

  // The weights-array offset of model byte `pos`; false when no constant tensor holds it.
  bool Map(uint32_t pos, uint32_t* mapped) {
    for (const Packed& p : packed_) {
      if (pos >= p.model_pos && pos < p.model_pos + p.bytes) {
        *mapped = p.offset + (pos - p.model_pos);
        return true;
      }
    }
    for (int32_t t = 0; t < model_.num_tensors(); ++t) {
      rt::TensorDesc d;
      if (model_.TensorStorage(t, &d, nullptr) != rt::Status::kOk || !d.is_constant()) continue;
      const uint32_t bytes = d.bytes > 0 ? d.bytes : 1;
      if (pos < d.data_pos || pos >= d.data_pos + bytes) continue;
      Packed p{d.data_pos, bytes,
               static_cast<uint32_t>((out_->size() + kAlign - 1) / kAlign * kAlign)};
      out_->resize(p.offset);
      out_->insert(out_->end(), d.data, d.data + d.bytes);
      out_->resize(p.offset + bytes);
      packed_.push_back(p);
      *mapped = p.offset + (pos - p.model_pos);
      return true;
    }
    return false;
  }

 private:
  struct Packed {
    uint32_t model_pos, bytes, offset;
  };
  const rt::Model& model_;
  std::vector<uint8_t>* out_;
  std::vector<Packed> packed_;
};

TensorInfo Describe(const rt::TensorDesc& d) {
  TensorInfo t;
  t.index = d.index;
  t.name.assign(d.name, d.name_len);
  t.type = static_cast<int32_t>(d.type);
  t.type_name = rt::TensorTypeName(d.type);
  t.dims.assign(d.dims, d.dims + d.rank);
  t.bytes = d.bytes;
  t.scale = d.scale;
  t.zero_point = d.zero_point;
  t.num_scales = d.num_scales;
  t.is_constant = d.is_constant();
  t.is_variable = d.is_variable;
  return t;
}

// Appends `bytes` of `data` to a record (8-byte aligned, as the runtime's records are) and
// returns their offset from the record start.
uint32_t AppendToRecord(std::vector<uint8_t>* record, const void* data, uint32_t bytes) {
  const uint32_t at = static_cast<uint32_t>(record->size() + 7) / 8 * 8;
  record->resize((at + bytes + 7) / 8 * 8, 0);
  std::memcpy(record->data() + at, data, bytes);
  reinterpret_cast<rt::RecordHeader*>(record->data())->size = static_cast<uint16_t>(record->size());
  return at;
}

// A constant tensor's bytes in the model, through the record's Ref before linking; null for an
// activation or kNoRef.
const uint8_t* ModelBytes(const uint8_t* model, rt::Ref ref) {
  if (ref == rt::kNoRef || (ref & rt::kModelRefBit) == 0) return nullptr;
  return model + (ref & ~rt::kModelRefBit);
}

// The folded FULLY_CONNECTED (PrepareOptions::arm_dsp): true when `record` (the linked copy;
// `original`, the interpreter's, still points into the model) got its FcFoldedGroup blocks.
bool FoldFullyConnected(const uint8_t* model, const rt::FullyConnectedRecord& original,
                        bool is_float, std::vector<uint8_t>* record) {
  const uint8_t* w = ModelBytes(model, original.weights);
  const uint8_t* b = ModelBytes(model, original.bias);
  if (is_float || w == nullptr || (original.bias != rt::kNoRef && b == nullptr)) return false;
  std::vector<int32_t> bias;
  if (b != nullptr) {
    bias.resize(static_cast<size_t>(original.output_depth));
    std::memcpy(bias.data(), b, bias.size() * 4);
  }
  std::vector<rt::FcFoldedGroup> groups(rt::FoldedBytes(original) / sizeof(rt::FcFoldedGroup));
  if (!rt::FoldFullyConnected(original, reinterpret_cast<const int8_t*>(w),
                              b != nullptr ? bias.data() : nullptr, groups.data())) {
    return false;
  }
  const uint32_t at = AppendToRecord(record, groups.data(), rt::FoldedBytes(original));
  reinterpret_cast<rt::FullyConnectedRecord*>(record->data())->folded = at;
  return true;
}

// The 2-class SOFTMAX table (PrepareOptions::arm_dsp): true when `record` got one.
bool AddSoftmaxPairTable(const rt::RecordHeader& original, std::vector<uint8_t>* record) {
  const auto& r = reinterpret_cast<const rt::SoftmaxRecord&>(original);
  if (original.eval.fn != &rt::EvalSoftmaxInt8 || r.depth != 2) return false;
  rt::SoftmaxPairTable table;
  const uint32_t bytes = rt::BuildSoftmaxPairTable(r, &table);
  const uint32_t at = AppendToRecord(record, &table, bytes);
  reinterpret_cast<rt::SoftmaxRecord*>(record->data())->pair_table = at;
  return true;
}

}  // namespace

bool Prepare(const uint8_t* model_data, size_t size, const PrepareOptions& options, Prepared* out,
             std::string* error) {
  *out = Prepared();
  rt::Model model;
  rt::ErrorInfo err;
  if (model.Open(model_data, size, &err) != rt::Status::kOk) {
    *error = InitError(err);
    return false;
  }
  std::vector<uint8_t> arena(size_t{1} << 20);
  rt::Interpreter interp;
  rt::Status s = interp.Init(model_data, size, arena.data(), arena.size());
  if (s == rt::Status::kArenaTooSmall && interp.error().needed > 0) {
    arena.resize(interp.error().needed + 2 * kAlign);
    s = interp.Init(model_data, size, arena.data(), arena.size());
  }
  if (s != rt::Status::kOk) {
    *error = InitError(interp.error());
    return false;
  }
  const uintptr_t raw = reinterpret_cast<uintptr_t>(arena.data());
  const rt::State* st =
      reinterpret_cast<const rt::State*>((raw + kAlign - 1) & ~uintptr_t{kAlign - 1});
  const rt::Ref* table = st->table();

  // The generated arena starts at the first variable tensor (or the planned buffers).
  uint32_t start = st->transient_base;
  for (uint32_t t = 0; t < st->num_tensors; ++t) {
    rt::TensorDesc d;
    if (model.TensorStorage(static_cast<int32_t>(t), &d, nullptr) == rt::Status::kOk &&
        d.is_variable && !d.is_constant() && table[t] < start) {
      start = table[t];
    }
  }
  start &= ~(kAlign - 1);
  out->arena_bytes = st->arena_bytes - start;

  for (int32_t t = 0; t < model.num_tensors(); ++t) {
    rt::TensorDesc d;
    if (model.Tensor(t, &d, &err) != rt::Status::kOk) {
      *error = InitError(err);
      return false;
    }
    TensorInfo info = Describe(d);
    const rt::Ref e = table[t];
    if (!d.is_constant() && e != rt::kUnreferenced && (e & rt::kModelRefBit) == 0 && e >= start) {
      info.arena_offset = e - start;
    }
    if (info.is_variable && info.arena_offset >= 0) {
      const int32_t fill = d.type == rt::TensorType::kInt8 ? static_cast<int8_t>(d.zero_point) : 0;
      out->variables.push_back({static_cast<uint32_t>(info.arena_offset), d.bytes, fill});
    }
    out->tensors.push_back(std::move(info));
  }
  for (int32_t i = 0; i < model.num_inputs(); ++i) out->inputs.push_back(model.Input(i));
  for (int32_t i = 0; i < model.num_outputs(); ++i) out->outputs.push_back(model.Output(i));

  WeightsPacker weights(model, &out->weights);
  const uint8_t* rec = st->base() + st->records;
  for (int32_t k = 0; k < model.num_ops(); ++k) {
    const auto* h = reinterpret_cast<const rt::RecordHeader*>(rec);
    rt::OpDesc op;
    if (model.Op(k, &op, &err) != rt::Status::kOk) {
      *error = InitError(err);
      return false;
    }
    OpInfo info;
    info.index = k;
    info.code = op.code;
    info.op_name = rt::BuiltinOpName(op.code);
    for (int32_t i = 0; i < op.num_inputs(); ++i) info.inputs.push_back(op.Input(i));
    for (int32_t i = 0; i < op.num_outputs(); ++i) info.outputs.push_back(op.Output(i));
    info.record.assign(rec, rec + h->size);
    auto* copy = reinterpret_cast<rt::RecordHeader*>(info.record.data());
    copy->eval.slot = 0;
    auto* refs = reinterpret_cast<rt::Ref*>(copy + 1);
    for (int i = 0; i < h->num_refs; ++i) {
      const rt::Ref r = refs[i];
      if (r == rt::kNoRef) continue;
      if ((r & rt::kModelRefBit) != 0) {
        uint32_t mapped = 0;
        if (!weights.Map(r & ~rt::kModelRefBit, &mapped)) {
          *error = OpLabel(k, op.code) + ": reads model bytes outside any constant tensor";
          return false;
        }
        refs[i] = rt::kModelRefBit | mapped;
      } else if (r < start) {
        *error = OpLabel(k, op.code) + ": refers to interpreter bookkeeping (emlkit bug)";
        return false;
      } else {
        refs[i] = r - start;
      }
    }
    if (op.code == kFullyConnected) {
      auto* fc = reinterpret_cast<rt::FullyConnectedRecord*>(copy);
      const int32_t w = op.Input(1);
      // Readable bytes past the weights' start: in the weights array, the tensor itself.
      if (w >= 0 && out->tensors[w].is_constant) {
        fc->weights_readable = static_cast<int32_t>(out->tensors[w].bytes);
      }
      info.fully_connected_float = out->tensors[op.Input(0)].type == 0;
      info.header = "kernels/fully_connected.h";
      info.source = "kernels/reference/fully_connected.cc";
      if (options.arm_dsp &&
          FoldFullyConnected(model_data, *reinterpret_cast<const rt::FullyConnectedRecord*>(h),
                             info.fully_connected_float, &info.record)) {
        info.eval = "FullyConnectedFoldedEval";
      } else {
        info.select_fully_connected = true;
      }
    } else if (options.arm_dsp && AddSoftmaxPairTable(*h, &info.record)) {
      info.eval = "EvalSoftmaxInt8Pair";
      info.header = "kernels/softmax.h";
      info.source = "kernels/reference/softmax.cc";
    } else {
      const rt::EvalName* name = rt::FindEvalName(h->eval.fn);
      if (name == nullptr) {
        *error = OpLabel(k, op.code) + ": no ahead-of-time code for this operator's kernel";
        return false;
      }
      info.eval = name->name;
      info.header = name->header;
      info.source = name->source;
    }
    out->ops.push_back(std::move(info));
    rec += h->size;
  }
  return true;
}

}  // namespace emlkit_aot
