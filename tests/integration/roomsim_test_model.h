// A small hand-made occupancy classifier for the thermostat-eval tests, built with the host model
// API so the model path can be tested without the training stage: one FULLY_CONNECTED layer
// (logit of "occupied" = sum w[i] * x[i] + b over the scaled record, logit of "unoccupied" = 0)
// and a SOFTMAX, with `emlkit` metadata holding the given dataset.json as its preprocessing.
#ifndef EMLKIT_TESTS_INTEGRATION_ROOMSIM_TEST_MODEL_H_
#define EMLKIT_TESTS_INTEGRATION_ROOMSIM_TEST_MODEL_H_

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "tflite/metadata.h"
#include "tflite/model.h"

namespace emlkit::testing {

inline std::vector<uint8_t> FloatBytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(float));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// `dataset_json`: the text of a dataset.json; `weights`: one per record element; `meta_patch`
// is merged into the metadata (to build broken models).
inline Status WriteLinearOccupancyModel(const std::string& path, const std::string& dataset_json,
                                        const std::vector<float>& weights, float bias,
                                        const nlohmann::json& meta_patch = nlohmann::json::object(),
                                        bool with_metadata = true) {
  int32_t n = static_cast<int32_t>(weights.size());
  tflite::Model m;
  int32_t in = m.AddTensor("record", tflite::TensorType::kFloat32, {1, n});
  std::vector<float> w(2 * weights.size(), 0.0f);  // row 0: unoccupied (zeros), row 1: occupied
  for (size_t i = 0; i < weights.size(); ++i) w[weights.size() + i] = weights[i];
  int32_t wt = m.AddConstTensor("dense/w", tflite::TensorType::kFloat32, {2, n}, FloatBytes(w));
  int32_t bt =
      m.AddConstTensor("dense/b", tflite::TensorType::kFloat32, {2}, FloatBytes({0.0f, bias}));
  int32_t logits = m.AddTensor("logits", tflite::TensorType::kFloat32, {1, 2});
  int32_t probs = m.AddTensor("probs", tflite::TensorType::kFloat32, {1, 2});
  tflite::Operator fc;
  fc.builtin_code = tflite::op::kFullyConnected;
  fc.inputs = {in, wt, bt};
  fc.outputs = {logits};
  fc.options = tflite::FullyConnectedOptions();
  m.AddOperator(fc);
  tflite::Operator sm;
  sm.builtin_code = tflite::op::kSoftmax;
  sm.inputs = {logits};
  sm.outputs = {probs};
  sm.options = tflite::SoftmaxOptions();
  m.AddOperator(sm);
  m.inputs = {in};
  m.outputs = {probs};
  if (with_metadata) {
    nlohmann::json ds = nlohmann::json::parse(dataset_json);
    nlohmann::json meta = {{"task", "classification"},
                           {"labels", ds["label"]["names"]},
                           {"feature_names", ds["feature_names"]},
                           {"input_shape", {n}},
                           {"preprocessing", ds}};
    meta.merge_patch(meta_patch);
    tflite::SetEmlkitMetadata(&m, meta);
  }
  return tflite::WriteModelFile(path, m);
}

}  // namespace emlkit::testing

#endif  // EMLKIT_TESTS_INTEGRATION_ROOMSIM_TEST_MODEL_H_
