// Test models for the board verdicts (header-only, for board_test.cc and the device tests):
// one float FULLY_CONNECTED layer, input [1, n] -> output [1, units], zero weights.
//  - TinyModel(): n = 4, units = 3: a few hundred bytes of arena and model.
//  - WideInputModel(70000): a 280,000-byte float input plus weights of the same size: the arena
//    overflows the Nano 33 BLE's 256 KB of RAM while model + runtime fit its 1 MB of flash.
#ifndef EMLKIT_SIM_BOARD_TEST_MODELS_H_
#define EMLKIT_SIM_BOARD_TEST_MODELS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "tflite/model.h"

namespace emlkit::sim::testing {

inline tflite::Model FullyConnectedModel(int32_t n, int32_t units) {
  tflite::Model m;
  const int32_t in = m.AddTensor("in", tflite::TensorType::kFloat32, {1, n});
  const int32_t w =
      m.AddConstTensor("w", tflite::TensorType::kFloat32, {units, n},
                       std::vector<uint8_t>(static_cast<size_t>(units) * n * sizeof(float)));
  const int32_t out = m.AddTensor("out", tflite::TensorType::kFloat32, {1, units});
  tflite::Operator fc;
  fc.builtin_code = tflite::op::kFullyConnected;
  fc.inputs = {in, w, -1};
  fc.outputs = {out};
  fc.options = tflite::FullyConnectedOptions{};
  m.AddOperator(fc);
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

// The tiny model with a CUSTOM "Mystery" operator after it: emlkit's runtime cannot run it.
inline Status WriteUnsupportedModel(const std::string& path) {
  tflite::Model m = FullyConnectedModel(4, 3);
  const int32_t out = m.AddTensor("mystery", tflite::TensorType::kFloat32, {1, 3});
  tflite::Operator custom;
  custom.builtin_code = tflite::op::kCustom;
  custom.custom_code = "Mystery";
  custom.inputs = {m.outputs[0]};
  custom.outputs = {out};
  m.AddOperator(custom);
  m.outputs = {out};
  return tflite::WriteModelFile(path, m);
}

inline Status WriteTinyModel(const std::string& path) {
  return tflite::WriteModelFile(path, FullyConnectedModel(4, 3));
}
inline Status WriteWideInputModel(const std::string& path, int32_t n = 70000) {
  return tflite::WriteModelFile(path, FullyConnectedModel(n, 1));
}

}  // namespace emlkit::sim::testing

#endif  // EMLKIT_SIM_BOARD_TEST_MODELS_H_
