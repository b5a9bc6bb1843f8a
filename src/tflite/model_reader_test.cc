// ReadModel on real models (the golden set: round trips, decoded options) and on broken or
// hostile bytes (truncated, bit flips, wrong identifier, bad indices, hostile shapes).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/fs.h"
#include "support/test_util.h"
#include "tflite/model.h"
#include "tflite/schema/tflite_generated.h"

namespace emlkit::tflite {
namespace {

namespace fs = std::filesystem;
using flatbuffers::FlatBufferBuilder;

std::vector<std::string> GoldenModels(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (fs::exists(e.path() / "model.tflite")) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ModelReader, EveryGoldenModelRoundTrips) {
  EMLKIT_REQUIRE_SHARED(golden, "golden");
  std::vector<std::string> names = GoldenModels(golden);
  ASSERT_GE(names.size(), 10u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    auto first = ReadModelFile(golden + "/" + name + "/model.tflite");
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_FALSE(first->operators.empty());
    for (const Operator& op : first->operators) EXPECT_EQ(op.undecoded_options, "");
    auto bytes = WriteModel(*first);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    auto second = ReadModel(bytes->data(), bytes->size(), name);
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    // Tensors (names, types, shapes, quantization), buffers, operators and options, graph
    // inputs/outputs, metadata and signatures: all identical.
    EXPECT_EQ(*second, *first);
    auto again = WriteModel(*second);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *bytes) << "rewriting a rewritten model must not change a byte";
  }
}

TEST(ModelReader, DecodesTheThermostatMlp) {
  EMLKIT_REQUIRE_SHARED(path, "golden/thermostat_mlp_int8/model.tflite");
  auto m = ReadModelFile(path);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->operators.size(), 4u);
  EXPECT_EQ(m->operators[0].builtin_code, op::kFullyConnected);
  EXPECT_EQ(m->operators[3].builtin_code, op::kSoftmax);
  EXPECT_TRUE(std::holds_alternative<FullyConnectedOptions>(m->operators[0].options));
  EXPECT_TRUE(std::holds_alternative<SoftmaxOptions>(m->operators[3].options));
  ASSERT_EQ(m->inputs, std::vector<int32_t>{0});
  ASSERT_EQ(m->outputs, std::vector<int32_t>{10});
  const Tensor& in = m->tensors[0];
  EXPECT_EQ(in.type, TensorType::kInt8);
  EXPECT_EQ(in.shape, (std::vector<int32_t>{1, 5}));
  ASSERT_TRUE(in.quant.has_value());
  EXPECT_EQ(in.quant->scale, std::vector<float>{0.0078125f});
  EXPECT_EQ(in.quant->zero_point, std::vector<int64_t>{0});
  EXPECT_EQ(m->tensors[10].quant->zero_point, std::vector<int64_t>{-128});
}

