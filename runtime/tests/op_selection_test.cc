// Build-time op selection (runtime/src/registry.cc): this test links a registry compiled with
// EMLKIT_OPS_HEADER=tests/op_selection.h (FULLY_CONNECTED and SOFTMAX only) instead of the
// library's, as a firmware build for one model would. Selected ops run; every other op is refused
// at Init with kUnsupported naming the operator, and the host's IsSupportedOp agrees.
#include <gtest/gtest.h>

#include <memory>

#include "emlkit/op_list.h"
#include "testing/model_builder.h"

namespace emlkit::rt::test {
namespace {

std::vector<uint8_t> OneOpModel(int32_t code) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {1, 4});
  const int y = m.AddTensor(TensorType::kFloat32, {1, 4});
  m.AddOp(code, {x}, {y});
  m.SetIo({x}, {y});
  return m.Build();
}

TEST(OpSelection, SelectedOpsRun) {
  const std::vector<uint8_t> model = OneOpModel(kSoftmax);
  alignas(16) static uint8_t arena[4096];
  Interpreter interp;
  ASSERT_EQ(interp.Init(model.data(), model.size(), arena, sizeof(arena)), Status::kOk);
  TensorView in, out;
  ASSERT_EQ(interp.Input(0, &in), Status::kOk);
  const float values[4] = {1.0f, 1.0f, 1.0f, 1.0f};
  memcpy(in.data, values, sizeof(values));
  ASSERT_EQ(interp.Invoke(), Status::kOk);
  ASSERT_EQ(interp.Output(0, &out), Status::kOk);
  EXPECT_FLOAT_EQ(static_cast<const float*>(out.data)[2], 0.25f);
  EXPECT_TRUE(IsSupportedOp(kFullyConnected));
  EXPECT_TRUE(IsSupportedOp(kSoftmax));
}

TEST(OpSelection, OtherOpsAreRefusedByName) {
  for (int32_t code : {kRelu, kTanh, kLogistic}) {
    const std::vector<uint8_t> model = OneOpModel(code);
    alignas(16) static uint8_t arena[4096];
    Interpreter interp;
    EXPECT_EQ(interp.Init(model.data(), model.size(), arena, sizeof(arena)), Status::kUnsupported);
    EXPECT_EQ(interp.error().status, Status::kUnsupported);
    EXPECT_EQ(interp.error().op_code, code);
    EXPECT_EQ(interp.error().op_index, 0);
    EXPECT_STREQ(BuiltinOpName(interp.error().op_code), code == kRelu   ? "RELU"
                                                        : code == kTanh ? "TANH"
                                                                        : "LOGISTIC");
    EXPECT_FALSE(IsSupportedOp(code));
  }
}

}  // namespace
}  // namespace emlkit::rt::test
