// The host model: building, writing, reading back, metadata, and the consistency checks.
#include "tflite/model.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace emlkit::tflite {
namespace {

std::vector<uint8_t> Bytes(size_t n, uint8_t first) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(first + 7 * i);
  return v;
}

std::vector<uint8_t> Int32Bytes(const std::vector<int32_t>& values) {
  std::vector<uint8_t> v(values.size() * 4);
  std::memcpy(v.data(), values.data(), v.size());
  return v;
}

Quantization PerTensor(float scale, int64_t zero_point) {
  Quantization q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

// A 3-4-2 int8 MLP with per-channel weights, softmax and emlkit metadata: what quantization
// writes, in miniature.
Model SmallInt8Mlp() {
  Model m;
  int in = m.AddTensor("input", TensorType::kInt8, {1, 3}, PerTensor(0.05f, -3));
  Quantization wq;
  wq.scale = {0.01f, 0.02f, 0.03f, 0.04f};
  wq.zero_point = {0, 0, 0, 0};
  int w1 = m.AddConstTensor("dense/w", TensorType::kInt8, {4, 3}, Bytes(12, 1), wq);
  Quantization bq;
  bq.scale = {0.0005f, 0.001f, 0.0015f, 0.002f};
  bq.zero_point = {0, 0, 0, 0};
  int b1 = m.AddConstTensor("dense/b", TensorType::kInt32, {4}, Int32Bytes({1, -2, 3, -4}), bq);
  int h = m.AddTensor("hidden", TensorType::kInt8, {1, 4}, PerTensor(0.1f, -128));
  int w2 = m.AddConstTensor("out/w", TensorType::kInt8, {2, 4}, Bytes(8, 100), PerTensor(0.02f, 0));
  int logits = m.AddTensor("logits", TensorType::kInt8, {1, 2}, PerTensor(0.2f, 5));
  int probs = m.AddTensor("probs", TensorType::kInt8, {1, 2}, PerTensor(1.0f / 256, -128));
  Operator fc1;
  fc1.builtin_code = op::kFullyConnected;
  fc1.version = 5;
  fc1.inputs = {in, w1, b1};
  fc1.outputs = {h};
  fc1.options = FullyConnectedOptions{Activation::kRelu, false};
  m.AddOperator(fc1);
  Operator fc2 = fc1;
  fc2.inputs = {h, w2, -1};  // no bias
  fc2.outputs = {logits};
  fc2.options = FullyConnectedOptions{};
  m.AddOperator(fc2);
  Operator sm;
  sm.builtin_code = op::kSoftmax;
  sm.version = 2;
  sm.inputs = {logits};
  sm.outputs = {probs};
  sm.options = SoftmaxOptions{1.0f};
  m.AddOperator(sm);
  m.inputs = {in};
  m.outputs = {probs};
  m.SetMetadata("emlkit", R"({"task":"classification","labels":["a","b"]})");
  return m;
}

TEST(Model, WrittenModelReadsBackIdentical) {
  Model m = SmallInt8Mlp();
  auto bytes = WriteModel(m);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes->data()) + 4, 4), "TFL3");
  auto back = ReadModel(bytes->data(), bytes->size(), "mem.tflite");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  EXPECT_EQ(back->GetMetadata("emlkit"), m.GetMetadata("emlkit"));
  const auto* fc = std::get_if<FullyConnectedOptions>(&back->operators[0].options);
  ASSERT_NE(fc, nullptr);
  EXPECT_EQ(fc->activation, Activation::kRelu);
  EXPECT_EQ(back->operators[1].inputs[2], -1);
}

TEST(Model, WritingIsDeterministicAndAlignsConstantData) {
  Model m = SmallInt8Mlp();
  auto a = WriteModel(m);
  auto b = WriteModel(m);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  // Every constant buffer starts on a 16-byte boundary of the file (TFLite Micro reads weights
  // in place).
  for (size_t i = 1; i < m.buffers.size(); ++i) {
    const std::vector<uint8_t>& data = m.buffers[i];
    if (data.empty()) continue;
    auto it = std::search(a->begin(), a->end(), data.begin(), data.end());
    ASSERT_NE(it, a->end()) << "buffer " << i;
    EXPECT_EQ((it - a->begin()) % 16, 0) << "buffer " << i;
  }
}

TEST(Model, MetadataIsReplacedNotDuplicated) {
  Model m;
  EXPECT_FALSE(m.GetMetadata("emlkit").has_value());
  m.SetMetadata("emlkit", "{\"v\":1}");
  size_t buffers = m.buffers.size();
  m.SetMetadata("emlkit", "{\"v\":2}");
  EXPECT_EQ(m.buffers.size(), buffers);
  ASSERT_EQ(m.metadata.size(), 1u);
  EXPECT_EQ(m.GetMetadata("emlkit"), "{\"v\":2}");
}

TEST(Model, MetadataNeverOverwritesAWeightBuffer) {
  Model m = SmallInt8Mlp();
  std::vector<uint8_t> weights = m.TensorData(1);
  m.metadata.push_back({"evil", m.tensors[1].buffer});  // as a hostile file could say
  m.SetMetadata("evil", "text");
  EXPECT_EQ(m.TensorData(1), weights);
  EXPECT_EQ(m.GetMetadata("evil"), "text");
}