// Options of every union member the golden models use decode to the right alternative: this
// checks the union values of schema/tflite.fbs against what TFLite's converter wrote.
TEST(ModelReader, GoldenOptionsDecodeToTheirOps) {
  EMLKIT_REQUIRE_SHARED(golden, "golden");
  struct Expect {
    const char* model;
    int32_t code;
    size_t alternative;
  };
  const Expect expects[] = {
      {"person_detect", op::kConv2D, 2},
      {"person_detect", op::kDepthwiseConv2D, 3},
      {"person_detect", op::kAveragePool2D, 4},
      {"micro_speech_quantized", op::kReshape, 6},
      {"simple_add_model", op::kAdd, 7},
      {"audio_preprocessor_int8", op::kMul, 9},
      {"audio_preprocessor_int8", op::kConcatenation, 10},
      {"audio_preprocessor_int8", op::kStridedSlice, 12},
      {"keyword_scrambled", op::kSvdf, 13},
      {"audio_preprocessor_int8", 42 /* DIV */, 14},
      {"trained_lstm", 44 /* UNIDIRECTIONAL_SEQUENCE_LSTM */, 16},
  };
  for (const Expect& e : expects) {
    SCOPED_TRACE(std::string(e.model) + " op " + std::to_string(e.code));
    auto m = ReadModelFile(golden + "/" + e.model + "/model.tflite");
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    int found = 0;
    for (const Operator& op : m->operators) {
      if (op.builtin_code != e.code) continue;
      ++found;
      EXPECT_EQ(op.options.index(), e.alternative);
    }
    EXPECT_GT(found, 0);
  }
  // Spot values: person_detect's first op is a depthwise convolution with stride 2, depth
  // multiplier 8, SAME padding and ReLU6.
  auto pd = ReadModelFile(golden + "/person_detect/model.tflite");
  ASSERT_TRUE(pd.ok());
  const auto& dw = std::get<DepthwiseConv2DOptions>(pd->operators[0].options);
  EXPECT_EQ(dw.stride_w, 2);
  EXPECT_EQ(dw.stride_h, 2);
  EXPECT_EQ(dw.depth_multiplier, 8);
  EXPECT_EQ(dw.padding, Padding::kSame);
  EXPECT_EQ(dw.activation, Activation::kRelu6);
  // Old TOCO files store the op in the byte-sized deprecated code only.
  auto ms = ReadModelFile(golden + "/micro_speech_quantized/model.tflite");
  ASSERT_TRUE(ms.ok());
  EXPECT_EQ(ms->operators[2].builtin_code, op::kFullyConnected);
  // Quantized LSTM intermediates are kept.
  auto lstm = ReadModelFile(golden + "/trained_lstm_int8/model.tflite");
  ASSERT_TRUE(lstm.ok());
  EXPECT_FALSE(lstm->operators[0].intermediates.empty());
}

// ---- broken and hostile bytes ----------------------------------------------------------------

std::vector<uint8_t> GoldenBytes(const std::string& path) {
  auto bytes = ReadFileBytes(path);
  return bytes.ok() ? *bytes : std::vector<uint8_t>{};
}

TEST(ModelReader, EveryTruncationIsRefused) {
  EMLKIT_REQUIRE_SHARED(path, "golden/thermostat_mlp_int8/model.tflite");
  std::vector<uint8_t> bytes = GoldenBytes(path);
  auto whole = ReadModel(bytes.data(), bytes.size(), "whole");
  ASSERT_TRUE(whole.ok());
  int accepted = 0;
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + n);
    auto m = ReadModel(cut.data(), cut.size(), "cut.tflite");
    if (m.ok()) {
      // Only trailing padding may go: then the model read is the whole one.
      ++accepted;
      ASSERT_EQ(*m, *whole) << "the first " << n << " bytes read as a different model";
      continue;
    }
    ASSERT_EQ(m.status().ExitCode(), 2) << m.status().ToString();
    ASSERT_EQ(m.status().message().rfind("cut.tflite: ", 0), 0u) << m.status().message();
  }
  EXPECT_LT(accepted, 16);
}

TEST(ModelReader, BitFlipsNeverCrash) {
  EMLKIT_REQUIRE_SHARED(path, "golden/hello_world_int8/model.tflite");
  std::vector<uint8_t> bytes = GoldenBytes(path);
  int refused = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::vector<uint8_t> flipped = bytes;
    flipped[i] ^= static_cast<uint8_t>(1u << (i % 8));
    auto m = ReadModel(flipped.data(), flipped.size(), "flip.tflite");
    if (!m.ok()) {
      ++refused;
      EXPECT_EQ(m.status().ExitCode(), 2) << m.status().ToString();
    }
  }
  // Flips inside weights or names are legitimate files; flips in offsets and indices are not.
  EXPECT_GT(refused, 50);
}

TEST(ModelReader, WrongIdentifierIsNamed) {
  EMLKIT_REQUIRE_SHARED(path, "golden/hello_world_int8/model.tflite");
  std::vector<uint8_t> bytes = GoldenBytes(path);
  std::memcpy(bytes.data() + 4, "ONNX", 4);
  auto m = ReadModel(bytes.data(), bytes.size(), "x.tflite");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kCorruption);
  EXPECT_NE(m.status().message().find("file identifier is 'ONNX', not 'TFL3'"), std::string::npos)
      << m.status().message();
}

