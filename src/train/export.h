// Export of a fitted model to the host .tflite model (src/tflite/model.h), batch size 1, with the
// `emlkit` metadata (docs/model-metadata.md). The same fitted model gives the same bytes.
//
// Layer -> operator mapping (float32 throughout, TFLite's op versions for float):
//   dense              FULLY_CONNECTED v1 (weights [out, in], float32 bias), RELU / RELU6 fused;
//                      tanh, sigmoid, softmax as separate TANH / LOGISTIC / SOFTMAX ops (TFLite
//                      kernels apply no fused tanh)
//   conv1d             CONV_2D v1 on [1, 1, W, C] (input reshaped once), weights [F, 1, K, C],
//                      stride_h 1, the layer's stride and padding; RELU / RELU6 fused
//   maxpool1d/avgpool1d  MAX_POOL_2D / AVERAGE_POOL_2D v1, filter 1 x P, stride 1 x S, valid
//   flatten            RESHAPE v1 to [1, W * C];  gap: MEAN v1 over axes [1, 2]
//   dropout            nothing (identity at inference)
// Task heads:
//   classification     ... -> dense:K -> SOFTMAX: output "probabilities" [1, K]
//   regression         ... -> dense:k with the target scaling folded in: output "prediction"
//                      [1, k] in target units
//   anomaly            autoencoder: reconstruction r of the flattened input x, then
//                      SUB(r, x), MUL(d, d), MEAN over features: output "anomaly_score" [1, 1]
//                      k-means: FULLY_CONNECTED(x; 2C/F, -|c|^2/F) -> MAX_POOL_2D over the k
//                      clusters, FULLY_CONNECTED(x*x; 1/F) -> SUB: "anomaly_score" [1, 1] =
//                      min_k |x - c_k|^2 / F
// The input tensor is "input", [1, F] for flat records, [1, W, C] for windows.
#ifndef EMLKIT_TRAIN_EXPORT_H_
#define EMLKIT_TRAIN_EXPORT_H_

#include <nlohmann/json.hpp>

#include "tflite/model.h"
#include "train/fit.h"

namespace emlkit::train {

// The model, metadata included. Fails (kFailed) only if there are no trained weights.
Result<tflite::Model> ExportModel(const FittedModel& m);

// The `emlkit` metadata document of a fitted model (docs/model-metadata.md).
nlohmann::json ModelMetadata(const FittedModel& m);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_EXPORT_H_
