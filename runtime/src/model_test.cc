// The .tflite reader against bad input: truncated files, flipped bits, a wrong identifier,
// tensors pointing past their buffers, negative or huge shapes, operator indices out of range,
// unsupported operators and versions. Every case must give a status naming what is wrong (and
// the tensor / operator), never a crash or an out-of-bounds read (the sanitizer build runs these).
#include <gtest/gtest.h>

#include <memory>

#include "testing/model_builder.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

constexpr uint8_t kFullyConnectedOptions = 8;

// A valid little model: FULLY_CONNECTED (constant weights and bias) then RELU.
std::vector<uint8_t> ValidModel() {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {1, 3});
  const int w = m.AddConstant(TensorType::kFloat32, {2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6});
  const int b = m.AddConstant(TensorType::kFloat32, {2}, std::vector<float>{0.5f, -100});
  const int h = m.AddTensor(TensorType::kFloat32, {1, 2});
  const int y = m.AddTensor(TensorType::kFloat32, {1, 2});
  m.AddOp(kFullyConnected, {x, w, b}, {h}, Options(kFullyConnectedOptions));
  m.AddOp(kRelu, {h}, {y});
  m.SetIo({x}, {y});
  return m.Build();
}

// Init (and Invoke when Init succeeds) on arbitrary bytes; returns Init's status.
Status InitAndInvoke(const std::vector<uint8_t>& bytes) {
  constexpr size_t kArena = 8192;
  auto arena = std::make_unique<uint64_t[]>(kArena / 8);
  Interpreter interp;
  const Status s = interp.Init(bytes.data(), bytes.size(), arena.get(), kArena);
  if (s == Status::kOk) {
    EXPECT_EQ(interp.Invoke(), Status::kOk);
  } else {
    EXPECT_NE(interp.error().what, nullptr);
    EXPECT_GT(strlen(interp.error().what), 0u);
    EXPECT_EQ(interp.error().status, s);
  }
  return s;
}

TEST(ModelReader, ValidModelRuns) {
  EXPECT_EQ(RunModel1<float>(ValidModel(), std::vector<float>{1, 0, -1}),
            (std::vector<float>{0, 0}));  // 1 - 3 + 0.5 = -1.5 and 4 - 6 - 100: both clamped
  EXPECT_EQ(RunModel1<float>(ValidModel(), std::vector<float>{1, 1, 1}),
            (std::vector<float>{6.5f, 0}));
}

TEST(ModelReader, EveryTruncationFails) {
  // Only the alignment padding at the very end (after the last buffer's data) may be cut.
  const std::vector<uint8_t> full = ValidModel();
  for (size_t n = 0; n < full.size(); ++n) {
    const std::vector<uint8_t> part(full.begin(), full.begin() + static_cast<ptrdiff_t>(n));
    const Status s = InitAndInvoke(part);
    if (n + 16 <= full.size()) {
      EXPECT_NE(s, Status::kOk) << "truncated to " << n << " bytes";
    }
  }
}

TEST(ModelReader, FlippedBitsNeverCrash) {
  // Every bit of the model flipped in turn: either a clear error or a model that still runs.
  const std::vector<uint8_t> full = ValidModel();
  int failures = 0;
  for (size_t i = 0; i < full.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> bad = full;
      bad[i] ^= static_cast<uint8_t>(1u << bit);
      failures += InitAndInvoke(bad) != Status::kOk ? 1 : 0;
    }
  }
  EXPECT_GT(failures, 0);
}

TEST(ModelReader, WrongIdentifier) {
  std::vector<uint8_t> bad = ValidModel();
  bad[7] = '4';  // "TFL4"
  const InitResult r = TryInit(bad);
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.what, "wrong file identifier (expected \"TFL3\" at byte 4): not a .tflite model");
}

TEST(ModelReader, UnsupportedSchemaVersion) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {2});
  const int y = m.AddTensor(TensorType::kFloat32, {2});
  m.AddOp(kRelu, {x}, {y});
  m.SetIo({x}, {y});
  m.set_schema_version(2);
  const InitResult r = TryInit(m.Build());
  EXPECT_EQ(r.status, Status::kUnsupported);
  EXPECT_EQ(r.what, "unsupported schema version");
}

TEST(ModelReader, TensorPointingPastTheBufferList) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {1, 2});
  const int w = m.AddTensorWithBuffer(TensorType::kFloat32, {2, 2}, 99);
  const int y = m.AddTensor(TensorType::kFloat32, {1, 2});
  m.AddOp(kFullyConnected, {x, w, -1}, {y});
  m.SetIo({x}, {y});
  const InitResult r = TryInit(m.Build());
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.what, "tensor points past the buffer list");
  EXPECT_EQ(r.tensor, w);
}

TEST(ModelReader, BufferSmallerThanTheTensor) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {1, 2});
  const int buf = m.AddBuffer(std::vector<uint8_t>(12, 0));  // 3 floats for a [2, 2] tensor
  const int w = m.AddTensorWithBuffer(TensorType::kFloat32, {2, 2}, buf);
  const int y = m.AddTensor(TensorType::kFloat32, {1, 2});
  m.AddOp(kFullyConnected, {x, w, -1}, {y});
  m.SetIo({x}, {y});
  const InitResult r = TryInit(m.Build());
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.what, "buffer size does not match the tensor shape");
  EXPECT_EQ(r.tensor, w);
}

