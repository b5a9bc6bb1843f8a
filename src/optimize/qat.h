// Quantization-aware training: fine-tuning a trained float network while its forward passes see
// what the int8 model will compute, so the weights learn to live with the rounding.
//
//   forward   weights: fake-quantized int8 symmetric (per channel, as the quantizer will) before
//             every training batch; activations: a fake-quantization layer on the input and after
//             every dense, conv1d, gap and activation layer, each with its range tracked as an
//             exponential moving average of the batch min/max (decay 0.99, seeded from the first
//             batch) and quantized with the int8 asymmetric parameters of that range
//   backward  straight-through: gradients pass the rounding unchanged and are zero where the
//             value was clipped; weight gradients computed at the fake-quantized weights update
//             the float ones
//
// The result is a float network, exported and then quantized by the post-training path (which
// calibrates its ranges again on the calibration records).
#ifndef EMLKIT_OPTIMIZE_QAT_H_
#define EMLKIT_OPTIMIZE_QAT_H_

#include <cstdio>
#include <memory>

#include "common/status.h"
#include "data/dataset.h"
#include "train/fit.h"
#include "train/layer.h"

namespace emlkit::optimize {

// Fake quantization of a value x with range [lo, hi] (0 inside): int8 asymmetric parameters
// (quant_math.h), q = clamp(round(x / scale) + zp, -128, 127), x' = scale (q - zp).
float FakeQuantize(float x, float scale, int32_t zero_point);

// The activation fake-quantization layer (identity shape). Exposed for tests.
std::unique_ptr<train::Layer> MakeFakeQuantLayer(const train::Shape& shape);

struct QatOptions {
  int epochs = 5;
  bool per_channel = true;  // weights, as the quantizer will
  uint64_t seed = 0;
  FILE* log = stderr;  // one line per epoch; nullptr: silent
};

// Fine-tunes m.net with fake quantization on `ds` (as train::ContinueTraining: the model's loss,
// options and early stopping, restoring the best epoch), then refreshes m.metrics.
Result<train::LoopResult> QuantizationAwareTraining(train::FittedModel& m, const data::Dataset& ds,
                                                    const QatOptions& options);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_QAT_H_
