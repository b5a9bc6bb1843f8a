// The occupancy network through the device runtime's interpreter: the model is the C array
// emlkit_model_data / emlkit_model_size (the .tflite as const data) and the tensors live in
// emlkit_arena / emlkit_arena_size (the harness's names, targets/harness/harness.h). For the AOT
// build, compile the generated model's wrapper instead of this file.
#include <cstring>

#include "emlkit/runtime.h"
#include "harness/harness.h"
#include "model.h"
#include "thermostat_preprocess.h"

namespace thermostat {
namespace {

emlkit::rt::Interpreter g_interp;
emlkit::rt::TensorView g_in, g_out;

}  // namespace

bool ModelInit() {
  using emlkit::rt::Status;
  if (g_interp.Init(emlkit_model_data, emlkit_model_size, emlkit_arena, emlkit_arena_size) !=
      Status::kOk)
    return false;
  if (g_interp.Input(0, &g_in) != Status::kOk || g_interp.Output(0, &g_out) != Status::kOk)
    return false;
#if THERMOSTAT_INPUT_INT8
  return g_in.type == emlkit::rt::TensorType::kInt8 && g_in.bytes == THERMOSTAT_RECORD_SIZE;
#else
  return g_in.type == emlkit::rt::TensorType::kFloat32 &&
         g_in.bytes == THERMOSTAT_RECORD_SIZE * sizeof(float);
#endif
}

int32_t ModelOutputSize() {
  return static_cast<int32_t>(g_out.type == emlkit::rt::TensorType::kInt8 ? g_out.bytes
                                                                          : g_out.bytes / 4);
}

bool ModelRun(const float* record, float* scores) {
#if THERMOSTAT_INPUT_INT8
  thermostat_quantize(record, static_cast<int8_t*>(g_in.data));
#else
  std::memcpy(g_in.data, record, THERMOSTAT_RECORD_SIZE * sizeof(float));
#endif
  if (g_interp.Invoke() != emlkit::rt::Status::kOk) return false;
  const int32_t n = ModelOutputSize();
  if (g_out.type == emlkit::rt::TensorType::kInt8) {
    // As the host runner dequantizes: scale * (q - zero_point).
    const int8_t* q = static_cast<const int8_t*>(g_out.data);
    for (int32_t i = 0; i < n; ++i) scores[i] = g_out.scale * (q[i] - g_out.zero_point);
  } else {
    std::memcpy(scores, g_out.data, static_cast<size_t>(n) * sizeof(float));
  }
  return true;
}

}  // namespace thermostat
