// The occupancy network as the firmware calls it: one record in, class scores out. Two
// implementations, one picked by the build (one line: which .cc is compiled):
//   model_interpreter.cc  the device runtime's interpreter over the model as a C array
//                         (emlkit_model_data, what `emlkit export --format c-array` writes)
//   model_aot.cc           the generated thermostat_init / thermostat_invoke (`emlkit export
//                          --format aot --name thermostat`): the default
#ifndef THERMOSTAT_FIRMWARE_MODEL_H_
#define THERMOSTAT_FIRMWARE_MODEL_H_

#include <cstdint>

namespace thermostat {

// Prepares the network; false (with a message) when the model does not load.
bool ModelInit();
// Runs the network on one record of ModelInputSize() floats (quantized inside when the model's
// input is int8) and writes ModelOutputSize() float scores (dequantized when int8).
bool ModelRun(const float* record, float* scores);
int32_t ModelOutputSize();

}  // namespace thermostat

#endif  // THERMOSTAT_FIRMWARE_MODEL_H_
