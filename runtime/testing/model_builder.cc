#include "testing/model_builder.h"

#include <flatbuffers/flatbuffers.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <utility>

namespace emlkit::rt::test {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using flatbuffers::uoffset_t;
using Table = Offset<flatbuffers::Table>;

constexpr flatbuffers::voffset_t Field(int id) {
  return static_cast<flatbuffers::voffset_t>(4 + 2 * id);
}

Table OptionsTable(FlatBufferBuilder& b, const Options& o) {
  std::vector<std::pair<int, Offset<flatbuffers::Vector<int32_t>>>> vectors;
  for (const auto& f : o.fields) {
    if (f.size == 0) vectors.emplace_back(f.id, b.CreateVector(f.vec));
  }
  const uoffset_t start = b.StartTable();
  for (const auto& f : o.fields) {
    if (f.size == 1) b.AddElement<uint8_t>(Field(f.id), static_cast<uint8_t>(f.bits), 0);
    if (f.size == 2) b.AddElement<uint16_t>(Field(f.id), static_cast<uint16_t>(f.bits), 0);
    if (f.size == 4) b.AddElement<uint32_t>(Field(f.id), f.bits, 0);
  }
  for (const auto& [id, v] : vectors) b.AddOffset(Field(id), v);
  return Table(b.EndTable(start));
}

// A 16-byte aligned arena of `size` bytes.
struct Arena {
  explicit Arena(size_t size) : storage(size + 16) {}
  uint8_t* data() {
    const auto p = reinterpret_cast<uintptr_t>(storage.data());
    return storage.data() + ((16 - p % 16) % 16);
  }
  std::vector<uint8_t> storage;
};

}  // namespace

int ModelBuilder::AddTensor(TensorType type, std::vector<int32_t> shape, Quant q, bool variable) {
  tensors_.push_back({type, std::move(shape), std::move(q), 0, variable});
  return static_cast<int>(tensors_.size()) - 1;
}

int ModelBuilder::AddConstant(TensorType type, std::vector<int32_t> shape, const void* data,
                              size_t bytes, Quant q) {
  const auto* p = static_cast<const uint8_t*>(data);
  buffers_.emplace_back(p, p + bytes);
  tensors_.push_back(
      {type, std::move(shape), std::move(q), static_cast<int>(buffers_.size()) - 1, false});
  return static_cast<int>(tensors_.size()) - 1;
}

void ModelBuilder::AddOp(int32_t builtin_code, std::vector<int32_t> inputs,
                         std::vector<int32_t> outputs, Options options, int32_t version) {
  ops_.push_back(
      {builtin_code, version, std::move(inputs), std::move(outputs), std::move(options)});
}

int ModelBuilder::AddBuffer(std::vector<uint8_t> data) {
  buffers_.push_back(std::move(data));
  return static_cast<int>(buffers_.size()) - 1;
}

int ModelBuilder::AddTensorWithBuffer(TensorType type, std::vector<int32_t> shape, int buffer) {
  tensors_.push_back({type, std::move(shape), {}, buffer, false});
  return static_cast<int>(tensors_.size()) - 1;
}

void ModelBuilder::SetIo(std::vector<int32_t> inputs, std::vector<int32_t> outputs) {
  inputs_ = std::move(inputs);
  outputs_ = std::move(outputs);
}

