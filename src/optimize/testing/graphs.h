// Float test graphs for the optimize tests, built with the host model API (tflite/model.h), and
// random calibration records. Header-only; tests only.
#ifndef EMLKIT_OPTIMIZE_TESTING_GRAPHS_H_
#define EMLKIT_OPTIMIZE_TESTING_GRAPHS_H_

#include <cstring>
#include <string>
#include <vector>

#include "common/npy.h"
#include "common/rng.h"
#include "tflite/model.h"

namespace emlkit::optimize::testing {

namespace tfl = ::emlkit::tflite;

inline std::vector<uint8_t> FloatBytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

inline std::vector<uint8_t> IntBytes(const std::vector<int32_t>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Builds float graphs: random weights (seeded), one op per call.
class GraphBuilder {
 public:
  explicit GraphBuilder(uint64_t seed) : rng_(seed) {}
  tfl::Model& model() { return m_; }

  int32_t Input(std::vector<int32_t> shape) {
    const int32_t t = m_.AddTensor("input", tfl::TensorType::kFloat32, std::move(shape));
    m_.inputs.push_back(t);
    return t;
  }
  int32_t Const(const std::string& name, std::vector<int32_t> shape, float limit) {
    std::vector<float> v(static_cast<size_t>(tfl::NumElements(shape)));
    for (float& x : v) x = static_cast<float>(rng_.Uniform(-limit, limit));
    return m_.AddConstTensor(name, tfl::TensorType::kFloat32, std::move(shape), FloatBytes(v));
  }
  int32_t Ints(const std::string& name, const std::vector<int32_t>& v) {
    return m_.AddConstTensor(name, tfl::TensorType::kInt32, {static_cast<int32_t>(v.size())},
                             IntBytes(v));
  }
  int32_t Op(int32_t code, std::vector<int32_t> inputs, const std::string& name,
             std::vector<int32_t> shape, tfl::BuiltinOptions options = {}) {
    const int32_t out = m_.AddTensor(name, tfl::TensorType::kFloat32, std::move(shape));
    tfl::Operator op;
    op.builtin_code = code;
    op.inputs = std::move(inputs);
    op.outputs = {out};
    op.options = std::move(options);
    m_.AddOperator(std::move(op));
    return out;
  }

 private:
  tfl::Model m_;
  Rng rng_;
};

// A graph with every operator the quantizer handles:
//   x [1,4,4,2] -> PAD -> CONV_2D (relu) -> DEPTHWISE_CONV_2D (relu6) -> MAX_POOL_2D
//   -> AVERAGE_POOL_2D -> RESHAPE [1,4]; MEAN of the conv output [1,4]; CONCATENATION [1,8]
//   -> FULLY_CONNECTED [1,6] -> ADD (constant) -> RELU -> TANH and LOGISTIC -> MUL -> SUB
//   (constant) -> RELU6 -> STRIDED_SLICE [1,4] -> FULLY_CONNECTED [1,3] -> SOFTMAX
inline tfl::Model AllOpsGraph(uint64_t seed = 1) {
  namespace op = tfl::op;
  GraphBuilder g(seed);
  const int32_t x = g.Input({1, 4, 4, 2});
  const int32_t pad =
      g.Op(op::kPad, {x, g.Ints("pad/paddings", {0, 0, 1, 1, 1, 1, 0, 0})}, "pad", {1, 6, 6, 2});
  tfl::Conv2DOptions conv;
  conv.activation = tfl::Activation::kRelu;
  const int32_t c1 =
      g.Op(op::kConv2D, {pad, g.Const("conv/w", {4, 3, 3, 2}, 0.5f), g.Const("conv/b", {4}, 0.2f)},
           "conv", {1, 4, 4, 4}, conv);
  tfl::DepthwiseConv2DOptions dw;
  dw.padding = tfl::Padding::kSame;
  dw.activation = tfl::Activation::kRelu6;
  const int32_t d1 = g.Op(op::kDepthwiseConv2D,
                          {c1, g.Const("dw/w", {1, 3, 3, 4}, 0.6f), g.Const("dw/b", {4}, 0.1f)},
                          "dw", {1, 4, 4, 4}, dw);
  tfl::Pool2DOptions pool;
  pool.filter_width = pool.filter_height = 2;
  pool.stride_w = pool.stride_h = 2;
  const int32_t p1 = g.Op(op::kMaxPool2D, {d1}, "maxpool", {1, 2, 2, 4}, pool);
  pool.stride_w = pool.stride_h = 1;
  const int32_t p2 = g.Op(op::kAveragePool2D, {p1}, "avgpool", {1, 1, 1, 4}, pool);
  tfl::ReshapeOptions rs;
  rs.new_shape = {1, 4};
  const int32_t r1 =
      g.Op(op::kReshape, {p2, g.Ints("reshape/shape", {1, 4})}, "reshape", {1, 4}, rs);
  const int32_t m1 =
      g.Op(op::kMean, {c1, g.Ints("mean/axes", {1, 2})}, "mean", {1, 4}, tfl::ReducerOptions{});
  tfl::ConcatenationOptions cat;
  cat.axis = 1;
  const int32_t c2 = g.Op(op::kConcatenation, {r1, m1}, "concat", {1, 8}, cat);
  const int32_t f1 =
      g.Op(op::kFullyConnected, {c2, g.Const("fc1/w", {6, 8}, 0.7f), g.Const("fc1/b", {6}, 0.3f)},
           "fc1", {1, 6}, tfl::FullyConnectedOptions{});
  const int32_t a1 =
      g.Op(op::kAdd, {f1, g.Const("add/k", {6}, 0.5f)}, "add", {1, 6}, tfl::AddOptions{});
  const int32_t relu = g.Op(op::kRelu, {a1}, "relu", {1, 6});
  const int32_t t1 = g.Op(op::kTanh, {relu}, "tanh", {1, 6});
  const int32_t s1 = g.Op(op::kLogistic, {a1}, "logistic", {1, 6});
  const int32_t mu = g.Op(op::kMul, {t1, s1}, "mul", {1, 6}, tfl::MulOptions{});
  const int32_t sb =
      g.Op(op::kSub, {mu, g.Const("sub/k", {6}, 0.2f)}, "sub", {1, 6}, tfl::SubOptions{});
  const int32_t r6 = g.Op(op::kRelu6, {sb}, "relu6", {1, 6});
  const int32_t sl = g.Op(op::kStridedSlice,
                          {r6, g.Ints("slice/begin", {0, 1}), g.Ints("slice/end", {1, 5}),
                           g.Ints("slice/strides", {1, 1})},
                          "slice", {1, 4}, tfl::StridedSliceOptions{});
  const int32_t f2 =
      g.Op(op::kFullyConnected, {sl, g.Const("fc2/w", {3, 4}, 2.0f), g.Const("fc2/b", {3}, 0.3f)},
           "fc2", {1, 3}, tfl::FullyConnectedOptions{});
  const int32_t out = g.Op(op::kSoftmax, {f2}, "probabilities", {1, 3}, tfl::SoftmaxOptions{});
  g.model().outputs = {out};
  return g.model();
}

// `n` records of `shape` (without the batch axis) uniform in [-1, 1].
inline NpyArray RandomRecords(int64_t n, std::vector<int64_t> shape, uint64_t seed) {
  shape.insert(shape.begin(), n);
  NpyArray a = NpyArray::Zeros(DType::kFloat32, shape);
  Rng rng(seed);
  for (int64_t i = 0; i < a.num_elements(); ++i) {
    a.data<float>()[i] = static_cast<float>(rng.Uniform(-1.0, 1.0));
  }
  return a;
}

}  // namespace emlkit::optimize::testing

#endif  // EMLKIT_OPTIMIZE_TESTING_GRAPHS_H_