TEST(Model, TensorByteSize) {
  EXPECT_EQ(TensorByteSize(TensorType::kInt8, {2, 3}), 6);
  EXPECT_EQ(TensorByteSize(TensorType::kFloat32, {}), 4);  // a scalar
  EXPECT_EQ(TensorByteSize(TensorType::kInt16, {4, 0, 9}), 0);
  EXPECT_EQ(TensorByteSize(TensorType::kInt4, {3, 3}), 5);
  EXPECT_EQ(TensorByteSize(TensorType::kString, {2}), -1);
  EXPECT_EQ(TensorByteSize(TensorType::kInt8, {-1, 3}), -1);
  EXPECT_EQ(TensorByteSize(TensorType::kFloat32, {1 << 30, 1 << 30, 1 << 30}), INT64_MAX);
}

// Each broken model gives InvalidArgument naming the tensor or operator concerned.
struct BadCase {
  const char* what;
  void (*breakit)(Model&);
  const char* expect;
};

TEST(Model, ValidationNamesWhatIsWrong) {
  const BadCase cases[] = {
      {"buffer index", [](Model& m) { m.tensors[1].buffer = 99; },
       "tensor 1 'dense/w' refers to buffer 99"},
      {"data size",
       [](Model& m) {
         m.tensors[1].shape = {4, 4};
       },
       "needs 16 bytes of constant data"},
      {"negative dim",
       [](Model& m) {
         m.tensors[3].shape = {1, -4};
       },
       "tensor 3 'hidden' has shape [1, -4]"},
      {"huge shape",
       [](Model& m) {
         m.tensors[3].shape = {65536, 65536};
       },
       "more than 2 GiB"},
      {"op input", [](Model& m) { m.operators[2].inputs = {42}; },
       "operator 2 (builtin code 25) input #0 refers to tensor 42"},
      {"op output -1", [](Model& m) { m.operators[0].outputs = {-1}; },
       "operator 0 (builtin code 9) output #0"},
      {"graph input", [](Model& m) { m.inputs = {7}; }, "graph input #0 refers to tensor 7"},
      {"per-channel", [](Model& m) { m.tensors[1].quant->scale.pop_back(); },
       "3 scales but 4 zero points"},
      {"channel count", [](Model& m) { m.tensors[1].quant->quantized_dimension = 1; },
       "4 per-channel scales, but dimension 1"},
      {"buffer 0", [](Model& m) { m.buffers[0] = {1}; }, "buffer 0 must exist and be empty"},
      {"custom name", [](Model& m) { m.operators[2].builtin_code = op::kCustom; },
       "CUSTOM operator without a custom_code"},
      {"metadata", [](Model& m) { m.metadata[0].buffer = 1000; },
       "metadata 'emlkit' refers to buffer 1000"},
  };
  for (const BadCase& c : cases) {
    Model m = SmallInt8Mlp();
    c.breakit(m);
    Status s = ValidateModel(m, "x.tflite");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << c.what << ": " << s.message();
    EXPECT_EQ(s.message().rfind("x.tflite: ", 0), 0u) << s.message();
    auto written = WriteModel(m);
    EXPECT_FALSE(written.ok()) << c.what << ": the writer must refuse what ValidateModel refuses";
  }
}

TEST(Model, WriterRefusesOptionsItCouldNotDecode) {
  Model m = SmallInt8Mlp();
  m.operators[0].undecoded_options = "FullyConnectedOptions.weights_format";
  auto bytes = WriteModel(m);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(bytes.status().message().find("weights_format"), std::string::npos);
}

TEST(Model, EveryOptionsKindSurvivesARoundTrip) {
  const BuiltinOptions all[] = {
      FullyConnectedOptions{Activation::kRelu6, true},
      Conv2DOptions{Padding::kSame, 2, 3, Activation::kRelu, 1, 2},
      DepthwiseConv2DOptions{Padding::kSame, 1, 2, 4, Activation::kReluN1To1, 2, 1},
      Pool2DOptions{Padding::kValid, 2, 2, 3, 3, Activation::kNone},
      SoftmaxOptions{0.5f},
      ReshapeOptions{{1, -1}},
      AddOptions{Activation::kRelu, false},
      SubOptions{Activation::kTanh, true},
      MulOptions{Activation::kRelu6},
      ConcatenationOptions{-1, Activation::kNone},
      ReducerOptions{true},
      StridedSliceOptions{1, 2, 0, 0, 4, true},
      SvdfOptions{2, Activation::kRelu},
      DivOptions{Activation::kRelu},
      CastOptions{TensorType::kInt16, TensorType::kFloat32},
      UnidirectionalSequenceLstmOptions{Activation::kTanh, 10.0f, 0.0f, true, false, false},
  };
  static_assert(std::size(all) == std::variant_size_v<BuiltinOptions> - 1,
                "add the new options kind to this test");
  Model m = SmallInt8Mlp();
  for (const BuiltinOptions& o : all) {
    Operator op = m.operators[2];
    op.options = o;
    m.AddOperator(op);
  }
  auto bytes = WriteModel(m);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = ReadModel(bytes->data(), bytes->size(), "mem");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  for (size_t i = 0; i < std::size(all); ++i) {
    EXPECT_EQ(back->operators[3 + i].options, all[i]) << "options kind " << all[i].index();
    EXPECT_EQ(back->operators[3 + i].undecoded_options, "");
  }
}

}  // namespace
}  // namespace emlkit::tflite
