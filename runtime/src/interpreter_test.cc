// The interpreter's contract: arena sizing (exactly arena_bytes() works, one byte less fails and
// says how much is needed, unaligned arenas), the planner (no live tensor is ever overwritten;
// in-place chains reuse one buffer), op hooks, and misuse of the API.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "testing/model_builder.h"
#include "testing/plan_check.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

constexpr uint8_t kConcatenationOptions = 10;

// x -> RELU -> a; x -> TANH -> b; ADD(a, b) -> c; CONCATENATION(a, c) -> d; RELU6(d) -> y.
// a stays alive across two operators while other buffers come and go.
std::vector<uint8_t> BranchingModel() {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {1, 64});
  const int a = m.AddTensor(TensorType::kFloat32, {1, 64});
  const int b = m.AddTensor(TensorType::kFloat32, {1, 64});
  const int c = m.AddTensor(TensorType::kFloat32, {1, 64});
  const int d = m.AddTensor(TensorType::kFloat32, {1, 128});
  const int y = m.AddTensor(TensorType::kFloat32, {1, 128});
  m.AddOp(kRelu, {x}, {a});
  m.AddOp(kTanh, {x}, {b});
  m.AddOp(kAdd, {a, b}, {c});
  m.AddOp(kConcatenation, {a, c}, {d}, Options(kConcatenationOptions).I32(0, 1));
  m.AddOp(kRelu6, {d}, {y});
  m.SetIo({x}, {y});
  return m.Build();
}

struct AlignedArena {
  explicit AlignedArena(size_t size) : storage(std::make_unique<uint64_t[]>(size / 8 + 4)) {}
  uint8_t* data() { return reinterpret_cast<uint8_t*>(storage.get()); }
  std::unique_ptr<uint64_t[]> storage;
};

size_t ArenaBytes(const std::vector<uint8_t>& model) {
  AlignedArena big(1 << 20);
  Interpreter interp;
  EXPECT_EQ(interp.Init(model.data(), model.size(), big.data(), 1 << 20), Status::kOk);
  return interp.arena_bytes();
}

TEST(Interpreter, ExactArenaWorksOneByteLessDoesNot) {
  const std::vector<uint8_t> model = BranchingModel();
  const size_t need = ArenaBytes(model);
  ASSERT_GT(need, 0u);
  AlignedArena arena(need + 64);
  Interpreter exact;
  EXPECT_EQ(exact.Init(model.data(), model.size(), arena.data(), need), Status::kOk);
  EXPECT_EQ(exact.arena_bytes(), need);
  Interpreter less;
  EXPECT_EQ(less.Init(model.data(), model.size(), arena.data(), need - 1), Status::kArenaTooSmall);
  EXPECT_GE(less.error().needed, need - 1 + 1) << "needed must say how much would be enough";
  // An unaligned arena works with 15 bytes more.
  Interpreter unaligned;
  EXPECT_EQ(unaligned.Init(model.data(), model.size(), arena.data() + 1, need + 15), Status::kOk);
}

TEST(Interpreter, PlannerNeverOverwritesALiveTensor) {
  const std::vector<uint8_t> model = BranchingModel();
  const size_t need = ArenaBytes(model);
  AlignedArena arena(need);
  Interpreter interp;
  ASSERT_EQ(interp.Init(model.data(), model.size(), arena.data(), need), Status::kOk);
  TensorView in;
  ASSERT_EQ(interp.Input(0, &in), Status::kOk);
  auto* x = static_cast<float*>(in.data);
  for (int i = 0; i < 64; ++i) x[i] = 0.25f * static_cast<float>(i - 32);
  PlanCheck check(&interp);
  EXPECT_EQ(check.InvokeAndCheck(), "");
  EXPECT_EQ(check.checks(), 3);  // x after op 0; a after ops 1 and 2
  // And the result is right: y = relu6(concat(relu(x), relu(x) + tanh(x))).
  TensorView out;
  ASSERT_EQ(interp.Output(0, &out), Status::kOk);
  const auto* y = static_cast<const float*>(out.data);
  for (int i = 0; i < 64; ++i) {
    const float v = 0.25f * static_cast<float>(i - 32);
    const float a = v > 0 ? v : 0;
    const float c = a + std::tanh(v);
    EXPECT_EQ(y[i], a > 6 ? 6 : a) << i;
    EXPECT_NEAR(y[64 + i], c < 0 ? 0 : (c > 6 ? 6 : c), 1e-6) << i;
  }
}

