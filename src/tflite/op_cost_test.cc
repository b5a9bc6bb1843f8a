// MACs and parameter counts per operator.
#include "tflite/op_cost.h"

#include <gtest/gtest.h>

#include <cstring>

#include "support/test_util.h"

namespace emlkit::tflite {
namespace {

// Adds a float tensor; constant (with zero data) when `constant`.
int32_t T(Model& m, std::vector<int32_t> shape, bool constant = false) {
  if (!constant) return m.AddTensor("t", TensorType::kFloat32, shape);
  std::vector<uint8_t> data(TensorByteSize(TensorType::kFloat32, shape));
  return m.AddConstTensor("c", TensorType::kFloat32, shape, data);
}

Operator Op(int32_t code, std::vector<int32_t> in, std::vector<int32_t> out,
            BuiltinOptions options = {}) {
  Operator op;
  op.builtin_code = code;
  op.inputs = std::move(in);
  op.outputs = std::move(out);
  op.options = options;
  return op;
}

TEST(OpCost, FullyConnectedCountsWeightsTimesBatch) {
  Model m;
  int in = T(m, {4, 10}), w = T(m, {3, 10}, true), b = T(m, {3}, true), out = T(m, {4, 3});
  OpCost c = EstimateOpCost(m, Op(op::kFullyConnected, {in, w, b}, {out}));
  EXPECT_EQ(c.macs, 4 * 3 * 10);
  EXPECT_EQ(c.params, 30 + 3);
  // Without the optional bias (-1) only the weights are parameters.
  EXPECT_EQ(EstimateOpCost(m, Op(op::kFullyConnected, {in, w, -1}, {out})).params, 30);
}

TEST(OpCost, Convolutions) {
  Model m;
  int in = T(m, {1, 8, 8, 3}), f = T(m, {4, 3, 3, 3}, true), out = T(m, {1, 8, 8, 4});
  EXPECT_EQ(EstimateOpCost(m, Op(op::kConv2D, {in, f, -1}, {out})).macs, 8 * 8 * 4 * 27);
  int dw_in = T(m, {1, 8, 8, 6}), dw_f = T(m, {1, 3, 3, 6}, true), dw_out = T(m, {1, 4, 4, 6});
  OpCost dw = EstimateOpCost(m, Op(op::kDepthwiseConv2D, {dw_in, dw_f, -1}, {dw_out}));
  EXPECT_EQ(dw.macs, 4 * 4 * 6 * 9);
  EXPECT_EQ(dw.params, 54);
}

TEST(OpCost, PoolingUsesTheFilterWindow) {
  Model m;
  int in = T(m, {1, 4, 4, 3}), out = T(m, {1, 2, 2, 3});
  Pool2DOptions p;
  p.filter_width = 2;
  p.filter_height = 3;
  EXPECT_EQ(EstimateOpCost(m, Op(op::kMaxPool2D, {in}, {out}, p)).macs, 12 * 6);
  EXPECT_EQ(EstimateOpCost(m, Op(op::kAveragePool2D, {in}, {out})).macs, 0)
      << "no options: no window to count";
}

TEST(OpCost, SvdfAndLstm) {
  Model m;
  int in = T(m, {2, 40}), wf = T(m, {16, 40}, true), wt = T(m, {16, 8}, true);
  int bias = T(m, {4}, true), state = T(m, {2, 128}), out = T(m, {2, 4});
  OpCost svdf = EstimateOpCost(m, Op(op::kSvdf, {in, wf, wt, bias, state}, {out}));
  EXPECT_EQ(svdf.macs, 2 * 16 * (40 + 8));
  EXPECT_EQ(svdf.params, 640 + 128 + 4);

  // A sequence LSTM: batch 1, 28 steps, 28 inputs, 20 cells, 20 outputs, no projection.
  Model l;
  std::vector<int32_t> ins(24, -1);
  ins[0] = T(l, {1, 28, 28});
  for (int k = 1; k <= 4; ++k) ins[k] = T(l, {20, 28}, true);
  for (int k = 5; k <= 8; ++k) ins[k] = T(l, {20, 20}, true);
  int lout = T(l, {1, 28, 20});
  EXPECT_EQ(EstimateOpCost(l, Op(44, ins, {lout})).macs, 28 * 4 * 20 * (28 + 20));
  ins[1] = -1;  // CIFG: three gates
  EXPECT_EQ(EstimateOpCost(l, Op(44, ins, {lout})).macs, 28 * 3 * 20 * (28 + 20));
}

TEST(OpCost, ElementwiseReductionsAndDataMovement) {
  Model m;
  int a = T(m, {2, 5}), b = T(m, {1, 5}, true), out = T(m, {2, 5}), red = T(m, {2});
  EXPECT_EQ(EstimateOpCost(m, Op(op::kAdd, {a, b}, {out})).macs, 10);
  EXPECT_EQ(EstimateOpCost(m, Op(op::kAdd, {a, b}, {out})).params, 5);
  EXPECT_EQ(EstimateOpCost(m, Op(op::kMul, {a, a}, {out})).params, 0);
  EXPECT_EQ(EstimateOpCost(m, Op(op::kMean, {a}, {red})).macs, 10);
  EXPECT_EQ(EstimateOpCost(m, Op(op::kSoftmax, {a}, {out})).macs, 0);
  EXPECT_EQ(EstimateOpCost(m, Op(op::kReshape, {a}, {out})).macs, 0);
  // An int32 shape operand is not a parameter; an int32 bias is.
  std::vector<int32_t> dims = {2, 5};
  std::vector<uint8_t> dims_bytes(8);
  std::memcpy(dims_bytes.data(), dims.data(), 8);
  int shape = m.AddConstTensor("shape", TensorType::kInt32, {2}, dims_bytes);
  EXPECT_EQ(EstimateOpCost(m, Op(op::kReshape, {a, shape}, {out})).params, 0);
  int w = T(m, {2, 5}, true);
  OpCost fc = EstimateOpCost(m, Op(op::kFullyConnected, {a, w, shape}, {red}));
  EXPECT_EQ(fc.params, 12);
  EXPECT_EQ(fc.param_tensors, (std::vector<int32_t>{w, shape}));
}

TEST(OpCost, ShapesThatDoNotFitGiveZero) {
  Model m;
  int in = T(m, {4, 10}), w = T(m, {}, true), out = T(m, {4, 3});
  EXPECT_EQ(EstimateOpCost(m, Op(op::kFullyConnected, {in, w}, {out})).macs, 0);
  EXPECT_EQ(EstimateOpCost(m, Op(op::kConv2D, {in}, {out})).macs, 0);  // no filter at all
}

TEST(OpCost, HugeShapesSaturate) {
  Model m;
  int in = T(m, {1 << 30, 1 << 30}), w = T(m, {1 << 30, 1 << 30}), out = T(m, {1 << 30, 1 << 30});
  EXPECT_EQ(EstimateOpCost(m, Op(op::kFullyConnected, {in, w}, {out})).macs, INT64_MAX);
}

TEST(OpCost, ThermostatMlpHas368Macs) {
  EMLKIT_REQUIRE_SHARED(path, "golden/thermostat_mlp_int8/model.tflite");
  auto m = ReadModelFile(path);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  std::vector<int64_t> macs, params;
  for (const Operator& op : m->operators) {
    OpCost c = EstimateOpCost(*m, op);
    macs.push_back(c.macs);
    params.push_back(c.params);
  }
  // 5-16-16-2 (TFLM_FIGURES.md: "368 multiply-accumulates").
  EXPECT_EQ(macs, (std::vector<int64_t>{80, 256, 32, 0}));
  EXPECT_EQ(params, (std::vector<int64_t>{96, 272, 34, 0}));
}

}  // namespace
}  // namespace emlkit::tflite
