#include "tflite/runner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "common/fs.h"
#include "common/npy.h"
#include "support/test_util.h"

namespace emlkit::tflite {
namespace {

TEST(RunnerTest, DescribesAndRunsTheThermostatModelBitExact) {
  EMLKIT_REQUIRE_SHARED(dir, "golden/thermostat_mlp_int8");
  Result<Runner> r = Runner::Open(dir + "/model.tflite");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->arena_bytes(), 0u);
  EXPECT_LE(r->arena_bytes(), 824u);  // half of TFLite Micro's 1,648 bytes
  EXPECT_LT(r->persistent_bytes(), r->arena_bytes());
  ASSERT_EQ(r->num_inputs(), 1);
  ASSERT_EQ(r->num_outputs(), 1);
  EXPECT_EQ(r->input(0).index, 0);
  EXPECT_EQ(r->input(0).dtype, DType::kInt8);
  EXPECT_EQ(r->input(0).shape, (std::vector<int64_t>{1, 5}));
  EXPECT_FLOAT_EQ(r->input(0).scale, 0.0078125f);
  EXPECT_EQ(r->output(0).index, 10);
  EXPECT_EQ(r->output(0).zero_point, -128);
  EXPECT_EQ(r->num_ops(), 4);
  EXPECT_EQ(r->op_name(3), "SOFTMAX");
  EXPECT_EQ(r->op_outputs(0), (std::vector<int32_t>{3}));

