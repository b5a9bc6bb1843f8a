// The C API: thin wrappers over emlkit::rt::Interpreter. The handle is the interpreter state in
// the arena, so the C caller needs no memory besides the arena.
#include "emlkit/emlkit_runtime.h"
#include "emlkit/runtime.h"
#include "src/state.h"

namespace emlkit {
namespace rt {

struct CApi {
  static Interpreter Wrap(const emlkit_interpreter* h) {
    Interpreter i;
    i.state_ = reinterpret_cast<State*>(const_cast<emlkit_interpreter*>(h));
    return i;
  }
  static State* StateOf(const Interpreter& i) { return i.state_; }
};

namespace {

void CopyError(const ErrorInfo& e, emlkit_error* out) {
  if (out == nullptr) return;
  out->status = static_cast<emlkit_status>(e.status);
  out->what = e.what;
  out->op_index = e.op_index;
  out->op_code = e.op_code;
  out->tensor = e.tensor;
  out->got = e.got;
  out->expected = e.expected;
  out->needed = e.needed;
}

void CopyTensor(const TensorView& v, emlkit_tensor* out) {
  out->index = v.index;
  out->type = static_cast<int32_t>(v.type);
  out->rank = v.rank;
  for (int i = 0; i < kMaxRank; ++i) out->dims[i] = v.dims[i];
  out->bytes = v.bytes;
  out->data = v.data;
  out->scale = v.scale;
  out->zero_point = v.zero_point;
}

}  // namespace
}  // namespace rt
}  // namespace emlkit

using emlkit::rt::CApi;

extern "C" {

emlkit_status emlkit_init(const void* model, size_t model_size, void* arena, size_t arena_size,
                          emlkit_interpreter** out, emlkit_error* error) {
  emlkit::rt::Interpreter interp;
  const emlkit::rt::Status s = interp.Init(model, model_size, arena, arena_size);
  emlkit::rt::CopyError(interp.error(), error);
  if (out != nullptr) {
    *out = s == emlkit::rt::Status::kOk
               ? reinterpret_cast<emlkit_interpreter*>(CApi::StateOf(interp))
               : nullptr;
  }
  return static_cast<emlkit_status>(s);
}

size_t emlkit_arena_bytes(const emlkit_interpreter* h) {
  return h ? CApi::Wrap(h).arena_bytes() : 0;
}
int32_t emlkit_num_inputs(const emlkit_interpreter* h) {
  return h ? CApi::Wrap(h).num_inputs() : 0;
}
int32_t emlkit_num_outputs(const emlkit_interpreter* h) {
  return h ? CApi::Wrap(h).num_outputs() : 0;
}
int32_t emlkit_num_ops(const emlkit_interpreter* h) { return h ? CApi::Wrap(h).num_ops() : 0; }

emlkit_status emlkit_input(const emlkit_interpreter* h, int32_t i, emlkit_tensor* out) {
  if (h == nullptr || out == nullptr) return EMLKIT_INVALID_ARGUMENT;
  emlkit::rt::TensorView v;
  const emlkit::rt::Status s = CApi::Wrap(h).Input(i, &v);
  if (s == emlkit::rt::Status::kOk) emlkit::rt::CopyTensor(v, out);
  return static_cast<emlkit_status>(s);
}

emlkit_status emlkit_output(const emlkit_interpreter* h, int32_t i, emlkit_tensor* out) {
  if (h == nullptr || out == nullptr) return EMLKIT_INVALID_ARGUMENT;
  emlkit::rt::TensorView v;
  const emlkit::rt::Status s = CApi::Wrap(h).Output(i, &v);
  if (s == emlkit::rt::Status::kOk) emlkit::rt::CopyTensor(v, out);
  return static_cast<emlkit_status>(s);
}

emlkit_status emlkit_invoke(emlkit_interpreter* h) {
  if (h == nullptr) return EMLKIT_NOT_READY;
  return static_cast<emlkit_status>(CApi::Wrap(h).Invoke());
}

emlkit_status emlkit_reset_state(emlkit_interpreter* h) {
  if (h == nullptr) return EMLKIT_NOT_READY;
  return static_cast<emlkit_status>(CApi::Wrap(h).ResetState());
}

void emlkit_set_op_hook(emlkit_interpreter* h, emlkit_op_hook hook, void* user) {
  if (h != nullptr) CApi::Wrap(h).SetOpHook(hook, user);
}

const char* emlkit_op_name(int32_t builtin_code) { return emlkit::rt::BuiltinOpName(builtin_code); }

const char* emlkit_status_name(emlkit_status status) {
  return emlkit::rt::StatusName(static_cast<emlkit::rt::Status>(status));
}

}  // extern "C"
