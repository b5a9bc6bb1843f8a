#include "aot/eval_names.h"

#include "kernels/activations.h"
#include "kernels/concatenation.h"
#include "kernels/conv.h"
#include "kernels/elementwise.h"
#include "kernels/mean.h"
#include "kernels/pad.h"
#include "kernels/pooling.h"
#include "kernels/quantize.h"
#include "kernels/reshape.h"
#include "kernels/softmax.h"
#include "kernels/strided_slice.h"
#include "kernels/svdf.h"

namespace emlkit::rt {
namespace {

// X(function, header stem, source stem): declared in kernels/<header>.h, defined (portable) in
// kernels/reference/<source>.cc.
// clang-format off
#define EMLKIT_AOT_EVALS(X) \
  X(EvalReluInt8, activations, activations) X(EvalRelu6Int8, activations, activations) \
  X(EvalLogisticInt8, activations, activations) X(EvalTanhInt8, activations, activations) \
  X(EvalReluFloat, activations, activations) X(EvalRelu6Float, activations, activations) \
  X(EvalLogisticFloat, activations, activations) X(EvalTanhFloat, activations, activations) \
  X(EvalConcatenation, concatenation, concatenation) \
  X(EvalConvInt8, conv, conv) X(EvalConvFloat, conv, conv) \
  X(EvalDepthwiseConvInt8, conv, depthwise_conv) X(EvalDepthwiseConvFloat, conv, depthwise_conv) \
  X(EvalAddInt8, elementwise, elementwise) X(EvalSubInt8, elementwise, elementwise) \
  X(EvalMulInt8, elementwise, elementwise) X(EvalAddFloat, elementwise, elementwise) \
  X(EvalSubFloat, elementwise, elementwise) X(EvalMulFloat, elementwise, elementwise) \
  X(EvalMeanInt8, mean, mean) X(EvalMeanFloat, mean, mean) \
  X(EvalPad, pad, pad) \
  X(EvalAveragePoolInt8, pooling, pooling) X(EvalMaxPoolInt8, pooling, pooling) \
  X(EvalAveragePoolFloat, pooling, pooling) X(EvalMaxPoolFloat, pooling, pooling) \
  X(EvalQuantizeFloatToInt8, quantize, quantize) X(EvalQuantizeFloatToInt16, quantize, quantize) \
  X(EvalRequantizeInt8ToInt8, quantize, quantize) X(EvalRequantizeInt8ToInt16, quantize, quantize) \
  X(EvalRequantizeInt8ToInt32, quantize, quantize) \
  X(EvalRequantizeInt16ToInt8, quantize, quantize) \
  X(EvalRequantizeInt16ToInt16, quantize, quantize) \
  X(EvalRequantizeInt16ToInt32, quantize, quantize) \
  X(EvalRequantizeInt32ToInt8, quantize, quantize) \
  X(EvalRequantizeInt32ToInt16, quantize, quantize) \
  X(EvalDequantizeInt8, quantize, quantize) X(EvalDequantizeUInt8, quantize, quantize) \
  X(EvalDequantizeInt16, quantize, quantize) \
  X(EvalNothing, reshape, reshape) X(EvalCopy, reshape, reshape) \
  X(EvalSoftmaxInt8, softmax, softmax) X(EvalSoftmaxInt8Pair, softmax, softmax) \
  X(EvalSoftmaxInt8ToInt16, softmax, softmax) \
  X(EvalSoftmaxFloat, softmax, softmax) \
  X(EvalStridedSlice, strided_slice, strided_slice) \
  X(EvalSvdfInt8Int16State, svdf, svdf) X(EvalSvdfInt8Int8State, svdf, svdf) \
  X(EvalSvdfFloat, svdf, svdf)
// clang-format on

#define EMLKIT_AOT_EVAL_ENTRY_(fn, header, source) \
  {&fn, #fn, "kernels/" #header ".h", "kernels/reference/" #source ".cc"},
const EvalName kEvalNames[] = {EMLKIT_AOT_EVALS(EMLKIT_AOT_EVAL_ENTRY_)};
#undef EMLKIT_AOT_EVAL_ENTRY_

}  // namespace

const EvalName* FindEvalName(EvalFn fn) {
  for (const EvalName& e : kEvalNames) {
    if (e.fn == fn) return &e;
  }
  return nullptr;
}

}  // namespace emlkit::rt
