#include "train/layer.h"

#include <cmath>

#include "train/layer_factories.h"

namespace emlkit::train {

int64_t ShapeSize(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::string ShapeText(const Shape& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

float InitLimit(Act act, int64_t fan_in, int64_t fan_out) {
  bool relu_family = act == Act::kRelu || act == Act::kRelu6;
  double denom = relu_family ? static_cast<double>(fan_in) : static_cast<double>(fan_in + fan_out);
  return static_cast<float>(std::sqrt(6.0 / denom));
}

Result<std::unique_ptr<Layer>> MakeLayer(const LayerSpec& spec, const Shape& in) {
  switch (spec.kind) {
    case LayerKind::kDense:
      return MakeDenseLayer(spec, in);
    case LayerKind::kConv1D:
      return MakeConv1DLayer(spec, in);
    case LayerKind::kMaxPool1D:
    case LayerKind::kAvgPool1D:
      return MakePool1DLayer(spec, in);
    case LayerKind::kFlatten:
    case LayerKind::kGlobalAvgPool1D:
    case LayerKind::kDropout:
    case LayerKind::kActivation:
      return MakeShapeLayer(spec, in);
    case LayerKind::kCount:
      break;
  }
  return Status::Internal("unknown layer kind");
}

}  // namespace emlkit::train
