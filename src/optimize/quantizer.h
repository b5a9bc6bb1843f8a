// Full-integer post-training quantization of a float .tflite model (the host model, model.h):
// the graph rewrite that follows the TFLite quantization spec and emits only what TFLite Micro
// (and emlkit's runtime) runs — never hybrid or float16 models.
//
//   EMLKIT_RETURN_IF_ERROR(CheckQuantizable(float_model, "m.tflite"));     // before calibrating
//   ... calibrate (calibration.h), choose ranges (range.h) ...
//   EMLKIT_ASSIGN_OR_RETURN(tflite::Model q, QuantizeModel(float_model, ranges, options));
//
// The int8 model keeps the float model's operators in order and every tensor at its index (so
// layers of the two models can be compared tensor by tensor); tensors the rewrite adds (the int8
// sides of QUANTIZE / DEQUANTIZE edges, copies of a shared bias) come after them. Activations
// become int8 with the scale and zero point of their range (op_rules.h says which ops share or
// fix them), weights int8 symmetric, biases int32. Operator versions are those the TFLite
// converter writes for int8. Metadata is copied except TFLite's converter entries
// (min_runtime_version, CONVERSION_METADATA), which describe the float conversion; the caller
// updates the `emlkit` entry.
#ifndef EMLKIT_OPTIMIZE_QUANTIZER_H_
#define EMLKIT_OPTIMIZE_QUANTIZER_H_

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"
#include "optimize/range.h"
#include "tflite/model.h"

namespace emlkit::optimize {

struct QuantizeOptions {
  bool per_channel = true;  // weights per output channel (false: one scale per weight tensor)
  // false (default): the model's inputs and outputs are int8 (the device quantizes its inputs
  // with the input's scale and zero point). true: they stay float32, with a QUANTIZE op after
  // each input and a DEQUANTIZE op before each output.
  bool float_io = false;
};

// Refuses (InvalidArgument, exit code 2) what the quantizer cannot or must not rewrite, naming
// the model, operator and tensor: a model that is already quantized (any int8 / uint8 / int16 /
// float16 tensor or quantization parameters), an operator outside op_rules.h ("op 2
// (UNIDIRECTIONAL_SEQUENCE_LSTM) is not handled by emlkit quantize"), activations that are not
// float32, float constants where the operator takes none.
Status CheckQuantizable(const tflite::Model& model, const std::string& name);

// Activation tensor index -> the real range to quantize it to. Must hold every non-constant
// tensor of the model (CollectActivationStats observes exactly those).
using ActivationRanges = std::map<int32_t, Range>;

// The int8 model. CheckQuantizable must have passed. Fails (kInvalidArgument) only when a range
// is missing or two fixed requirements conflict (e.g. a tensor that is both a SOFTMAX and a
// TANH output through shared-parameter ops).
Result<tflite::Model> QuantizeModel(const tflite::Model& model, const ActivationRanges& ranges,
                                    const QuantizeOptions& options, const std::string& name);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_QUANTIZER_H_
