#include <string.h>

#include "emlkit/runtime.h"
#include "src/planner.h"
#include "src/registry.h"
#include "src/state.h"

namespace emlkit {
namespace rt {
namespace {

// TFLite Micro resets int8 state to its zero point and everything else to zero.
void ResetVariable(uint8_t* p, const TensorDesc& d) {
  const int fill = d.type == TensorType::kInt8 ? static_cast<int8_t>(d.zero_point) : 0;
  memset(p, fill, d.bytes);
}

constexpr uint32_t kArenaAlign = 16;
constexpr uint32_t kMaxOps = 32000;  // lifetimes pack the first op into 15 bits

Status SetError(ErrorInfo* err, Status s, const char* what) {
  *err = ErrorInfo();
  err->status = s;
  err->what = what;
  return s;
}

void FillView(const TensorDesc& d, TensorView* out) {
  *out = TensorView();
  out->index = d.index;
  out->type = d.type;
  out->rank = d.rank;
  for (int i = 0; i < d.rank; ++i) out->dims[i] = d.dims[i];
  out->bytes = d.bytes;
  out->data = const_cast<uint8_t*>(d.data);
  out->is_constant = d.is_constant();
  out->is_variable = d.is_variable;
  out->scale = d.scale;
  out->zero_point = d.zero_point;
  out->num_scales = d.num_scales;
  out->name = d.name;
  out->name_len = d.name_len;
}

void ViewFrom(const TensorDesc& d, const State* s, TensorView* out) {
  FillView(d, out);
  const Ref e = s->table()[d.index];
  if (!d.is_constant() && e != kUnreferenced) out->data = const_cast<uint8_t*>(s->base()) + e;
}

}  // namespace

Status DescribeModelTensor(const void* model_data, size_t model_size, int32_t t, TensorView* out) {
  Model m;
  ErrorInfo err;
  EMLKIT_RT_TRY(m.Open(model_data, model_size, &err));
  TensorDesc d;
  EMLKIT_RT_TRY(m.Tensor(t, &d, &err));
  FillView(d, out);
  return Status::kOk;
}

Status Interpreter::Init(const void* model_data, size_t model_size, void* arena,
                         size_t arena_size) {
  state_ = nullptr;
  error_ = ErrorInfo();
  if (arena == nullptr) return SetError(&error_, Status::kInvalidArgument, "arena is null");
  Model model;
  EMLKIT_RT_TRY(model.Open(model_data, model_size, &error_));
  if (model.num_ops() > static_cast<int32_t>(kMaxOps)) {
    return SetError(&error_, Status::kUnsupported, "model has too many operators");
  }

  // Align the arena base; everything below is relative to it.
  const uintptr_t raw = reinterpret_cast<uintptr_t>(arena);
  const uintptr_t aligned = (raw + kArenaAlign - 1) & ~static_cast<uintptr_t>(kArenaAlign - 1);
  const size_t pad = aligned - raw;
  if (arena_size < pad + sizeof(State)) {
    error_.status = Status::kArenaTooSmall;
    error_.what = "arena too small for the interpreter state";
    error_.needed = sizeof(State);
    return Status::kArenaTooSmall;
  }
  size_t usable = arena_size - pad;
#if __SIZE_MAX__ > 0x3FFFFFF0u  // offsets must stay below 1 GiB (a 16-bit size_t cannot get there)
  if (usable > 0x3FFFFFF0u) usable = 0x3FFFFFF0u;
#endif
  State* s = reinterpret_cast<State*>(aligned);
  memset(s, 0, sizeof(State));
  s->model.p = model.data();
  s->model_size = model.size();
  s->capacity = static_cast<uint32_t>(usable);
  s->num_tensors = static_cast<uint32_t>(model.num_tensors());
  s->num_ops = static_cast<uint16_t>(model.num_ops());
  s->tensor_table = AlignUp(sizeof(State), 4);
  s->used = s->tensor_table + 4 * s->num_tensors;
  if (static_cast<uint64_t>(s->tensor_table) + 4ull * s->num_tensors > s->capacity) {
    error_.status = Status::kArenaTooSmall;
    error_.what = "arena too small for the tensor table";
    error_.needed = static_cast<uint64_t>(s->tensor_table) + 4ull * s->num_tensors;
    return Status::kArenaTooSmall;
  }
  Ref* table = s->table();
  for (uint32_t t = 0; t < s->num_tensors; ++t) table[t] = kUnreferenced;
  for (int32_t i = 0; i < model.num_inputs(); ++i) table[model.Input(i)] = PackLifetime(0, 0);
  s->records = AlignUp(s->used, 8);
  s->records_end = s->records;

  // Prepare every operator (appends its record).
  for (int32_t k = 0; k < model.num_ops(); ++k) {
    OpDesc op;
    EMLKIT_RT_TRY(model.Op(k, &op, &error_));
    s->current_op = static_cast<uint16_t>(k);
    const Registration* reg = FindRegistration(op.code);
    if (reg == nullptr) {
      error_ = ErrorInfo();
      error_.status = Status::kUnsupported;
      error_.what = op.code == 32 ? "custom operator not supported by emlkit"
                                  : "operator not supported by emlkit";
      error_.op_index = k;
      error_.op_code = op.code;
      return Status::kUnsupported;
    }
    if (op.version > reg->max_version || op.version < 1) {
      error_ = ErrorInfo();
      error_.status = Status::kUnsupported;
      error_.what = "operator version not supported by emlkit";
      error_.op_index = k;
      error_.op_code = op.code;
      error_.got = op.version;
      error_.expected = reg->max_version;
      return Status::kUnsupported;
    }
    const uint32_t before = s->records_end;
    PrepareContext ctx(model, op, s, &error_);
    EMLKIT_RT_TRY(reg->prepare(ctx));
    if (s->records_end == before) {  // every kernel must allocate exactly one record
      error_ = ErrorInfo();
      error_.status = Status::kUnsupported;
      error_.what = "kernel prepared no record (emlkit bug)";
      error_.op_index = k;
      error_.op_code = op.code;
      return Status::kUnsupported;
    }
  }

  // Model outputs stay alive to the end; they must be written by someone.
  for (int32_t i = 0; i < model.num_outputs(); ++i) {
    const int32_t t = model.Output(i);
    TensorDesc d;
    EMLKIT_RT_TRY(model.TensorStorage(t, &d, &error_));
    if (d.is_constant() || d.is_variable) continue;
    const int32_t r = Representative(s, t);
    const Ref e = table[r];
    if (e == kUnreferenced) {
      error_ = ErrorInfo();
      error_.status = Status::kCorruptModel;
      error_.what = "model output is never written by any operator";
      error_.tensor = t;
      return Status::kCorruptModel;
    }
    table[r] = PackLifetime(LifetimeFirst(e), s->num_ops);
  }

  // Variable tensors (e.g. SVDF memory) keep their values between invocations: persistent.
  for (uint32_t t = 0; t < s->num_tensors; ++t) {
    TensorDesc d;
    EMLKIT_RT_TRY(model.Tensor(static_cast<int32_t>(t), &d, &error_));
    if (!d.is_variable || d.is_constant()) continue;
    const uint32_t start = AlignUp(s->used, 4);
    if (static_cast<uint64_t>(start) + d.bytes > s->capacity) {
      error_ = ErrorInfo();
      error_.status = Status::kArenaTooSmall;
      error_.what = "arena too small for the variable tensors";
      error_.tensor = static_cast<int32_t>(t);
      error_.needed = static_cast<uint64_t>(start) + d.bytes;
      return Status::kArenaTooSmall;
    }
    table[t] = start;
    s->used = start + d.bytes;
    ResetVariable(s->base() + start, d);  // what ResetState does, without a second pass
  }

  s->transient_base = AlignUp(s->used, kArenaAlign);
  EMLKIT_RT_TRY(PlanAndLink(s, model, &error_));
  state_ = s;
  return Status::kOk;
}

size_t Interpreter::arena_bytes() const { return state_ ? state_->arena_bytes : 0; }
size_t Interpreter::persistent_bytes() const { return state_ ? state_->transient_base : 0; }
int32_t Interpreter::num_tensors() const {
  return state_ ? static_cast<int32_t>(state_->num_tensors) : 0;
}
int32_t Interpreter::num_ops() const { return state_ ? state_->num_ops : 0; }

int32_t Interpreter::num_inputs() const {
  Model m;
  if (!state_ || m.Open(state_->model.p, state_->model_size, nullptr) != Status::kOk) return 0;
  return m.num_inputs();
}

int32_t Interpreter::num_outputs() const {
  Model m;
  if (!state_ || m.Open(state_->model.p, state_->model_size, nullptr) != Status::kOk) return 0;
  return m.num_outputs();
}

Status Interpreter::Tensor(int32_t t, TensorView* out) const {
  if (!state_) return SetError(&error_, Status::kNotReady, "Init has not succeeded");
  Model m;
  EMLKIT_RT_TRY(m.Open(state_->model.p, state_->model_size, &error_));
  if (t < 0 || t >= m.num_tensors()) {
    return SetError(&error_, Status::kInvalidArgument, "tensor index out of range");
  }
  TensorDesc d;
  EMLKIT_RT_TRY(m.Tensor(t, &d, &error_));
  ViewFrom(d, state_, out);
  return Status::kOk;
}

Status Interpreter::Input(int32_t i, TensorView* out) const {
  if (!state_) return SetError(&error_, Status::kNotReady, "Init has not succeeded");
  Model m;
  EMLKIT_RT_TRY(m.Open(state_->model.p, state_->model_size, &error_));
  if (i < 0 || i >= m.num_inputs()) {
    return SetError(&error_, Status::kInvalidArgument, "model input index out of range");
  }
  return Tensor(m.Input(i), out);
}

Status Interpreter::Output(int32_t i, TensorView* out) const {
  if (!state_) return SetError(&error_, Status::kNotReady, "Init has not succeeded");
  Model m;
  EMLKIT_RT_TRY(m.Open(state_->model.p, state_->model_size, &error_));
  if (i < 0 || i >= m.num_outputs()) {
    return SetError(&error_, Status::kInvalidArgument, "model output index out of range");
  }
  return Tensor(m.Output(i), out);
}

Status Interpreter::Op(int32_t k, OpView* out) const {
  if (!state_) return SetError(&error_, Status::kNotReady, "Init has not succeeded");
  Model m;
  EMLKIT_RT_TRY(m.Open(state_->model.p, state_->model_size, &error_));
  OpDesc d;
  EMLKIT_RT_TRY(m.Op(k, &d, &error_));
  *out = OpView();
  out->index = k;
  out->builtin_code = d.code;
  out->version = d.version;
  out->num_inputs = d.num_inputs();
  out->num_outputs = d.num_outputs();
  return Status::kOk;
}

int32_t Interpreter::OpInput(int32_t k, int32_t i) const {
  Model m;
  OpDesc d;
  if (!state_ || m.Open(state_->model.p, state_->model_size, nullptr) != Status::kOk ||
      m.Op(k, &d, nullptr) != Status::kOk) {
    return -1;
  }
  return d.Input(i);
}

int32_t Interpreter::OpOutput(int32_t k, int32_t i) const {
  Model m;
  OpDesc d;
  if (!state_ || m.Open(state_->model.p, state_->model_size, nullptr) != Status::kOk ||
      m.Op(k, &d, nullptr) != Status::kOk) {
    return -1;
  }
  return d.Output(i);
}

Status Interpreter::Invoke() {
  State* s = state_;
  if (s == nullptr) return SetError(&error_, Status::kNotReady, "Init has not succeeded");
  EvalContext ctx{{s->base(), const_cast<uint8_t*>(s->model.p)}};
  const uint8_t* rec = s->base() + s->records;
  const uint32_t n = s->num_ops;
  const OpHook hook = s->hook.fn;
  if (hook == nullptr) {
    for (uint32_t k = 0; k < n; ++k) {
      const RecordHeader* h = reinterpret_cast<const RecordHeader*>(rec);
      h->eval.fn(ctx, rec);
      rec += h->size;
    }
  } else {
    void* user = s->hook_user.p;
    for (uint32_t k = 0; k < n; ++k) {
      const RecordHeader* h = reinterpret_cast<const RecordHeader*>(rec);
      hook(user, static_cast<int32_t>(k), 0);
      h->eval.fn(ctx, rec);
      hook(user, static_cast<int32_t>(k), 1);
      rec += h->size;
    }
  }
  return Status::kOk;
}

Status Interpreter::ResetState() {
  State* s = state_;
  if (s == nullptr) return SetError(&error_, Status::kNotReady, "Init has not succeeded");
  Model m;
  EMLKIT_RT_TRY(m.Open(s->model.p, s->model_size, &error_));
  for (uint32_t t = 0; t < s->num_tensors; ++t) {
    TensorDesc d;
    EMLKIT_RT_TRY(m.Tensor(static_cast<int32_t>(t), &d, &error_));
    if (!d.is_variable || d.is_constant()) continue;
    ResetVariable(s->base() + s->table()[t], d);
  }
  return Status::kOk;
}

void Interpreter::SetOpHook(OpHook hook, void* user) {
  if (state_ == nullptr) return;
  state_->hook.fn = hook;
  state_->hook_user.p = user;
}

}  // namespace rt
}  // namespace emlkit
