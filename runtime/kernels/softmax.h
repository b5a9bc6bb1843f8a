// SOFTMAX over the last dimension.
//
// int8 input follows TFLite's quantized Softmax exactly: differences to the row maximum are
// rescaled to Q5.26 by (input_scale * beta), exponentiated with the fixed-point
// exp_on_negative_values, summed in Q12.19, and multiplied by the fixed-point reciprocal of the
// sum; outputs are int8 (scale 1/256, zero point -128) or int16 (scale 1/65536, zero point
// -32768). Differences below diff_min contribute nothing and give the minimum output.
// float32 computes exp((x - max) * beta) / sum like TFLite's reference.
#ifndef EMLKIT_RUNTIME_KERNELS_SOFTMAX_H_
#define EMLKIT_RUNTIME_KERNELS_SOFTMAX_H_

#include <stdint.h>

#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct SoftmaxRecord {
  RecordHeader h;
  Ref input, output, scratch;  // scratch: int32[depth] (quantized only)
  int32_t outer;               // rows
  int32_t depth;               // elements per row
  int32_t input_multiplier;
  int32_t input_left_shift;
  int32_t diff_min;
  float beta;
  uint32_t pair_table;  // offset (from the record start) of a SoftmaxPairTable that generated
                        // code appends for int8 rows of 2 (EvalSoftmaxInt8Pair); else 0
};

void EvalSoftmaxFloat(const EvalContext& ctx, const void* record);
void EvalSoftmaxInt8(const EvalContext& ctx, const void* record);
void EvalSoftmaxInt8ToInt16(const EvalContext& ctx, const void* record);

// int8 SOFTMAX of rows of 2 values by table. The two outputs depend only on |x0 - x1| (0..255):
// entry d holds {output of the larger value, output of the smaller} as EvalSoftmaxInt8 computes
// them for the row {127, 127 - d}, so the table is its arithmetic by construction. Entries stop
// at `last`, from which on they are all equal (larger differences read entry `last`).
struct SoftmaxPairTable {
  int32_t last;          // 0..255
  int8_t pairs[256][2];  // [0 .. last] used
};
// Fills *t from the record's quantized parameters (depth must be 2); returns the bytes of *t
// that are used (4 + 2 * (last + 1)).
uint32_t BuildSoftmaxPairTable(const SoftmaxRecord& r, SoftmaxPairTable* t);
// The Eval for int8 -> int8 records of depth 2 with pair_table set.
void EvalSoftmaxInt8Pair(const EvalContext& ctx, const void* record);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_SOFTMAX_H_
