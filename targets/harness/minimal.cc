// The deployable image emlkit sim measures (flash and RAM): the runtime, the model and the
// startup code with a main that initializes the interpreter and invokes it once on zeroed inputs,
// without the replay harness's file I/O. It is linked, never run.
#include "emlkit/runtime.h"
#include "harness/exit_codes.h"
#include "harness/harness.h"

namespace {
emlkit::rt::Interpreter g_interp;
}  // namespace

int main(int, char**) {
  using emlkit::rt::Status;
  if (g_interp.Init(emlkit_model_data, emlkit_model_size, emlkit_arena, emlkit_arena_size) !=
      Status::kOk) {
    return EMLKIT_EXIT_INIT_FAILED;
  }
  return g_interp.Invoke() == Status::kOk ? EMLKIT_EXIT_OK : EMLKIT_EXIT_INVOKE_FAILED;
}
