// MACs and parameters per operator, from shapes (see op_cost.h for the counting rules).
#include "tflite/op_cost.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace emlkit::tflite {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// Builtin codes counted here beyond those in model.h's op namespace (schema BuiltinOperator).
namespace code {
inline constexpr int32_t kL2Pool2D = 12, kLstm = 16, kDiv = 42, kUnidirectionalSequenceLstm = 44,
                         kMaximum = 55, kMinimum = 57, kTransposeConv = 67, kSum = 74, kPow = 78,
                         kReduceProd = 81, kReduceMax = 82, kReduceMin = 89, kFloorDiv = 90,
                         kFloorMod = 95, kSquaredDifference = 99, kAddN = 106, kBatchMatMul = 126;
}  // namespace code

int64_t Mul(int64_t a, int64_t b) {
  if (a <= 0 || b <= 0) return 0;
  return a > kMax / b ? kMax : a * b;
}
int64_t Add(int64_t a, int64_t b) { return a > kMax - b ? kMax : a + b; }

class Shapes {
 public:
  Shapes(const Model& m, const Operator& op) : m_(m), op_(op) {}

  // Shape of the operator's k-th input / output; nullptr when absent or omitted (-1).
  const std::vector<int32_t>* In(size_t k) const { return Get(op_.inputs, k); }
  const std::vector<int32_t>* Out(size_t k) const { return Get(op_.outputs, k); }
  int64_t InElements(size_t k) const { return In(k) ? NumElements(*In(k)) : 0; }
  int64_t OutElements(size_t k) const { return Out(k) ? NumElements(*Out(k)) : 0; }
  // Dimension d of input k (negative d counts from the end); 0 when it does not exist.
  int64_t InDim(size_t k, int d) const {
    const std::vector<int32_t>* s = In(k);
    if (!s) return 0;
    int n = static_cast<int>(s->size());
    if (d < 0) d += n;
    return d >= 0 && d < n ? (*s)[d] : 0;
  }

 private:
  const std::vector<int32_t>* Get(const std::vector<int32_t>& list, size_t k) const {
    if (k >= list.size() || list[k] < 0) return nullptr;
    return &m_.tensors[list[k]].shape;
  }
  const Model& m_;
  const Operator& op_;
};

int64_t LstmMacs(const Shapes& s) {
  // Inputs: 0 input, 1-4 input-to-{input,forget,cell,output} weights [cells, inputs],
  // 5-8 recurrent-to-gate weights [cells, outputs], 16 projection weights [outputs, cells].
  // CIFG (coupled input and forget gates) omits input 1: three gates instead of four.
  int64_t cells = s.InDim(2, 0), inputs = s.InDim(2, 1), outputs = s.InDim(6, 1);
  if (cells == 0 || inputs == 0) return 0;
  int64_t gates = s.In(1) ? 4 : 3;
  int64_t steps = s.InElements(0) / inputs;  // batch x time (time is 1 for LSTM)
  int64_t per_step = Mul(Mul(gates, cells), Add(inputs, outputs));
  if (s.In(16)) per_step = Add(per_step, Mul(outputs, cells));
  return Mul(steps, per_step);
}

int64_t Macs(const Model& m, const Operator& op) {
  Shapes s(m, op);
  switch (op.builtin_code) {
    case op::kFullyConnected:
      return Mul(s.OutElements(0), s.InDim(1, -1));
    case op::kConv2D:
      return Mul(s.OutElements(0), Mul(Mul(s.InDim(1, 1), s.InDim(1, 2)), s.InDim(1, 3)));
    case op::kDepthwiseConv2D:
      return Mul(s.OutElements(0), Mul(s.InDim(1, 1), s.InDim(1, 2)));
    case code::kTransposeConv:  // inputs: output shape, weights [OC, KH, KW, IC], input
      return Mul(s.InElements(2), Mul(Mul(s.InDim(1, 0), s.InDim(1, 1)), s.InDim(1, 2)));
    case op::kAveragePool2D:
    case op::kMaxPool2D:
    case code::kL2Pool2D: {
      const auto* p = std::get_if<Pool2DOptions>(&op.options);
      return p ? Mul(s.OutElements(0), Mul(p->filter_width, p->filter_height)) : 0;
    }
    case op::kSvdf: {
      // Inputs: input [batch, in], weights_feature [filters, in], weights_time [filters, mem].
      int64_t batch = s.InDim(0, 0), filters = s.InDim(1, 0);
      return Mul(Mul(batch, filters), Add(s.InDim(1, 1), s.InDim(2, 1)));
    }
    case code::kLstm:
      return LstmMacs(s);
    case code::kUnidirectionalSequenceLstm:
      return LstmMacs(s);
    case code::kBatchMatMul:
      return Mul(s.OutElements(0), s.InDim(0, -1));
    case op::kMean:
    case code::kSum:
    case code::kReduceProd:
    case code::kReduceMax:
    case code::kReduceMin:
      return s.InElements(0);
    case op::kAdd:
    case op::kSub:
    case op::kMul:
    case code::kDiv:
    case code::kMaximum:
    case code::kMinimum:
    case code::kPow:
    case code::kFloorDiv:
    case code::kFloorMod:
    case code::kSquaredDifference:
      return s.OutElements(0);
    case code::kAddN:
      return Mul(s.OutElements(0), static_cast<int64_t>(op.inputs.size()) - 1);
    default:
      return 0;
  }
}

bool HasWeightsAndBias(int32_t builtin_code) {
  switch (builtin_code) {
    case op::kFullyConnected:
    case op::kConv2D:
    case op::kDepthwiseConv2D:
    case code::kTransposeConv:
    case op::kSvdf:
    case code::kLstm:
    case code::kUnidirectionalSequenceLstm:
      return true;
    default:
      return false;
  }
}

}  // namespace

OpCost EstimateOpCost(const Model& m, const Operator& op) {
  OpCost cost;
  cost.macs = Macs(m, op);
  for (int32_t t : op.inputs) {
    if (t < 0 || m.TensorData(t).empty()) continue;
    if (std::find(cost.param_tensors.begin(), cost.param_tensors.end(), t) !=
        cost.param_tensors.end()) {
      continue;
    }
    TensorType type = m.tensors[t].type;
    bool wide_int = type == TensorType::kInt32 || type == TensorType::kInt64;
    if (wide_int && !HasWeightsAndBias(op.builtin_code)) continue;
    cost.param_tensors.push_back(t);
    cost.params = Add(cost.params, NumElements(m.tensors[t].shape));
  }
  return cost;
}

}  // namespace emlkit::tflite
