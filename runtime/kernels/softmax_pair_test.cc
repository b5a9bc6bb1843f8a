// The 2-class int8 SOFTMAX table generated code uses (BuildSoftmaxPairTable, EvalSoftmaxInt8Pair)
// against EvalSoftmaxInt8 (TFLite's arithmetic) for every pair of int8 inputs, at input scales
// from tiny (the table is long) to large (it stops after a few entries).
#include <gtest/gtest.h>

#include <cstring>

#include "kernels/quant_util.h"
#include "kernels/softmax.h"

namespace emlkit {
namespace rt {
namespace {

struct PairRecord {
  SoftmaxRecord r;
  SoftmaxPairTable table;
};

TEST(SoftmaxPair, TableEqualsTheQuantizedSoftmaxForEveryInputPair) {
  for (const float scale : {0.002f, 0.02f, 0.0625f, 0.1f, 0.37f, 1.0f, 6.0f}) {
    PairRecord p;
    std::memset(&p, 0, sizeof(p));
    SoftmaxRecord& r = p.r;
    r.input = 0;
    r.output = 8;
    r.scratch = 16;
    r.outer = 1;
    r.depth = 2;
    r.beta = 1.0f;
    // As PrepareOp_SOFTMAX: beta * scale in Q5.26, and the radius below which exps vanish.
    int32_t shift = 0;
    QuantizeScaleRatio(1.0f, scale, 1.0f, 26, &r.input_multiplier, &shift);
    ASSERT_GE(shift, 0);
    r.input_left_shift = shift;
    r.diff_min = -static_cast<int32_t>((uint32_t{31} << 26) >> shift);
    r.pair_table = static_cast<uint32_t>(offsetof(PairRecord, table));
    const uint32_t bytes = BuildSoftmaxPairTable(r, &p.table);
    EXPECT_EQ(bytes, 4 + 2 * static_cast<uint32_t>(p.table.last + 1));
    if (scale >= 1.0f) {
      EXPECT_LT(p.table.last, 20) << scale;
    }
    alignas(8) uint8_t arena[32];
    EvalContext ctx{{arena, nullptr}};
    int differ = 0;
    for (int32_t a = -128; a <= 127; ++a) {
      for (int32_t b = -128; b <= 127; ++b) {
        arena[0] = static_cast<uint8_t>(a);
        arena[1] = static_cast<uint8_t>(b);
        EvalSoftmaxInt8(ctx, &r);
        const int8_t want0 = static_cast<int8_t>(arena[8]), want1 = static_cast<int8_t>(arena[9]);
        EvalSoftmaxInt8Pair(ctx, &p);
        ASSERT_EQ(static_cast<int8_t>(arena[8]), want0) << scale << ": " << a << ", " << b;
        ASSERT_EQ(static_cast<int8_t>(arena[9]), want1) << scale << ": " << a << ", " << b;
        differ += want0 != want1;
      }
    }
    EXPECT_GT(differ, 0);
  }
}

}  // namespace
}  // namespace rt
}  // namespace emlkit
