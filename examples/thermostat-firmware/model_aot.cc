// The occupancy network as ahead-of-time generated code (the default engine of `emlkit
// export`): `emlkit export MODEL --format aot --name thermostat` writes thermostat.h /
// thermostat.cc (thermostat_init, thermostat_invoke, the input and output buffers in a static
// arena of exactly the planned size, the weights and operator records as const data) beside the
// preprocessing thermostat_preprocess.{h,cc}. No interpreter, model parser or op registry is
// linked: only the kernels the model calls. model_interpreter.cc is the other implementation.
#include <cstring>

#include "model.h"
#include "thermostat.h"
#include "thermostat_preprocess.h"

namespace thermostat {

bool ModelInit() {
  thermostat_init();
#if THERMOSTAT_INPUT_INT8
  return THERMOSTAT_INPUT0_TYPE == 9 && THERMOSTAT_INPUT0_BYTES == THERMOSTAT_RECORD_SIZE;
#else
  return THERMOSTAT_INPUT0_TYPE == 0 &&
         THERMOSTAT_INPUT0_BYTES == THERMOSTAT_RECORD_SIZE * sizeof(float);
#endif
}

int32_t ModelOutputSize() { return THERMOSTAT_OUTPUT0_ELEMENTS; }

bool ModelRun(const float* record, float* scores) {
#if THERMOSTAT_INPUT_INT8
  thermostat_quantize(record, static_cast<int8_t*>(thermostat_input(0)));
#else
  std::memcpy(thermostat_input(0), record, THERMOSTAT_RECORD_SIZE * sizeof(float));
#endif
  thermostat_invoke();
#if THERMOSTAT_OUTPUT0_TYPE == 9
  // As the host runner dequantizes: scale * (q - zero_point).
  const int8_t* q = static_cast<const int8_t*>(thermostat_output(0));
  for (int32_t i = 0; i < THERMOSTAT_OUTPUT0_ELEMENTS; ++i)
    scores[i] = THERMOSTAT_OUTPUT0_SCALE * (q[i] - THERMOSTAT_OUTPUT0_ZERO_POINT);
#else
  std::memcpy(scores, thermostat_output(0), THERMOSTAT_OUTPUT0_BYTES);
#endif
  return true;
}

}  // namespace thermostat
