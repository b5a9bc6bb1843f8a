// The model summary: unsupported ops, totals, JSON and text forms.
#include "tflite/summary.h"

#include <gtest/gtest.h>

#include "tflite/op_support.h"

namespace emlkit::tflite {
namespace {

// input [1,4] -> FULLY_CONNECTED (3x4 weights) -> CUSTOM "Mystery" -> CUSTOM "Mystery" -> out.
Model ModelWithCustomOps(const std::string& custom_name) {
  Model m;
  int in = m.AddTensor("in", TensorType::kFloat32, {1, 4});
  int w = m.AddConstTensor("w", TensorType::kFloat32, {3, 4}, std::vector<uint8_t>(48));
  int h = m.AddTensor("h", TensorType::kFloat32, {1, 3});
  int h2 = m.AddTensor("h2", TensorType::kFloat32, {1, 3});
  int out = m.AddTensor("out", TensorType::kFloat32, {1, 3});
  Operator fc;
  fc.builtin_code = op::kFullyConnected;
  fc.inputs = {in, w, -1};
  fc.outputs = {h};
  fc.options = FullyConnectedOptions{};
  m.AddOperator(fc);
  Operator custom;
  custom.builtin_code = op::kCustom;
  custom.custom_code = custom_name;
  custom.inputs = {h};
  custom.outputs = {h2};
  m.AddOperator(custom);
  custom.inputs = {h2};
  custom.outputs = {out};
  m.AddOperator(custom);
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

ModelSummary Summarize(const Model& m) {
  auto bytes = WriteModel(m);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto s = SummarizeModel(*bytes, "m.tflite");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(*s);
}

TEST(Summary, NamesUnsupportedOpsOnceAndSkipsTheArena) {
  ModelSummary s = Summarize(ModelWithCustomOps("Mystery"));
  ASSERT_EQ(s.ops.size(), 3u);
  EXPECT_EQ(s.ops[0].name, "FULLY_CONNECTED");
  EXPECT_EQ(s.ops[0].unsupported, "");
  EXPECT_EQ(s.ops[1].name, "CUSTOM:Mystery");
  EXPECT_NE(s.ops[1].unsupported, "");
  EXPECT_EQ(s.unsupported_ops, std::vector<std::string>{"CUSTOM:Mystery"});
  EXPECT_EQ(s.macs, 12);
  EXPECT_EQ(s.params, 12);
  EXPECT_FALSE(s.arena_bytes.has_value());

  std::string text = SummaryText(s);
  EXPECT_NE(text.find("unsupported by emlkit: CUSTOM:Mystery (ops 1, 2)\n"), std::string::npos)
      << text;
  nlohmann::json j = SummaryJson(s);
  EXPECT_EQ(j["ops"], (nlohmann::json{"FULLY_CONNECTED", "CUSTOM:Mystery", "CUSTOM:Mystery"}));
  EXPECT_EQ(j["unsupported_ops"], nlohmann::json{"CUSTOM:Mystery"});
  EXPECT_TRUE(j["arena_bytes"].is_null());
  EXPECT_EQ(j["runs_on_emlkit"], false);
  EXPECT_EQ(j["op_details"][0]["supported"], true);
  EXPECT_EQ(j["inputs"][0]["shape"], (nlohmann::json{1, 4}));
  EXPECT_TRUE(j["inputs"][0]["scale"].is_null());
}

TEST(Summary, NewerOperatorVersionsAreUnsupported) {
  Model m = ModelWithCustomOps("Mystery");
  m.operators[0].version = 1000;
  ModelSummary s = Summarize(m);
  EXPECT_NE(s.ops[0].unsupported.find("version 1000; emlkit runs versions up to"),
            std::string::npos)
      << s.ops[0].unsupported;
  EXPECT_NE(SummaryText(s).find("FULLY_CONNECTED (op 0: version 1000;"), std::string::npos);
}

TEST(Summary, JsonIsValidUtf8WhateverTheFileHolds) {
  Model m = ModelWithCustomOps("bad\xff\xfe");
  m.tensors[0].name = "in\xc3";
  m.SetMetadata("emlkit", "not json \xff");
  ModelSummary s = Summarize(m);
  std::string dumped = SummaryJson(s).dump();  // throws on invalid UTF-8
  EXPECT_NE(dumped.find("CUSTOM:bad\xef\xbf\xbd\xef\xbf\xbd"), std::string::npos) << dumped;
  EXPECT_EQ(SummaryJson(s)["metadata"], "not json \xef\xbf\xbd");
}

TEST(Summary, UnknownBuiltinCodesAreNamedByNumber) {
  Operator op;
  op.builtin_code = 9999;
  EXPECT_EQ(OpName(op), "BUILTIN_9999");
  EXPECT_NE(UnsupportedReason(op), "");
}

}  // namespace
}  // namespace emlkit::tflite
