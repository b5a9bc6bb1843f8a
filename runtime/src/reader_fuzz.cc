// libFuzzer target: the whole device runtime on arbitrary bytes. Init reads and checks the model
// in place, prepares every operator and plans the arena; when it succeeds the model is invoked on
// zeroed inputs and every tensor is described. Any crash, sanitizer report or out-of-bounds read
// is a bug: corrupt models must only ever produce an error status.
// Seeds: fuzz/seed-reader_fuzz copies the golden models (never committed) into the corpus.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "emlkit/runtime.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Enough for every golden model (person_detect plans ~73 KB); larger plans fail cleanly.
  alignas(16) static uint8_t arena[128 * 1024];
  emlkit::rt::Interpreter interp;
  if (interp.Init(data, size, arena, sizeof(arena)) != emlkit::rt::Status::kOk) {
    // The error must name what is wrong (a static, NUL-terminated phrase).
    if (interp.error().what == nullptr || interp.error().what[0] == '\0') __builtin_trap();
    return 0;
  }
  for (int32_t i = 0; i < interp.num_inputs(); ++i) {
    emlkit::rt::TensorView v;
    if (interp.Input(i, &v) == emlkit::rt::Status::kOk && v.data != nullptr) {
      memset(v.data, 0, v.bytes);
    }
  }
  interp.Invoke();
  for (int32_t t = 0; t < interp.num_tensors(); ++t) {
    emlkit::rt::TensorView v;
    emlkit::rt::DescribeModelTensor(data, size, t, &v);
  }
  return 0;
}
