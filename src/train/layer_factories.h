// Factories for each layer type (one file per type); MakeLayer() in layer.cc dispatches to them.
// Internal to src/train.
#ifndef EMLKIT_TRAIN_LAYER_FACTORIES_H_
#define EMLKIT_TRAIN_LAYER_FACTORIES_H_

#include <memory>

#include "train/layer.h"

namespace emlkit::train {

Result<std::unique_ptr<Layer>> MakeDenseLayer(const LayerSpec& spec, const Shape& in);
Result<std::unique_ptr<Layer>> MakeConv1DLayer(const LayerSpec& spec, const Shape& in);
Result<std::unique_ptr<Layer>> MakePool1DLayer(const LayerSpec& spec, const Shape& in);
// flatten, gap, dropout and standalone activations.
Result<std::unique_ptr<Layer>> MakeShapeLayer(const LayerSpec& spec, const Shape& in);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_LAYER_FACTORIES_H_
