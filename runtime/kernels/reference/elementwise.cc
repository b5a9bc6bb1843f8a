// Portable ADD / SUB / MUL kernels.
#include "kernels/elementwise.h"
#include "kernels/fixed_point.h"

namespace emlkit {
namespace rt {
namespace {

// Applies f(a, b) over the output, following the broadcast strides when needed.
template <typename T, typename F>
void Binary(const EvalContext& ctx, const BinaryRecord& r, F f) {
  const T* a = ctx.Ptr<const T>(r.input1);
  const T* b = ctx.Ptr<const T>(r.input2);
  T* y = ctx.Ptr<T>(r.output);
  if (!r.broadcast) {
    for (uint32_t i = 0; i < r.count; ++i) y[i] = f(a[i], b[i]);
    return;
  }
  int32_t idx[6] = {0, 0, 0, 0, 0, 0};
  int32_t ia = 0, ib = 0;
  for (uint32_t i = 0; i < r.count; ++i) {
    y[i] = f(a[ia], b[ib]);
    for (int d = 5; d >= 0; --d) {  // odometer increment over the output index
      ia += r.stride1[d];
      ib += r.stride2[d];
      if (++idx[d] < r.dims[d]) break;
      ia -= r.stride1[d] * r.dims[d];
      ib -= r.stride2[d] * r.dims[d];
      idx[d] = 0;
    }
  }
}

// The rescaled input of an int8 ADD/SUB (TFLite's left_shift + SmallerThanOne multiplier).
inline int32_t ScaledInput(int32_t q, int32_t offset, int32_t left_shift, int32_t multiplier,
                           int32_t shift) {
  return fx::RoundingDivideByPOT(
      fx::SaturatingRoundingDoublingHighMul(fx::WrapShl(q + offset, left_shift), multiplier),
      -shift);
}

inline int8_t ClampInt8(int32_t v, const BinaryRecord& r) {
  return static_cast<int8_t>(v < r.act_min ? r.act_min : (v > r.act_max ? r.act_max : v));
}

inline float ClampFloat(float v, const BinaryRecord& r) {
  return v < r.f_act_min ? r.f_act_min : (v > r.f_act_max ? r.f_act_max : v);
}

template <bool kSubtract>
void AddSubInt8(const EvalContext& ctx, const BinaryRecord& r) {
  auto finish = [&r](int32_t sa, int32_t sb) {
    const int32_t raw = kSubtract ? fx::WrapSub(sa, sb) : fx::WrapAdd(sa, sb);
    const int32_t out =
        fx::RoundingDivideByPOT(fx::SaturatingRoundingDoublingHighMul(raw, r.output_multiplier),
                                -r.output_shift) +
        r.output_offset;
    return ClampInt8(out, r);
  };
  if (r.lut == kNoRef) {
    Binary<int8_t>(ctx, r, [&](int8_t a, int8_t b) {
      return finish(
          ScaledInput(a, r.input1_offset, r.left_shift, r.input1_multiplier, r.input1_shift),
          ScaledInput(b, r.input2_offset, r.left_shift, r.input2_multiplier, r.input2_shift));
    });
    return;
  }
  int32_t* lut_a = ctx.Ptr<int32_t>(r.lut);  // indexed by the input byte as uint8
  int32_t* lut_b = lut_a + 256;
  for (int32_t v = -128; v < 128; ++v) {
    const uint8_t i = static_cast<uint8_t>(v);
    lut_a[i] = ScaledInput(v, r.input1_offset, r.left_shift, r.input1_multiplier, r.input1_shift);
    lut_b[i] = ScaledInput(v, r.input2_offset, r.left_shift, r.input2_multiplier, r.input2_shift);
  }
  Binary<int8_t>(ctx, r, [&](int8_t a, int8_t b) {
    return finish(lut_a[static_cast<uint8_t>(a)], lut_b[static_cast<uint8_t>(b)]);
  });
}

}  // namespace

void EvalAddInt8(const EvalContext& ctx, const void* record) {
  AddSubInt8<false>(ctx, *static_cast<const BinaryRecord*>(record));
}

void EvalSubInt8(const EvalContext& ctx, const void* record) {
  AddSubInt8<true>(ctx, *static_cast<const BinaryRecord*>(record));
}

void EvalMulInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const BinaryRecord*>(record);
  Binary<int8_t>(ctx, r, [&r](int8_t a, int8_t b) {
    const int32_t prod = (a + r.input1_offset) * (b + r.input2_offset);
    return ClampInt8(fx::MultiplyByQuantizedMultiplier(prod, r.output_multiplier, r.output_shift) +
                         r.output_offset,
                     r);
  });
}

void EvalAddFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const BinaryRecord*>(record);
  Binary<float>(ctx, r, [&r](float a, float b) { return ClampFloat(a + b, r); });
}

void EvalSubFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const BinaryRecord*>(record);
  Binary<float>(ctx, r, [&r](float a, float b) { return ClampFloat(a - b, r); });
}

void EvalMulFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const BinaryRecord*>(record);
  Binary<float>(ctx, r, [&r](float a, float b) { return ClampFloat(a * b, r); });
}

}  // namespace rt
}  // namespace emlkit
