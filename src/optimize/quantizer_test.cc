// The int8 rewrite on a graph with every operator the quantizer handles: the result prepares and
// runs in the runtime, stays close to the float model, and follows TFLite's conventions tensor
// by tensor; and what must be refused is refused, by name.
#include "optimize/quantizer.h"

#include <gtest/gtest.h>

#include <map>

#include "optimize/calibration.h"
#include "optimize/compare.h"
#include "optimize/testing/graphs.h"
#include "tflite/op_support.h"
#include "tflite/runner.h"

namespace emlkit::optimize {
namespace {

namespace tfl = ::emlkit::tflite;

struct Quantized {
  tfl::Model model;
  std::vector<uint8_t> bytes;
};

Quantized QuantizeGraph(const tfl::Model& f, const QuantizeOptions& options) {
  Quantized q;
  auto fbytes = tfl::WriteModel(f);
  EXPECT_TRUE(fbytes.ok()) << fbytes.status().ToString();
  auto runner = tfl::Runner::FromBytes(*fbytes, "float");
  EXPECT_TRUE(runner.ok()) << runner.status().ToString();
  EXPECT_TRUE(CheckQuantizable(f, "float").ok());
  auto stats =
      CollectActivationStats(*runner, {testing::RandomRecords(300, {1, 4, 4, 2}, 5)}, false);
  EXPECT_TRUE(stats.ok()) << stats.status().ToString();
  ActivationRanges ranges;
  for (const auto& [t, s] : *stats) ranges[t] = ChooseRange(s, {});
  auto m = QuantizeModel(f, ranges, options, "float");
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  q.model = *m;
  auto bytes = tfl::WriteModel(q.model);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  q.bytes = *bytes;
  return q;
}

const tfl::Quantization& Q(const tfl::Model& m, int32_t t) {
  return *m.tensors[static_cast<size_t>(t)].quant;
}

TEST(Quantizer, EveryOpRunsInTheRuntimeAndStaysCloseToFloat) {
  const tfl::Model f = testing::AllOpsGraph();
  const Quantized q = QuantizeGraph(f, {});
  auto fr = tfl::Runner::FromBytes(*tfl::WriteModel(f), "float");
  auto qr = tfl::Runner::FromBytes(q.bytes, "int8");
  ASSERT_TRUE(qr.ok()) << qr.status().ToString();
  auto c = CompareModels(*fr, *qr, {testing::RandomRecords(200, {1, 4, 4, 2}, 9)});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->matching, "operators");
  EXPECT_EQ(c->layers.size(), f.operators.size() + 1);  // + the input
  EXPECT_GT(c->outputs[0].error.sqnr_db, 25.0);
  EXPECT_GT(static_cast<double>(c->outputs[0].argmax_agree), 0.9 * 200);
  for (const LayerComparison& l : c->layers) {
    EXPECT_GT(l.error.sqnr_db, 20.0) << l.op_name << " " << l.tensor_name;
  }
}

TEST(Quantizer, FollowsTfliteConventionsTensorByTensor) {
  const tfl::Model f = testing::AllOpsGraph();
  const tfl::Model m = QuantizeGraph(f, {}).model;
  ASSERT_EQ(m.operators.size(), f.operators.size());
  const std::map<std::string, int> versions = {{"PAD", 2},
                                               {"CONV_2D", 3},
                                               {"DEPTHWISE_CONV_2D", 3},
                                               {"MAX_POOL_2D", 2},
                                               {"AVERAGE_POOL_2D", 2},
                                               {"RESHAPE", 1},
                                               {"MEAN", 2},
                                               {"CONCATENATION", 2},
                                               {"FULLY_CONNECTED", 4},
                                               {"ADD", 2},
                                               {"RELU", 2},
                                               {"TANH", 2},
                                               {"LOGISTIC", 2},
                                               {"MUL", 2},
                                               {"SUB", 2},
                                               {"RELU6", 2},
                                               {"STRIDED_SLICE", 2},
                                               {"SOFTMAX", 2}};
  for (const tfl::Operator& op : m.operators) {
    const std::string name = tfl::OpName(op);
    EXPECT_EQ(op.version, versions.at(name)) << name;
    EXPECT_EQ(tfl::UnsupportedReason(op), "") << name;
    const tfl::Quantization& out = Q(m, op.outputs[0]);
    ASSERT_EQ(out.scale.size(), 1u) << name;
    EXPECT_GE(out.zero_point[0], -128);
    EXPECT_LE(out.zero_point[0], 127);
    if (name == "SOFTMAX" || name == "LOGISTIC") {
      EXPECT_EQ(out.scale[0], 1.0f / 256) << name;
      EXPECT_EQ(out.zero_point[0], -128) << name;
    }
    if (name == "TANH") {
      EXPECT_EQ(out.scale[0], 1.0f / 128);
      EXPECT_EQ(out.zero_point[0], 0);
    }
    // Operators that only move values share their input's parameters.
    if (name == "MAX_POOL_2D" || name == "AVERAGE_POOL_2D" || name == "RESHAPE" || name == "PAD" ||
        name == "STRIDED_SLICE" || name == "RELU6" || name == "CONCATENATION") {
      EXPECT_EQ(Q(m, op.inputs[0]), out) << name;
    }
    if (name == "CONCATENATION") {
      EXPECT_EQ(Q(m, op.inputs[1]), out);
    }
    // A fused ReLU puts the zero point at the bottom of the range.
    if (name == "CONV_2D") {
      EXPECT_EQ(out.zero_point[0], -128);
    }
    if (name == "CONV_2D" || name == "DEPTHWISE_CONV_2D" || name == "FULLY_CONNECTED") {
      const tfl::Tensor& w = m.tensors[static_cast<size_t>(op.inputs[1])];
      const tfl::Tensor& b = m.tensors[static_cast<size_t>(op.inputs[2])];
      const int axis = name == "DEPTHWISE_CONV_2D" ? 3 : 0;
      EXPECT_EQ(w.type, tfl::TensorType::kInt8);
      EXPECT_EQ(w.quant->quantized_dimension, axis) << name;
      EXPECT_EQ(w.quant->scale.size(), static_cast<size_t>(w.shape[static_cast<size_t>(axis)]));
      for (int64_t zp : w.quant->zero_point) EXPECT_EQ(zp, 0);
      for (uint8_t v : m.TensorData(op.inputs[1])) EXPECT_NE(static_cast<int8_t>(v), -128);
      EXPECT_EQ(b.type, tfl::TensorType::kInt32);
      const float in_scale = Q(m, op.inputs[0]).scale[0];
      ASSERT_EQ(b.quant->scale.size(), w.quant->scale.size());
      for (size_t c = 0; c < b.quant->scale.size(); ++c) {
        EXPECT_EQ(b.quant->scale[c], in_scale * w.quant->scale[c]) << name << " channel " << c;
        EXPECT_EQ(b.quant->zero_point[c], 0);
      }
    }
  }
  for (const tfl::Tensor& t : m.tensors) {
    EXPECT_TRUE(t.type == tfl::TensorType::kInt8 || t.type == tfl::TensorType::kInt32) << t.name;
  }
}

TEST(Quantizer, PerTensorWeightsHaveOneScale) {
  QuantizeOptions o;
  o.per_channel = false;
  const tfl::Model m = QuantizeGraph(testing::AllOpsGraph(), o).model;
  for (const tfl::Operator& op : m.operators) {
    if (op.builtin_code != tfl::op::kFullyConnected && op.builtin_code != tfl::op::kConv2D)
      continue;
    EXPECT_EQ(Q(m, op.inputs[1]).scale.size(), 1u);
    EXPECT_EQ(Q(m, op.inputs[2]).scale.size(), 1u);
  }
}

TEST(Quantizer, FloatEdgesAddQuantizeAndDequantize) {
  QuantizeOptions o;
  o.float_io = true;
  const tfl::Model f = testing::AllOpsGraph();
  const Quantized q = QuantizeGraph(f, o);
  const tfl::Model& m = q.model;
  ASSERT_EQ(m.operators.size(), f.operators.size() + 2);
  EXPECT_EQ(m.operators.front().builtin_code, tfl::op::kQuantize);
  EXPECT_EQ(m.operators.front().version, 1);
  EXPECT_EQ(m.operators.back().builtin_code, tfl::op::kDequantize);
  EXPECT_EQ(m.operators.back().version, 2);
  EXPECT_EQ(m.tensors[static_cast<size_t>(m.inputs[0])].type, tfl::TensorType::kFloat32);
  EXPECT_EQ(m.tensors[static_cast<size_t>(m.outputs[0])].type, tfl::TensorType::kFloat32);
  auto fr = tfl::Runner::FromBytes(*tfl::WriteModel(f), "float");
  auto qr = tfl::Runner::FromBytes(q.bytes, "int8 float-io");
  ASSERT_TRUE(qr.ok()) << qr.status().ToString();
  auto c = CompareModels(*fr, *qr, {testing::RandomRecords(100, {1, 4, 4, 2}, 11)});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_GT(c->outputs[0].error.sqnr_db, 25.0);
  EXPECT_EQ(c->layers[0].op_name, "QUANTIZE");  // the input as the int8 graph sees it
}

TEST(Quantizer, DropsTheFloatConversionMetadataAndKeepsOurs) {
  tfl::Model f = testing::AllOpsGraph();
  f.SetMetadata("min_runtime_version", "1.5.0");
  f.SetMetadata("emlkit", "{\"format\":\"emlkit-model\"}");
  const tfl::Model m = QuantizeGraph(f, {}).model;
  EXPECT_FALSE(m.GetMetadata("min_runtime_version").has_value());
  EXPECT_EQ(m.GetMetadata("emlkit").value_or(""), "{\"format\":\"emlkit-model\"}");
}

TEST(CheckQuantizable, RefusesAnAlreadyQuantizedModel) {
  const tfl::Model m = QuantizeGraph(testing::AllOpsGraph(), {}).model;
  const Status s = CheckQuantizable(m, "q.tflite");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("q.tflite is already quantized"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("int8"), std::string::npos);
}

TEST(CheckQuantizable, NamesAnOperatorItDoesNotHandle) {
  tfl::Model m = testing::AllOpsGraph();
  m.operators[3].builtin_code = 47;  // EXP, in place of the MAX_POOL_2D
  const Status s = CheckQuantizable(m, "m.tflite");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("op 3 (EXP) is not handled by emlkit quantize"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("FULLY_CONNECTED"), std::string::npos);  // what it does handle
}

TEST(CheckQuantizable, RefusesNonConstantWeights) {
  testing::GraphBuilder g(3);
  const int32_t x = g.Input({1, 4});
  const int32_t w = g.Input({2, 4});
  const int32_t out =
      g.Op(tfl::op::kFullyConnected, {x, w, -1}, "fc", {1, 2}, tfl::FullyConnectedOptions{});
  g.model().outputs = {out};
  const Status s = CheckQuantizable(g.model(), "m.tflite");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("weights"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace emlkit::optimize
