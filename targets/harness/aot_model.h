// The harness over ahead-of-time generated code (emlkit sim --format aot): an Interpreter
// look-alike calling the generated C API, so that replay.cc and minimal.cc run generated code
// exactly as they run the interpreter. emlkit sim generates the model as emlkit_aot_model.{h,cc}
// and emlkit_aot_io.h (kEmlkitAotInputBytes[], kEmlkitAotOutputBytes[]) in the build folder.
#ifndef EMLKIT_TARGETS_HARNESS_AOT_MODEL_H_
#define EMLKIT_TARGETS_HARNESS_AOT_MODEL_H_

#include "emlkit/runtime.h"
#include "emlkit_aot_io.h"
#include "emlkit_aot_model.h"

namespace emlkit::harness {

class AotModel {
 public:
  // The generated code has no model to read and no arena to fit: nothing can fail.
  rt::Status Init() {
    emlkit_aot_model_init();
    return rt::Status::kOk;
  }
  int num_inputs() const { return EMLKIT_AOT_MODEL_NUM_INPUTS; }
  int num_outputs() const { return EMLKIT_AOT_MODEL_NUM_OUTPUTS; }
  rt::Status Input(int i, rt::TensorView* v) const {
    v->data = emlkit_aot_model_input(i);
    v->bytes = kEmlkitAotInputBytes[i];
    return rt::Status::kOk;
  }
  rt::Status Output(int i, rt::TensorView* v) const {
    v->data = emlkit_aot_model_output(i);
    v->bytes = kEmlkitAotOutputBytes[i];
    return rt::Status::kOk;
  }
  rt::Status Invoke() {
    emlkit_aot_model_invoke();
    return rt::Status::kOk;
  }
  // Variable tensors back to their initial values (what init does).
  rt::Status ResetState() { return Init(); }
  // Generated code calls the kernels directly: no per-operator hook.
  void SetOpHook(rt::OpHook, void*) {}
  size_t arena_bytes() const { return EMLKIT_AOT_MODEL_ARENA_BYTES; }
  const rt::ErrorInfo& error() const { return error_; }

 private:
  rt::ErrorInfo error_;
};

}  // namespace emlkit::harness

#endif  // EMLKIT_TARGETS_HARNESS_AOT_MODEL_H_