std::vector<uint8_t> ModelBuilder::Build() const {
  FlatBufferBuilder b(4096);

  std::vector<Table> buffers;
  for (const auto& data : buffers_) {
    Offset<flatbuffers::Vector<uint8_t>> d;
    if (!data.empty()) {
      b.ForceVectorAlignment(data.size(), 1, 16);
      d = b.CreateVector(data);
    }
    const uoffset_t start = b.StartTable();
    if (!data.empty()) b.AddOffset(Field(0), d);
    buffers.push_back(Table(b.EndTable(start)));
  }

  std::vector<Table> tensors;
  for (size_t i = 0; i < tensors_.size(); ++i) {
    const TensorSpec& t = tensors_[i];
    const auto shape = b.CreateVector(t.shape);
    const auto name = b.CreateString("t" + std::to_string(i));
    Table quant;
    const bool quantized = !t.quant.scales.empty();
    if (quantized) {
      const auto scales = b.CreateVector(t.quant.scales);
      const auto zps = b.CreateVector(t.quant.zero_points);
      const uoffset_t start = b.StartTable();
      b.AddOffset(Field(2), scales);
      b.AddOffset(Field(3), zps);
      b.AddElement<int32_t>(Field(6), t.quant.quantized_dimension, 0);
      quant = Table(b.EndTable(start));
    }
    const uoffset_t start = b.StartTable();
    b.AddOffset(Field(0), shape);
    b.AddElement<int8_t>(Field(1), static_cast<int8_t>(t.type), -1);
    b.AddElement<uint32_t>(Field(2), static_cast<uint32_t>(t.buffer), 0);
    b.AddOffset(Field(3), name);
    if (quantized) b.AddOffset(Field(4), quant);
    if (t.variable) b.AddElement<uint8_t>(Field(5), 1, 0);
    tensors.push_back(Table(b.EndTable(start)));
  }

  std::map<std::pair<int32_t, int32_t>, uint32_t> code_index;
  std::vector<Table> codes;
  std::vector<Table> ops;
  for (const OpSpec& op : ops_) {
    const auto key = std::make_pair(op.code, op.version);
    if (code_index.count(key) == 0) {
      code_index[key] = static_cast<uint32_t>(codes.size());
      const uoffset_t start = b.StartTable();
      b.AddElement<int8_t>(Field(0), static_cast<int8_t>(op.code < 127 ? op.code : 127), -1);
      b.AddElement<int32_t>(Field(2), op.version, 0);
      b.AddElement<int32_t>(Field(3), op.code, -1);
      codes.push_back(Table(b.EndTable(start)));
    }
  }
  for (const OpSpec& op : ops_) {
    const auto inputs = b.CreateVector(op.inputs);
    const auto outputs = b.CreateVector(op.outputs);
    Table options;
    if (op.options.type != 0) {
      b.ForceDefaults(true);  // options fields exactly as given, even when equal to a default
      options = OptionsTable(b, op.options);
      b.ForceDefaults(false);
    }
    const uoffset_t start = b.StartTable();
    b.AddElement<uint32_t>(Field(0), code_index[{op.code, op.version}], 0xFFFFFFFFu);
    b.AddOffset(Field(1), inputs);
    b.AddOffset(Field(2), outputs);
    if (op.options.type != 0) {
      b.AddElement<uint8_t>(Field(3), op.options.type, 0);
      b.AddOffset(Field(4), options);
    }
    ops.push_back(Table(b.EndTable(start)));
  }

  const auto tensor_vec = b.CreateVector(tensors);
  const auto in_vec = b.CreateVector(inputs_);
  const auto out_vec = b.CreateVector(outputs_);
  const auto op_vec = b.CreateVector(ops);
  const auto sg_name = b.CreateString("main");
  uoffset_t start = b.StartTable();
  b.AddOffset(Field(0), tensor_vec);
  b.AddOffset(Field(1), in_vec);
  b.AddOffset(Field(2), out_vec);
  b.AddOffset(Field(3), op_vec);
  b.AddOffset(Field(4), sg_name);
  const Table subgraph(b.EndTable(start));

  const auto codes_vec = b.CreateVector(codes);
  const auto subgraphs = b.CreateVector(std::vector<Table>{subgraph});
  const auto description = b.CreateString("emlkit runtime test");
  const auto buffers_vec = b.CreateVector(buffers);
  start = b.StartTable();
  b.AddElement<uint32_t>(Field(0), version_, 0xFFFFFFFFu);
  b.AddOffset(Field(1), codes_vec);
  b.AddOffset(Field(2), subgraphs);
  b.AddOffset(Field(3), description);
  b.AddOffset(Field(4), buffers_vec);
  b.Finish(Table(b.EndTable(start)), "TFL3");
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

std::vector<std::vector<uint8_t>> RunModel(const std::vector<uint8_t>& model,
                                           const std::vector<std::vector<uint8_t>>& inputs) {
  // Sized the way a user would: a big arena first, then exactly arena_bytes() (which must work).
  size_t size = 0;
  {
    Arena big(1 << 20);
    Interpreter probe;
    const Status s = probe.Init(model.data(), model.size(), big.data(), 1 << 20);
    if (s != Status::kOk) {
      ADD_FAILURE() << "Init failed: " << StatusName(s) << ": " << probe.error().what << " (op "
                    << probe.error().op_index << ", tensor " << probe.error().tensor << ")";
      return {};
    }
    size = probe.arena_bytes();
  }
  Arena arena(size);
  Interpreter interp;
  const Status s = interp.Init(model.data(), model.size(), arena.data(), size);
  if (s != Status::kOk) {
    ADD_FAILURE() << "Init with exactly arena_bytes() = " << size << " failed: " << StatusName(s);
    return {};
  }
  if (interp.num_inputs() != static_cast<int32_t>(inputs.size())) {
    ADD_FAILURE() << "model has " << interp.num_inputs() << " inputs, test gave " << inputs.size();
    return {};
  }
  for (int32_t i = 0; i < interp.num_inputs(); ++i) {
    TensorView t;
    EXPECT_EQ(interp.Input(i, &t), Status::kOk);
    if (t.bytes != inputs[i].size()) {
      ADD_FAILURE() << "input " << i << " has " << t.bytes << " bytes, test gave "
                    << inputs[i].size();
      return {};
    }
    if (t.bytes > 0) memcpy(t.data, inputs[i].data(), t.bytes);
  }
  if (interp.Invoke() != Status::kOk) {
    ADD_FAILURE() << "Invoke failed";
    return {};
  }
  std::vector<std::vector<uint8_t>> out;
  for (int32_t i = 0; i < interp.num_outputs(); ++i) {
    TensorView t;
    EXPECT_EQ(interp.Output(i, &t), Status::kOk);
    const auto* p = static_cast<const uint8_t*>(t.data);
    out.emplace_back(p, p + t.bytes);
  }
  return out;
}

InitResult TryInit(const std::vector<uint8_t>& model, size_t arena_size) {
  Arena arena(arena_size);
  Interpreter interp;
  const Status s = interp.Init(model.data(), model.size(), arena.data(), arena_size);
  const ErrorInfo& e = interp.error();
  return {s, s == Status::kOk ? "" : e.what, e.op_index, e.tensor};
}

}  // namespace emlkit::rt::test
