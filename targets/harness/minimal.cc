// The deployable image emlkit sim measures (flash and RAM): the runtime, the model and the
// startup code with a main that initializes the interpreter and invokes it once on zeroed inputs,
// without the replay harness's file I/O. It is linked, never run.
#include "emlkit/runtime.h"
#include "harness/exit_codes.h"
#include "harness/harness.h"

#ifdef EMLKIT_HARNESS_AOT
#include "harness/aot_model.h"
#endif

namespace {
#ifdef EMLKIT_HARNESS_AOT
emlkit::harness::AotModel g_interp;  // generated code (emlkit sim --format aot)
#else
emlkit::rt::Interpreter g_interp;
#endif
}  // namespace

int main(int, char**) {
  using emlkit::rt::Status;
#ifdef EMLKIT_HARNESS_AOT
  const Status init = g_interp.Init();
#else
  const Status init =
      g_interp.Init(emlkit_model_data, emlkit_model_size, emlkit_arena, emlkit_arena_size);
#endif
  if (init != Status::kOk) return EMLKIT_EXIT_INIT_FAILED;
  return g_interp.Invoke() == Status::kOk ? EMLKIT_EXIT_OK : EMLKIT_EXIT_INVOKE_FAILED;
}
