#include "optimize/op_rules.h"

#include "tflite/model.h"

namespace emlkit::optimize {
namespace {

namespace op = tflite::op;

constexpr QuantParams kNone{};
constexpr QuantParams kProbability{1.0f / 256.0f, -128};  // SOFTMAX, LOGISTIC: [0, 1)
constexpr QuantParams kSymmetricUnit{1.0f / 128.0f, 0};   // TANH: [-1, 1)

// Sorted by name. Versions: op_version.cc for int8 inputs (FULLY_CONNECTED 4, raised to 5 with
// keep_num_dims by the quantizer; MUL 2, raised to 3 when its rescale is >= 1).
constexpr OpRule kRules[] = {
    {op::kAdd, "ADD", OutputRule::kCalibrated, kNone, -1, true, false, 2},
    {op::kAveragePool2D, "AVERAGE_POOL_2D", OutputRule::kSameAsInputs, kNone, -1, false, false, 2},
    {op::kConcatenation, "CONCATENATION", OutputRule::kSameAsInputs, kNone, -1, true, true, 2},
    {op::kConv2D, "CONV_2D", OutputRule::kCalibrated, kNone, 0, false, false, 3},
    {op::kDepthwiseConv2D, "DEPTHWISE_CONV_2D", OutputRule::kCalibrated, kNone, 3, false, false, 3},
    {op::kFullyConnected, "FULLY_CONNECTED", OutputRule::kCalibrated, kNone, 0, false, false, 4},
    {op::kLogistic, "LOGISTIC", OutputRule::kFixed, kProbability, -1, false, false, 2},
    {op::kMaxPool2D, "MAX_POOL_2D", OutputRule::kSameAsInputs, kNone, -1, false, false, 2},
    {op::kMean, "MEAN", OutputRule::kCalibrated, kNone, -1, false, false, 2},
    {op::kMul, "MUL", OutputRule::kCalibrated, kNone, -1, true, false, 2},
    {op::kPad, "PAD", OutputRule::kSameAsInputs, kNone, -1, false, false, 2},
    {op::kRelu, "RELU", OutputRule::kCalibrated, kNone, -1, false, false, 2},
    {op::kRelu6, "RELU6", OutputRule::kSameAsInputs, kNone, -1, false, false, 2},
    {op::kReshape, "RESHAPE", OutputRule::kSameAsInputs, kNone, -1, false, false, 1},
    {op::kSoftmax, "SOFTMAX", OutputRule::kFixed, kProbability, -1, false, false, 2},
    {op::kStridedSlice, "STRIDED_SLICE", OutputRule::kSameAsInputs, kNone, -1, false, false, 2},
    {op::kSub, "SUB", OutputRule::kCalibrated, kNone, -1, true, false, 2},
    {op::kTanh, "TANH", OutputRule::kFixed, kSymmetricUnit, -1, false, false, 2},
};

}  // namespace

const OpRule* FindOpRule(int32_t builtin_code) {
  for (const OpRule& r : kRules) {
    if (r.code == builtin_code) return &r;
  }
  return nullptr;
}

std::string QuantizableOpNames() {
  std::string s;
  for (const OpRule& r : kRules) {
    if (!s.empty()) s += ", ";
    s += r.name;
  }
  return s;
}

}  // namespace emlkit::optimize