  Result<NpyArray> in = ReadNpy(dir + "/input0.npy");
  Result<NpyArray> want = ReadNpy(dir + "/output0.npy");
  ASSERT_TRUE(in.ok() && want.ok());
  for (int64_t rec = 0; rec < in->records(); ++rec) {
    ASSERT_TRUE(r->ResetState().ok());
    ASSERT_TRUE(r->SetInput(0, *in, rec).ok());
    ASSERT_TRUE(r->Invoke().ok());
    NpyArray out = r->Output(0);
    EXPECT_EQ(out.shape(), (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(std::memcmp(out.raw(), want->raw() + rec * 2, 2), 0) << "record " << rec;
  }
}

TEST(RunnerTest, InputsSurviveInvokesThatRunInPlaceOverThem) {
  // simple_add's ADD writes its output over an input (the input dies there); the runner keeps
  // its own copy, so invoking again with the same inputs gives the same outputs.
  EMLKIT_REQUIRE_SHARED(dir, "golden/simple_add_model");
  Result<Runner> r = Runner::Open(dir + "/model.tflite");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Result<NpyArray> a = ReadNpy(dir + "/input0.npy");
  Result<NpyArray> b = ReadNpy(dir + "/input1.npy");
  Result<NpyArray> want = ReadNpy(dir + "/output0.npy");
  ASSERT_TRUE(a.ok() && b.ok() && want.ok());
  ASSERT_TRUE(r->SetInput(0, *a, 3).ok());
  ASSERT_TRUE(r->SetInput(1, *b, 3).ok());
  const size_t n = r->output(0).bytes;
  for (int k = 0; k < 3; ++k) {
    ASSERT_TRUE(r->Invoke().ok());
    EXPECT_EQ(std::memcmp(r->OutputBytes(0).data(), want->raw() + 3 * n, n), 0) << "invoke " << k;
  }
}

TEST(RunnerTest, FloatHelpersQuantizeAndDequantize) {
  EMLKIT_REQUIRE_SHARED(dir, "golden/thermostat_mlp_int8");
  Result<Runner> r = Runner::Open(dir + "/model.tflite");
  ASSERT_TRUE(r.ok());
  // scale 1/128, zero point 0: 0.5 -> 64, -2 -> -128 (clamped), 0.01171875 -> 1.5 -> 2.
  const std::vector<float> x = {0.5f, -2.0f, 0.01171875f, 0.0f, 0.99f};
  ASSERT_TRUE(r->SetInputFloat(0, x).ok());
  // A model input reads back as set (before and after Invoke).
  const std::span<const uint8_t> in_bytes = r->TensorBytes(0);
  ASSERT_EQ(in_bytes.size(), 5u);
  const int8_t* q = reinterpret_cast<const int8_t*>(in_bytes.data());
  EXPECT_EQ(q[0], 64);
  EXPECT_EQ(q[1], -128);
  EXPECT_EQ(q[2], 2);  // 1.5 rounds away from zero
  EXPECT_EQ(q[4], 127);
  ASSERT_TRUE(r->Invoke().ok());
  const std::vector<float> p = r->OutputFloat(0);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NEAR(p[0] + p[1], 1.0f, 2.0f / 256);  // softmax probabilities
  EXPECT_FALSE(r->SetInputFloat(0, std::vector<float>(4)).ok());
}

TEST(RunnerTest, OpCallbackSeesEveryIntermediateOfTfliteMicro) {
  EMLKIT_REQUIRE_SHARED(dir, "golden/thermostat_mlp_int8");
  Result<Runner> r = Runner::Open(dir + "/model.tflite");
  Result<std::vector<uint8_t>> inputs = ReadFileBytes(dir + "/inputs.bin");
  Result<std::vector<uint8_t>> inter = ReadFileBytes(dir + "/intermediates.bin");
  ASSERT_TRUE(r.ok() && inputs.ok() && inter.ok());
  // intermediates.json: tensors 3, 6, 9, 10 at offsets 5, 21, 37, 39.
  const std::vector<std::pair<int32_t, size_t>> expected = {{3, 5}, {6, 21}, {9, 37}, {10, 39}};
  std::vector<int32_t> seen_ops;
  int matched = 0;
  r->SetOpCallback([&](int32_t op) {
    seen_ops.push_back(op);
    for (int32_t t : r->op_outputs(op)) {
      for (const auto& [tensor, offset] : expected) {
        if (tensor != t) continue;
        NpyArray a = r->TensorArray(t);
        ASSERT_GT(a.num_bytes(), 0u);
        EXPECT_EQ(std::memcmp(a.raw(), inter->data() + offset, a.num_bytes()), 0) << "tensor " << t;
        ++matched;
      }
    }
  });
  r->EnableProfiling(true);
  ASSERT_TRUE(r->SetInput(0, inputs->data(), 5).ok());
  ASSERT_TRUE(r->Invoke().ok());
  EXPECT_EQ(seen_ops, (std::vector<int32_t>{0, 1, 2, 3}));
  EXPECT_EQ(matched, 4);
  ASSERT_EQ(r->profile().size(), 4u);
  EXPECT_EQ(r->profile()[0].name, "FULLY_CONNECTED");
  EXPECT_EQ(r->profile()[3].invocations, 1u);
  r->SetOpCallback(nullptr);
  r->EnableProfiling(false);
  ASSERT_TRUE(r->Invoke().ok());
  EXPECT_EQ(seen_ops.size(), 4u);
  EXPECT_EQ(r->profile()[3].invocations, 1u);
}

TEST(RunnerTest, BadInputsGetClearMessages) {
  EMLKIT_REQUIRE_SHARED(dir, "golden/thermostat_mlp_int8");
  Result<Runner> r = Runner::Open(dir + "/model.tflite");
  ASSERT_TRUE(r.ok());
  Status s = r->SetInput(0, "abc", 3);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("serving_default_input:0"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("5 bytes"), std::string::npos) << s.message();
  EXPECT_EQ(r->SetInput(1, "abcde", 5).code(), StatusCode::kInvalidArgument);
  NpyArray wrong = NpyArray::Zeros(DType::kFloat32, {2, 5});
  s = r->SetInput(0, wrong, 0);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("float32"), std::string::npos) << s.message();
  NpyArray narrow = NpyArray::Zeros(DType::kInt8, {2, 4});
  EXPECT_EQ(r->SetInput(0, narrow, 0).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r->SetInput(0, NpyArray::Zeros(DType::kInt8, {2, 5}), 2).code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(r->tensor(99).ok());
}

TEST(RunnerTest, RefusesCorruptAndUnsupportedModelsNamingTheProblem) {
  Result<Runner> missing = Runner::Open("/nonexistent/model.tflite");
  EXPECT_FALSE(missing.ok());
  Result<Runner> garbage = Runner::FromBytes(std::vector<uint8_t>(64, 0x5a), "garbage.tflite");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), StatusCode::kCorruption);
  EXPECT_NE(garbage.status().message().find("garbage.tflite: wrong file identifier"),
            std::string::npos)
      << garbage.status().message();

  EMLKIT_REQUIRE_SHARED(lstm, "golden/trained_lstm/model.tflite");
  Result<Runner> r = Runner::Open(lstm);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(r.status().message().find("unsupported by emlkit: UNIDIRECTIONAL_SEQUENCE_LSTM (op 0)"),
            std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace emlkit::tflite
