#include <string.h>

#include "kernels/kernel.h"
#include "src/state.h"

namespace emlkit {
namespace rt {

Status PrepareContext::Fail(Status s, const char* what, int32_t tensor, int64_t got,
                            int64_t expected) {
  *err_ = ErrorInfo();
  err_->status = s;
  err_->what = what;
  err_->op_index = op_.index;
  err_->op_code = op_.code;
  err_->tensor = tensor;
  err_->got = got;
  err_->expected = expected;
  return s;
}

Status PrepareContext::CheckArity(int32_t min_inputs, int32_t max_inputs, int32_t outputs) {
  if (num_inputs() < min_inputs || num_inputs() > max_inputs) {
    return Fail(Status::kCorruptModel, "wrong number of operator inputs", -1, num_inputs(),
                min_inputs);
  }
  if (num_outputs() != outputs) {
    return Fail(Status::kCorruptModel, "wrong number of operator outputs", -1, num_outputs(),
                outputs);
  }
  return Status::kOk;
}

Status PrepareContext::OptionalInput(int32_t i, TensorDesc* out, bool* present) {
  const int32_t t = op_.Input(i);
  *present = t >= 0;
  if (t < 0) {
    out->Reset(-1);
    return Status::kOk;
  }
  const Status s = model_.Tensor(t, out, err_);
  if (s != Status::kOk) {
    err_->op_index = op_.index;
    err_->op_code = op_.code;
    return s;
  }
  if (!out->is_constant() && !out->is_variable && state_->table()[t] == kUnreferenced) {
    return Fail(Status::kCorruptModel, "operator reads a tensor that no earlier operator writes",
                t);
  }
  Remember(t, *out);
  return Status::kOk;
}

void PrepareContext::Remember(int32_t t, const TensorDesc& d) {
  if (num_seen_ == kSeen) return;
  seen_tensor_[num_seen_] = t;
  seen_activation_[num_seen_] = !d.is_constant() && !d.is_variable;
  ++num_seen_;
}

Status PrepareContext::Input(int32_t i, TensorDesc* out) {
  bool present = false;
  EMLKIT_RT_TRY(OptionalInput(i, out, &present));
  if (!present) return Fail(Status::kCorruptModel, "required operator input is missing", -1, i);
  return Status::kOk;
}

Status PrepareContext::Output(int32_t i, TensorDesc* out) {
  const int32_t t = op_.Output(i);
  if (t < 0) return Fail(Status::kCorruptModel, "operator output is missing", -1, i);
  const Status s = model_.Tensor(t, out, err_);
  if (s != Status::kOk) {
    err_->op_index = op_.index;
    err_->op_code = op_.code;
    return s;
  }
  if (out->is_constant()) return Fail(Status::kCorruptModel, "operator writes a constant", t);
  if (out->is_variable) return Fail(Status::kUnsupported, "operator output is a variable", t);
  Ref& e = state_->table()[t];
  if (e != kUnreferenced) {
    return Fail(Status::kCorruptModel, "tensor is written by two operators (or is a model input)",
                t);
  }
  e = PackLifetime(state_->current_op, state_->current_op);
  Remember(t, *out);
  return Status::kOk;
}

Status PrepareContext::Options(uint8_t type, fb::Table* out, bool* present) {
  *present = op_.options_type != 0;
  if (!*present) return Status::kOk;
  if (op_.options_type != type) {
    return Fail(Status::kCorruptModel, "operator options have the wrong type", -1, op_.options_type,
                type);
  }
  *out = op_.options;
  return Status::kOk;
}

void* PrepareContext::AllocRecordRaw(EvalFn fn, int num_refs, uint32_t bytes) {
  const uint32_t start = AlignUp(state_->used, 8);
  const uint32_t size = AlignUp(bytes, 8);
  if (size > 0xFFFFu) {
    Fail(Status::kUnsupported, "operator needs more than 64 KiB of parameters", -1, size, 0xFFFF);
    return nullptr;
  }
  if (static_cast<uint64_t>(start) + size > state_->capacity) {
    Fail(Status::kArenaTooSmall, "arena too small for the operator data", -1,
         static_cast<int64_t>(start) + size, state_->capacity);
    err_->needed = static_cast<uint64_t>(start) + size;
    return nullptr;
  }
  uint8_t* p = state_->base() + start;
  memset(p, 0, size);
  RecordHeader* h = reinterpret_cast<RecordHeader*>(p);
  h->eval.fn = fn;
  h->size = static_cast<uint16_t>(size);
  h->num_refs = static_cast<uint8_t>(num_refs);
  Ref* refs = reinterpret_cast<Ref*>(h + 1);
  for (int i = 0; i < num_refs; ++i) refs[i] = kNoRef;
  state_->used = start + size;
  state_->records_end = state_->used;
  last_record_ = h;
  return p;
}

Ref PrepareContext::TensorRef(int32_t t) {
  if (t < 0) return kNoRef;
  int seen = 0;
  while (seen < num_seen_ && seen_tensor_[seen] != t) ++seen;
  bool activation = false;
  if (seen < num_seen_) {
    activation = seen_activation_[seen];
  } else {
    TensorDesc d;
    activation = model_.Tensor(t, &d, nullptr) == Status::kOk && !d.is_constant() && !d.is_variable;
  }
  if (activation) {
    const int32_t r = Representative(state_, t);
    Ref& e = state_->table()[r];
    const uint32_t k = state_->current_op;
    if (e == kUnreferenced) {
      e = PackLifetime(k, k);
    } else {
      uint32_t first = LifetimeFirst(e), last = LifetimeLast(e);
      if (k < first) first = k;
      if (k > last) last = k;
      e = PackLifetime(first, last);
    }
  }
  return static_cast<Ref>(t);
}

Ref PrepareContext::ScratchRef(uint32_t bytes) {
  if (bytes >= kScratchRefBit) {
    Fail(Status::kUnsupported, "scratch buffer larger than 1 GiB", -1, bytes);
    return kNoRef;
  }
  return kScratchRefBit | bytes;
}

void PrepareContext::AllowInPlace(int in_slot, int out_slot) {
  if (last_record_ == nullptr || in_slot >= last_record_->num_refs ||
      out_slot >= last_record_->num_refs) {
    return;
  }
  uint32_t& v = last_record_->in_place;
  v = (v & ~0xFFu) | static_cast<uint32_t>(out_slot + 1);
  const uint32_t in = static_cast<uint32_t>(in_slot + 1);
  if (((v >> 8) & 0xFF) == 0) {
    v |= in << 8;
  } else if (((v >> 16) & 0xFF) == 0) {
    v |= in << 16;
  }
}

Status PrepareContext::AliasOutput(int32_t out, int32_t in) {
  Ref* table = state_->table();
  const int32_t rep = Representative(state_, in);
  if (rep == out) return Status::kOk;
  const Ref out_life = table[out];
  const Ref in_life = table[rep];
  uint32_t first = LifetimeFirst(in_life), last = LifetimeLast(in_life);
  if (out_life != kUnreferenced) {
    if (LifetimeFirst(out_life) < first) first = LifetimeFirst(out_life);
    if (LifetimeLast(out_life) > last) last = LifetimeLast(out_life);
  }
  table[rep] = PackLifetime(first, last);
  table[out] = kAliasBit | static_cast<uint32_t>(rep);
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
