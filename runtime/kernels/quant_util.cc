#include "kernels/quant_util.h"

#include <cmath>

namespace emlkit::rt {

void QuantizeMultiplier(double m, int32_t* multiplier, int32_t* shift) {
  if (m == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double q = std::frexp(m, &exponent);
  int64_t q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
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

Status ComputeMultiplier(PrepareContext& ctx, double m, int32_t* multiplier, int32_t* shift,
                         int32_t tensor) {
  if (!(m > 0.0) || !std::isfinite(m)) {
    return ctx.Fail(Status::kCorruptModel, "quantization scales give a non-positive rescale",
                    tensor);
  }
  QuantizeMultiplier(m, multiplier, shift);
  if (*shift > 30) {
    return ctx.Fail(Status::kUnsupported, "quantization scales give a rescale above 2^30", tensor,
                    *shift, 30);
  }
  return Status::kOk;
}

float RoundHalfAway(float x) { return std::round(x); }

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
  if (!(t.scale > 0.0f) || !std::isfinite(t.scale)) {
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

}  // namespace emlkit::rt
