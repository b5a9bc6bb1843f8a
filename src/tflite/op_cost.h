// What one operator costs: multiply-accumulates per inference and constant parameters, from the
// shapes in the model alone (nothing is run). Used by `emlkit inspect` and the model summary.
//
// MACs count the arithmetic on data, one per multiply-accumulate or per elementary operation:
//   FULLY_CONNECTED            output elements x input depth (weights [out, in])
//   CONV_2D                    output elements x KH x KW x input channels (filter [OC,KH,KW,IC])
//   DEPTHWISE_CONV_2D          output elements x KH x KW (filter [1,KH,KW,OC])
//   TRANSPOSE_CONV             input elements x KH x KW x output channels
//   AVERAGE/MAX/L2_POOL_2D     output elements x filter width x filter height
//   SVDF                       batch x filters x (input size + memory size)
//   (UNIDIRECTIONAL_SEQUENCE_)LSTM  steps x gates x cells x (inputs + outputs), + projection
//   BATCH_MATMUL               output elements x the shared (inner) dimension
//   MEAN, SUM, REDUCE_*        input elements
//   elementwise arithmetic     output elements (ADD, SUB, MUL, DIV, SQUARED_DIFFERENCE, ...)
//   everything else            0: activation functions (SOFTMAX, LOGISTIC, TANH, ...), data
//                              movement (RESHAPE, PAD, CONCATENATION, STRIDED_SLICE, ...),
//                              QUANTIZE / DEQUANTIZE / CAST, custom operators.
// Shapes that do not fit an operator (a hostile file) give 0 rather than a guess; products
// saturate at INT64_MAX.
#ifndef EMLKIT_TFLITE_OP_COST_H_
#define EMLKIT_TFLITE_OP_COST_H_

#include <cstdint>
#include <vector>

#include "tflite/model.h"

namespace emlkit::tflite {

struct OpCost {
  int64_t macs = 0;
  // Elements of the operator's parameters: its constant inputs (weights, biases, constant
  // operands), each tensor once. Integer constants of 32 or 64 bits count only as the bias of
  // a layer with weights (FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, SVDF,
  // LSTM); elsewhere they are shapes, axes or indices (RESHAPE's shape, MEAN's axes, PAD's
  // paddings, STRIDED_SLICE's begin/end/strides), not parameters.
  int64_t params = 0;
  std::vector<int32_t> param_tensors;  // the tensors counted in `params`
};

// `op` must belong to `m` and `m` must have passed ValidateModel (as every model ReadModel
// returns has).
OpCost EstimateOpCost(const Model& m, const Operator& op);

}  // namespace emlkit::tflite

#endif  // EMLKIT_TFLITE_OP_COST_H_