TEST(ModelReader, MisalignedInputIsReadCorrectly) {
  EMLKIT_REQUIRE_SHARED(path, "golden/hello_world_int8/model.tflite");
  std::vector<uint8_t> bytes = GoldenBytes(path);
  std::vector<uint8_t> shifted(bytes.size() + 3);
  std::memcpy(shifted.data() + 3, bytes.data(), bytes.size());
  auto a = ReadModel(bytes.data(), bytes.size(), "a");
  auto b = ReadModel(shifted.data() + 3, bytes.size(), "b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

// A one-tensor, one-op model built field by field, so tests can put any value in any field.
struct RawModel {
  uint32_t version = 3;
  std::vector<int32_t> shape = {2, 3};
  uint32_t tensor_buffer = 1;
  std::vector<uint8_t> data = std::vector<uint8_t>(6, 1);
  uint64_t external_offset = 0, external_size = 0;  // buffer 1 outside the FlatBuffer
  uint32_t opcode_index = 0;
  std::vector<int32_t> op_inputs = {0};
  int subgraphs = 1;
  bool sparse = false;
  uint8_t options_type = 0;
  uint32_t metadata_buffer = 0;

  std::vector<uint8_t> Build() const {
    FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<fb::Buffer>> buffers = {fb::CreateBuffer(fbb)};
    if (external_offset > 0) {
      buffers.push_back(fb::CreateBuffer(fbb, 0, external_offset, external_size));
    } else {
      buffers.push_back(fb::CreateBufferDirect(fbb, &data));
    }
    auto sparsity = sparse ? fb::CreateSparsityParameters(fbb) : 0;
    auto tensor = fb::CreateTensorDirect(fbb, &shape, fb::TensorType::INT8, tensor_buffer, "t", 0,
                                         false, sparsity);
    std::vector<int32_t> outputs = {0};
    auto op = fb::CreateOperatorDirect(fbb, opcode_index, &op_inputs, &outputs,
                                       static_cast<fb::BuiltinOptions>(options_type));
    std::vector<flatbuffers::Offset<fb::Tensor>> tensors = {tensor};
    std::vector<flatbuffers::Offset<fb::Operator>> ops = {op};
    std::vector<int32_t> io = {0};
    std::vector<flatbuffers::Offset<fb::SubGraph>> sgs(
        subgraphs, fb::CreateSubGraphDirect(fbb, &tensors, &io, &io, &ops));
    std::vector<flatbuffers::Offset<fb::OperatorCode>> codes = {
        fb::CreateOperatorCode(fbb, 19, 0, 1, 19)};  // RELU
    std::vector<flatbuffers::Offset<fb::Metadata>> md = {
        fb::CreateMetadataDirect(fbb, "m", metadata_buffer)};
    auto root = fb::CreateModelDirect(fbb, version, &codes, &sgs, "raw", &buffers, nullptr, &md);
    fb::FinishModelBuffer(fbb, root);
    return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  }
};

Status ReadRaw(const RawModel& raw) {
  std::vector<uint8_t> bytes = raw.Build();
  auto m = ReadModel(bytes.data(), bytes.size(), "raw.tflite");
  return m.ok() ? Status::Ok() : m.status();
}

TEST(ModelReader, RawModelBuilderMakesAValidModel) {
  Status s = ReadRaw(RawModel{});
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ModelReader, HostileFieldsAreRefusedWithTheirPlace) {
  struct Case {
    const char* what;
    RawModel raw;
    StatusCode code;
    const char* expect;
  };
  std::vector<Case> cases;
  auto add = [&](const char* what, auto tweak, StatusCode code, const char* expect) {
    RawModel r;
    tweak(r);
    cases.push_back({what, r, code, expect});
  };
  add(
      "tensor past buffers", [](RawModel& r) { r.tensor_buffer = 9; }, StatusCode::kCorruption,
      "tensor 0 't' refers to buffer 9, but the model has 2 buffers");
  add(
      "data too short", [](RawModel& r) { r.data.resize(5); }, StatusCode::kCorruption,
      "needs 6 bytes of constant data, but buffer 1 holds 5");
  add(
      "negative shape",
      [](RawModel& r) {
        r.shape = {2, -3};
      },
      StatusCode::kCorruption, "has shape [2, -3] with a negative dimension");
  add(
      "huge shape",
      [](RawModel& r) {
        r.shape = {2147483647, 2147483647, 4};
      },
      StatusCode::kCorruption, "more than 2 GiB");
  add(
      "opcode index", [](RawModel& r) { r.opcode_index = 5; }, StatusCode::kCorruption,
      "operator 0 refers to operator code 5, but the model has 1");
  add(
      "op input",
      [](RawModel& r) {
        r.op_inputs = {0, 3};
      },
      StatusCode::kCorruption, "input #1 refers to tensor 3");
  add(
      "op input -2", [](RawModel& r) { r.op_inputs = {-2}; }, StatusCode::kCorruption,
      "input #0 refers to tensor -2");
  add(
      "external data past the end",
      [](RawModel& r) {
        r.external_offset = 1 << 20;
        r.external_size = 6;
      },
      StatusCode::kCorruption, "buffer 1 lies at bytes 1048576..1048582, past the end");
  add(
      "external size overflow",
      [](RawModel& r) {
        r.external_offset = 16;
        r.external_size = ~uint64_t{0};
      },
      StatusCode::kCorruption, "past the end");
  add(
      "metadata buffer", [](RawModel& r) { r.metadata_buffer = 77; }, StatusCode::kCorruption,
      "metadata 'm' refers to buffer 77");
  add(
      "two subgraphs", [](RawModel& r) { r.subgraphs = 2; }, StatusCode::kUnsupported,
      "2 subgraphs");
  add(
      "no subgraph", [](RawModel& r) { r.subgraphs = 0; }, StatusCode::kCorruption, "no subgraph");
  add(
      "schema version", [](RawModel& r) { r.version = 2; }, StatusCode::kUnsupported,
      "schema version 2");
  add(
      "sparse tensor", [](RawModel& r) { r.sparse = true; }, StatusCode::kUnsupported,
      "tensor 0 't' is sparse");
  for (const Case& c : cases) {
    Status s = ReadRaw(c.raw);
    EXPECT_EQ(s.code(), c.code) << c.what << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << c.what << ": " << s.message();
    EXPECT_EQ(s.ExitCode(), 2) << c.what;
  }
}

TEST(ModelReader, UnknownOptionsAreReportedAndBlockRewriting) {
  RawModel raw;
  raw.options_type = 23;  // GatherOptions: not decoded by emlkit (type set, no table)
  std::vector<uint8_t> bytes = raw.Build();
  auto m = ReadModel(bytes.data(), bytes.size(), "raw.tflite");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->operators[0].undecoded_options, "BuiltinOptions type 23");
  EXPECT_FALSE(WriteModel(*m).ok());
  raw.options_type = 89;  // QuantizeOptions: a table without fields, nothing to lose
  bytes = raw.Build();
  m = ReadModel(bytes.data(), bytes.size(), "raw.tflite");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->operators[0].undecoded_options, "");
}

TEST(ModelReader, ExternalBufferDataIsRead) {
  RawModel raw;
  std::vector<uint8_t> bytes;
  // Place the 6 bytes right after the FlatBuffer: build once to learn its size, then point the
  // buffer there.
  raw.external_offset = 2;
  raw.external_size = 6;
  size_t fb_size = raw.Build().size();
  raw.external_offset = fb_size;
  bytes = raw.Build();
  ASSERT_EQ(bytes.size(), fb_size);
  for (uint8_t v : {10, 11, 12, 13, 14, 15}) bytes.push_back(v);
  auto m = ReadModel(bytes.data(), bytes.size(), "ext.tflite");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->TensorData(0), (std::vector<uint8_t>{10, 11, 12, 13, 14, 15}));
}

}  // namespace
}  // namespace emlkit::tflite
