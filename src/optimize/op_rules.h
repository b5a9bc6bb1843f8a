// How each operator is quantized to int8: the one table the quantizer (quantizer.h) follows,
// written from the TFLite quantization spec and the operator versions the TFLite converter
// writes for int8 (tensorflow/lite/tools/versioning/op_version.cc). Adding an operator means
// adding one row here (and, if it has weights, a weight axis).
//
//   output rule       calibrated: the output's own calibrated range;
//                     same as input: input and output share scale and zero point (the kernel
//                     only moves or selects values: RESHAPE, pooling, PAD, STRIDED_SLICE,
//                     CONCATENATION, and RELU6, whose TFLite Micro kernel clamps without
//                     rescaling);
//                     fixed: SOFTMAX and LOGISTIC 1/256 and -128, TANH 1/128 and 0.
//   weights           FULLY_CONNECTED and CONV_2D filters per channel along axis 0,
//                     DEPTHWISE_CONV_2D along axis 3; symmetric int8; the bias int32.
//   constant operands float constants of ADD / SUB / MUL / CONCATENATION: int8, per tensor.
#ifndef EMLKIT_OPTIMIZE_OP_RULES_H_
#define EMLKIT_OPTIMIZE_OP_RULES_H_

#include <cstdint>
#include <string>

#include "optimize/quant_math.h"

namespace emlkit::optimize {

enum class OutputRule { kCalibrated, kSameAsInputs, kFixed };

struct OpRule {
  int32_t code = 0;  // BuiltinOperator
  const char* name = "";
  OutputRule output = OutputRule::kCalibrated;
  QuantParams fixed;     // for kFixed
  int weight_axis = -1;  // >= 0: input 1 is a weight tensor quantized per channel on this axis
  bool const_operands = false;     // float constant inputs become per-tensor int8
  bool all_inputs_shared = false;  // kSameAsInputs: every input (CONCATENATION), not only input 0
  int version = 1;                 // operator version TFLite writes for the int8 op
};

// The rule for a builtin operator, or nullptr if the quantizer does not handle it.
const OpRule* FindOpRule(int32_t builtin_code);
// "ADD, AVERAGE_POOL_2D, ..." (for error messages).
std::string QuantizableOpNames();

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_OP_RULES_H_