TEST(Interpreter, InPlaceChainUsesOneBuffer) {
  // Four same-size element-wise operators in a row: each may write over its input, so the
  // activations need a single 1 KiB buffer.
  ModelBuilder m;
  int t = m.AddTensor(TensorType::kFloat32, {256});
  const int x = t;
  for (const int32_t code : {kRelu, kTanh, kLogistic, kRelu6}) {
    const int next = m.AddTensor(TensorType::kFloat32, {256});
    m.AddOp(code, {t}, {next});
    t = next;
  }
  m.SetIo({x}, {t});
  const std::vector<uint8_t> model = m.Build();
  AlignedArena arena(1 << 16);
  Interpreter interp;
  ASSERT_EQ(interp.Init(model.data(), model.size(), arena.data(), 1 << 16), Status::kOk);
  EXPECT_EQ(interp.arena_bytes() - interp.persistent_bytes(), 1024u);
}

TEST(Interpreter, OpHookSeesEveryOperatorInOrder) {
  const std::vector<uint8_t> model = BranchingModel();
  AlignedArena arena(1 << 16);
  Interpreter interp;
  ASSERT_EQ(interp.Init(model.data(), model.size(), arena.data(), 1 << 16), Status::kOk);
  std::vector<int32_t> calls;
  interp.SetOpHook(
      [](void* user, int32_t op, int32_t after) {
        static_cast<std::vector<int32_t>*>(user)->push_back(op * 2 + after);
      },
      &calls);
  ASSERT_EQ(interp.Invoke(), Status::kOk);
  EXPECT_EQ(calls, (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  OpView op;
  ASSERT_EQ(interp.Op(3, &op), Status::kOk);
  EXPECT_EQ(op.builtin_code, kConcatenation);
  EXPECT_EQ(op.num_inputs, 2);
  EXPECT_EQ(interp.OpInput(3, 1), 3);
  EXPECT_EQ(interp.OpOutput(3, 0), 4);
}

TEST(Interpreter, MisuseGivesClearStatuses) {
  Interpreter fresh;
  EXPECT_EQ(fresh.Invoke(), Status::kNotReady);
  TensorView v;
  EXPECT_EQ(fresh.Input(0, &v), Status::kNotReady);

  const std::vector<uint8_t> model = BranchingModel();
  EXPECT_EQ(fresh.Init(model.data(), model.size(), nullptr, 4096), Status::kInvalidArgument);
  EXPECT_EQ(fresh.Init(nullptr, 100, v.data, 4096), Status::kInvalidArgument);

  AlignedArena arena(1 << 16);
  Interpreter interp;
  ASSERT_EQ(interp.Init(model.data(), model.size(), arena.data(), 1 << 16), Status::kOk);
  EXPECT_EQ(interp.Input(1, &v), Status::kInvalidArgument);
  EXPECT_EQ(interp.Output(-1, &v), Status::kInvalidArgument);
  EXPECT_EQ(interp.Tensor(99, &v), Status::kInvalidArgument);
  EXPECT_EQ(interp.Input(0, &v), Status::kOk);
  EXPECT_EQ(v.bytes, 256u);
  EXPECT_EQ(v.rank, 2);
  EXPECT_EQ(v.dims[1], 64);
}

TEST(Interpreter, DescribeModelTensorNeedsNoArena) {
  const std::vector<uint8_t> model = BranchingModel();
  TensorView v;
  ASSERT_EQ(DescribeModelTensor(model.data(), model.size(), 4, &v), Status::kOk);
  EXPECT_EQ(v.type, TensorType::kFloat32);
  EXPECT_EQ(v.rank, 2);
  EXPECT_EQ(v.dims[1], 128);
  EXPECT_EQ(std::string(v.name, v.name_len), "t4");
  EXPECT_EQ(DescribeModelTensor(model.data(), model.size(), 6, &v), Status::kCorruptModel);
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