TEST(ModelReader, NegativeAndHugeShapes) {
  for (const auto& shape : {std::vector<int32_t>{-1, 4}, std::vector<int32_t>{1 << 30, 1 << 30},
                            std::vector<int32_t>{65536, 65536, 4}}) {
    ModelBuilder m;
    const int x = m.AddTensor(TensorType::kFloat32, shape);
    const int y = m.AddTensor(TensorType::kFloat32, shape);
    m.AddOp(kRelu, {x}, {y});
    m.SetIo({x}, {y});
    const InitResult r = TryInit(m.Build());
    EXPECT_EQ(r.status, Status::kCorruptModel) << shape[0];
    EXPECT_EQ(r.what, shape[0] < 0 ? "negative tensor dimension" : "tensor shape too large");
    EXPECT_EQ(r.tensor, x);
  }
}

TEST(ModelReader, OperatorInputOutOfRange) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {2});
  const int y = m.AddTensor(TensorType::kFloat32, {2});
  m.AddOp(kRelu, {x}, {y});
  m.AddOp(kRelu, {57}, {x});
  m.SetIo({x}, {y});
  const InitResult r = TryInit(m.Build());
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.op_index, 1);
}

TEST(ModelReader, UnsupportedOperatorIsNamed) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {2});
  const int y = m.AddTensor(TensorType::kFloat32, {2});
  const int z = m.AddTensor(TensorType::kFloat32, {2});
  m.AddOp(kRelu, {x}, {y});
  m.AddOp(kUnidirectionalSequenceLstm, {y}, {z});
  m.SetIo({x}, {z});
  constexpr size_t kArena = 8192;
  auto arena = std::make_unique<uint64_t[]>(kArena / 8);
  const std::vector<uint8_t> bytes = m.Build();
  Interpreter interp;
  EXPECT_EQ(interp.Init(bytes.data(), bytes.size(), arena.get(), kArena), Status::kUnsupported);
  EXPECT_STREQ(interp.error().what, "operator not supported by emlkit");
  EXPECT_EQ(interp.error().op_index, 1);
  EXPECT_EQ(interp.error().op_code, kUnidirectionalSequenceLstm);
  EXPECT_STREQ(BuiltinOpName(interp.error().op_code), "UNIDIRECTIONAL_SEQUENCE_LSTM");
  EXPECT_FALSE(IsSupportedOp(kUnidirectionalSequenceLstm));
}

TEST(ModelReader, NewerOperatorVersionIsRefused) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {2});
  const int y = m.AddTensor(TensorType::kFloat32, {2});
  m.AddOp(kRelu, {x}, {y}, {}, /*version=*/99);
  m.SetIo({x}, {y});
  constexpr size_t kArena = 8192;
  auto arena = std::make_unique<uint64_t[]>(kArena / 8);
  const std::vector<uint8_t> bytes = m.Build();
  Interpreter interp;
  EXPECT_EQ(interp.Init(bytes.data(), bytes.size(), arena.get(), kArena), Status::kUnsupported);
  EXPECT_STREQ(interp.error().what, "operator version not supported by emlkit");
  EXPECT_EQ(interp.error().got, 99);
  int32_t max_version = 0;
  EXPECT_TRUE(IsSupportedOp(kRelu, &max_version));
  EXPECT_EQ(interp.error().expected, max_version);
}

TEST(ModelReader, GraphErrors) {
  {  // reads a tensor nothing writes
    ModelBuilder m;
    const int x = m.AddTensor(TensorType::kFloat32, {2});
    const int orphan = m.AddTensor(TensorType::kFloat32, {2});
    const int y = m.AddTensor(TensorType::kFloat32, {2});
    m.AddOp(kAdd, {x, orphan}, {y});
    m.SetIo({x}, {y});
    const InitResult r = TryInit(m.Build());
    EXPECT_EQ(r.what, "operator reads a tensor that no earlier operator writes");
    EXPECT_EQ(r.tensor, orphan);
  }
  {  // two writers of one tensor
    ModelBuilder m;
    const int x = m.AddTensor(TensorType::kFloat32, {2});
    const int y = m.AddTensor(TensorType::kFloat32, {2});
    m.AddOp(kRelu, {x}, {y});
    m.AddOp(kRelu6, {x}, {y});
    m.SetIo({x}, {y});
    const InitResult r = TryInit(m.Build());
    EXPECT_EQ(r.what, "tensor is written by two operators (or is a model input)");
    EXPECT_EQ(r.op_index, 1);
  }
  {  // an output nobody writes
    ModelBuilder m;
    const int x = m.AddTensor(TensorType::kFloat32, {2});
    const int y = m.AddTensor(TensorType::kFloat32, {2});
    const int never = m.AddTensor(TensorType::kFloat32, {2});
    m.AddOp(kRelu, {x}, {y});
    m.SetIo({x}, {y, never});
    const InitResult r = TryInit(m.Build());
    EXPECT_EQ(r.what, "model output is never written by any operator");
    EXPECT_EQ(r.tensor, never);
  }
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
