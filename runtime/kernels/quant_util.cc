#include "kernels/quant_util.h"

#include <math.h>
#include <string.h>

#include "kernels/fixed_point.h"

namespace emlkit {
namespace rt {

namespace {

// A positive finite float as significand * 2^exponent with the significand in [2^23, 2^24)
// (subnormals normalized).
struct Unpacked {
  uint32_t significand;
  int exponent;
};

Unpacked Unpack(float f) {
  uint32_t bits = 0;
  memcpy(&bits, &f, sizeof(bits));
  const uint32_t biased = (bits >> 23) & 0xff;
  Unpacked u{bits & 0x7fffffu, biased == 0 ? -149 : static_cast<int>(biased) - 150};
  if (biased != 0) u.significand |= 0x800000u;
  const int normalize = fx::CountLeadingZeros32(u.significand) - 8;
  u.significand <<= normalize;
  u.exponent -= normalize;
  return u;
}

bool PositiveFinite(float f) { return f > 0.0f && f <= 3.402823466e+38f; }

}  // namespace

void QuantizeScaleRatio(float a, float b, float c, int pow2, int32_t* multiplier, int32_t* shift) {
  const Unpacked ua = Unpack(a), ub = Unpack(b), uc = Unpack(c);
  // double(a) * double(b) is exact: a 47- or 48-bit integer p times 2^e.
  const uint64_t p = static_cast<uint64_t>(ua.significand) * ub.significand;
  // q = floor(p * 2^32 / c's significand), by 8-bit long division (the remainder stays below
  // 2^24, so every step is a 32-bit division). p / significand is in (2^22, 2^25), so q has
  // 55 to 57 bits; the remainder is the sticky bit of the double division.
  const uint32_t divisor = uc.significand;
  uint32_t rem = 0;
  uint64_t q = 0;
  for (int byte = 9; byte >= 0; --byte) {
    const uint32_t next = byte >= 4 ? static_cast<uint32_t>(p >> (8 * (byte - 4))) & 0xffu : 0u;
    const uint32_t cur = (rem << 8) | next;
    q = (q << 8) | (cur / divisor);
    rem = cur % divisor;
  }
  // Round q to a 53-bit significand, to nearest even (IEEE double division).
  int drop = (64 - __builtin_clzll(q)) - 53;
  const uint64_t half = uint64_t{1} << (drop - 1);
  const uint64_t low = q & ((uint64_t{1} << drop) - 1);
  uint64_t m = q >> drop;
  if (low > half || (low == half && (rem != 0 || (m & 1) != 0))) ++m;
  if (m == (uint64_t{1} << 53)) {
    m >>= 1;
    ++drop;
  }
  // The double is m * 2^(e - 32 + drop); frexp's fraction is m / 2^53, so TFLite's
  // round(fraction * 2^31) rounds m / 2^22 half away from zero.
  int exponent = ua.exponent + ub.exponent - uc.exponent + pow2 - 32 + drop + 53;
  int64_t q_fixed = static_cast<int64_t>((m + (uint64_t{1} << 21)) >> 22);
  if (q_fixed == (int64_t{1} << 31)) {
    q_fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    exponent = 0;
    q_fixed = 0;
  }
  *multiplier = static_cast<int32_t>(q_fixed);
  *shift = exponent;
}

Status ComputeMultiplier(PrepareContext& ctx, float a, float b, float c, int pow2,
                         int32_t* multiplier, int32_t* shift, int32_t tensor) {
  if (!PositiveFinite(a) || !PositiveFinite(b) || !PositiveFinite(c)) {
    return ctx.Fail(Status::kCorruptModel, "quantization scales give a non-positive rescale",
                    tensor);
  }
  QuantizeScaleRatio(a, b, c, pow2, multiplier, shift);
  if (*shift > 30) {
    return ctx.Fail(Status::kUnsupported, "quantization scales give a rescale above 2^30", tensor,
                    *shift, 30);
  }
  return Status::kOk;
}

float RoundHalfAway(float x) { return roundf(x); }

int32_t TypeMin(TensorType t) {
  switch (t) {
    case TensorType::kInt8:
      return -128;
    case TensorType::kInt16:
      return -32768;
    case TensorType::kUInt8:
      return 0;
    default:
      return -2147483647 - 1;
  }
}

int32_t TypeMax(TensorType t) {
  switch (t) {
    case TensorType::kInt8:
      return 127;
    case TensorType::kInt16:
      return 32767;
    case TensorType::kUInt8:
      return 255;
    default:
      return 2147483647;
  }
}

Status QuantizedActivationRange(PrepareContext& ctx, Activation act, const TensorDesc& out,
                                int32_t* act_min, int32_t* act_max) {
  const int32_t qmin = TypeMin(out.type), qmax = TypeMax(out.type);
  auto quantize = [&](float f) {
    return out.zero_point + static_cast<int32_t>(RoundHalfAway(f / out.scale));
  };
  switch (act) {
    case Activation::kNone:
      *act_min = qmin;
      *act_max = qmax;
      return Status::kOk;
    case Activation::kRelu:
      *act_min = quantize(0.0f) > qmin ? quantize(0.0f) : qmin;
      *act_max = qmax;
      return Status::kOk;
    case Activation::kRelu6:
      *act_min = quantize(0.0f) > qmin ? quantize(0.0f) : qmin;
      *act_max = quantize(6.0f) < qmax ? quantize(6.0f) : qmax;
      return Status::kOk;
    case Activation::kReluN1To1:
      *act_min = quantize(-1.0f) > qmin ? quantize(-1.0f) : qmin;
      *act_max = quantize(1.0f) < qmax ? quantize(1.0f) : qmax;
      return Status::kOk;
    default:
      return ctx.Fail(Status::kUnsupported, "fused activation not supported for this operator",
                      out.index, static_cast<int64_t>(act));
  }
}

Status FloatActivationRange(PrepareContext& ctx, Activation act, float* act_min, float* act_max) {
  constexpr float kMax = 3.402823466e+38f;
  switch (act) {
    case Activation::kNone:
      *act_min = -kMax;
      *act_max = kMax;
      return Status::kOk;
    case Activation::kRelu:
      *act_min = 0.0f;
      *act_max = kMax;
      return Status::kOk;
    case Activation::kRelu6:
      *act_min = 0.0f;
      *act_max = 6.0f;
      return Status::kOk;
    case Activation::kReluN1To1:
      *act_min = -1.0f;
      *act_max = 1.0f;
      return Status::kOk;
    default:
      return ctx.Fail(Status::kUnsupported, "fused activation not supported for this operator", -1,
                      static_cast<int64_t>(act));
  }
}

Status CheckPerTensorQuant(PrepareContext& ctx, const TensorDesc& t) {
  if (t.num_scales == 0) {
    return ctx.Fail(Status::kUnsupported, "quantized tensor has no quantization parameters",
                    t.index);
  }
  if (!(t.scale > 0.0f) || !isfinite(t.scale)) {
    return ctx.Fail(Status::kCorruptModel, "quantization scale must be positive and finite",
                    t.index);
  }
  if (t.zero_point < TypeMin(t.type) || t.zero_point > TypeMax(t.type)) {
    return ctx.Fail(Status::kCorruptModel, "zero point outside the tensor type's range", t.index,
                    t.zero_point);
  }
  return Status::kOk;
}

Status CheckType(PrepareContext& ctx, const TensorDesc& t, TensorType type) {
  if (t.type != type) {
    return ctx.Fail(Status::kUnsupported, "tensor type not supported here", t.index,
                    static_cast<int64_t>(t.type), static_cast<int64_t>(type));
  }
  return Status::kOk;
}

Status CheckSameElements(PrepareContext& ctx, const TensorDesc& a, const TensorDesc& b) {
  if (a.elements != b.elements) {
    return ctx.Fail(Status::kCorruptModel, "input and output sizes differ", b.index, b.elements,
                    a.elements);
  }
  return Status::kOk;
}

Status ReadActivation(PrepareContext& ctx, const fb::Table& options, bool present, int field,
                      Activation* out) {
  int8_t v = 0;
  EMLKIT_RT_TRY(ctx.Option<int8_t>(options, present, field, 0, &v));
  if (v < 0 || v > 5) return ctx.Fail(Status::kCorruptModel, "unknown fused activation", -1, v);
  *out = static_cast<Activation>(v);
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
