// Portable SOFTMAX kernels.
#include <math.h>

#include "kernels/fixed_point.h"
#include "kernels/softmax.h"

namespace emlkit {
namespace rt {
namespace {

constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

// Quantized softmax of `outer` rows of `depth` int8 values into OutT (int8 or int16).
template <typename OutT, int32_t kOutMin, int32_t kOutMax>
void SoftmaxQuantized(const SoftmaxRecord& r, const int8_t* input, OutT* output, int32_t* exps) {
  const int32_t depth = r.depth;
  const int exponent_base = 31 - static_cast<int>(sizeof(OutT) * 8);
  for (int32_t i = 0; i < r.outer; ++i) {
    const int8_t* x = input + i * depth;
    OutT* y = output + i * depth;
    int32_t max_in_row = x[0];
    for (int32_t c = 1; c < depth; ++c) max_in_row = x[c] > max_in_row ? x[c] : max_in_row;

    int32_t sum_of_exps = 0;  // Q12.19
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = x[c] - max_in_row;
      if (diff >= r.diff_min) {
        exps[c] = diff == 0 ? fx::kInt32Max  // exp(0): the row maximum
                            : fx::ExpOnNegativeValues<kScaledDiffIntegerBits>(
                                  fx::SaturatingRoundingDoublingHighMul(
                                      fx::WrapShl(diff, r.input_left_shift), r.input_multiplier));
        sum_of_exps =
            fx::WrapAdd(sum_of_exps, fx::RoundingDivideByPOT(exps[c], kAccumulationIntegerBits));
      }
    }
    int num_bits_over_unit = 0;
    const int32_t shifted_scale =
        fx::GetReciprocal(sum_of_exps, kAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + exponent_base;
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = x[c] - max_in_row;
      int32_t v = kOutMin;
      if (diff >= r.diff_min) {
        v = fx::RoundingDivideByPOTWide(
                fx::SaturatingRoundingDoublingHighMul(shifted_scale, exps[c]), exponent) +
            kOutMin;
        v = v > kOutMax ? kOutMax : v;
        v = v < kOutMin ? kOutMin : v;
      }
      y[c] = static_cast<OutT>(v);
    }
  }
}

}  // namespace

void EvalSoftmaxInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const SoftmaxRecord*>(record);
  SoftmaxQuantized<int8_t, -128, 127>(r, ctx.Ptr<const int8_t>(r.input), ctx.Ptr<int8_t>(r.output),
                                      ctx.Ptr<int32_t>(r.scratch));
}

uint32_t BuildSoftmaxPairTable(const SoftmaxRecord& r, SoftmaxPairTable* t) {
  // The row {127, 127 - d} through EvalSoftmaxInt8 itself, in a small arena of its own.
  SoftmaxRecord one = r;
  one.outer = 1;
  one.depth = 2;
  one.input = 0;
  one.output = 4;
  one.scratch = 8;
  int32_t arena[4];
  uint8_t* bytes = reinterpret_cast<uint8_t*>(arena);
  const EvalContext ctx{{bytes, nullptr}};
  for (int32_t d = 0; d < 256; ++d) {
    bytes[0] = 127;
    bytes[1] = static_cast<uint8_t>(127 - d);
    EvalSoftmaxInt8(ctx, &one);
    t->pairs[d][0] = static_cast<int8_t>(bytes[4]);
    t->pairs[d][1] = static_cast<int8_t>(bytes[5]);
  }
  int32_t last = 255;
  while (last > 0 && t->pairs[last - 1][0] == t->pairs[255][0] &&
         t->pairs[last - 1][1] == t->pairs[255][1]) {
    --last;
  }
  t->last = last;
  return 4 + 2 * static_cast<uint32_t>(last + 1);
}

void EvalSoftmaxInt8Pair(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const SoftmaxRecord*>(record);
  const auto& t = *reinterpret_cast<const SoftmaxPairTable*>(static_cast<const uint8_t*>(record) +
                                                             r.pair_table);
  const int8_t* x = ctx.Ptr<const int8_t>(r.input);
  int8_t* y = ctx.Ptr<int8_t>(r.output);
  const int32_t last = t.last;
  for (int32_t i = r.outer; i > 0; --i, x += 2, y += 2) {
    const int32_t d = x[0] - x[1];
    const int32_t a = d < 0 ? -d : d;
    const int8_t* p = t.pairs[a < last ? a : last];
    const int32_t big = d < 0 ? 1 : 0;  // which output is the larger value's
    y[big] = p[0];
    y[1 - big] = p[1];
  }
}

void EvalSoftmaxInt8ToInt16(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const SoftmaxRecord*>(record);
  SoftmaxQuantized<int16_t, -32768, 32767>(r, ctx.Ptr<const int8_t>(r.input),
                                           ctx.Ptr<int16_t>(r.output), ctx.Ptr<int32_t>(r.scratch));
}

void EvalSoftmaxFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const SoftmaxRecord*>(record);
  const float* input = ctx.Ptr<const float>(r.input);
  float* output = ctx.Ptr<float>(r.output);
  const int32_t depth = r.depth;
  for (int32_t i = 0; i < r.outer; ++i) {
    const float* x = input + i * depth;
    float* y = output + i * depth;
    float max = -3.402823466e+38f;
    for (int32_t c = 0; c < depth; ++c) max = x[c] > max ? x[c] : max;
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) {
      y[c] = expf((x[c] - max) * r.beta);
      sum += y[c];
    }
    for (int32_t c = 0; c < depth; ++c) y[c] = y[c] / sum;
  }
}

}  // namespace rt
}  // namespace emlkit
