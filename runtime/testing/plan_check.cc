#include "testing/plan_check.h"

#include <cstring>

namespace emlkit::rt::test {

PlanCheck::PlanCheck(Interpreter* interp) : interp_(interp) {
  const int32_t n = interp->num_tensors(), ops = interp->num_ops();
  first_.assign(static_cast<size_t>(n), -2);  // -2: not an activation we track
  last_.assign(static_cast<size_t>(n), -1);
  saved_.resize(static_cast<size_t>(n));
  has_saved_.assign(static_cast<size_t>(n), false);
  auto activation = [&](int32_t t) {
    TensorView v;
    return t >= 0 && interp->Tensor(t, &v) == Status::kOk && !v.is_constant && !v.is_variable &&
           v.data != nullptr;
  };
  for (int32_t i = 0; i < interp->num_inputs(); ++i) {
    TensorView v;
    interp->Input(i, &v);
    if (activation(v.index)) first_[v.index] = -1;
  }
  for (int32_t k = 0; k < ops; ++k) {
    OpView op;
    interp->Op(k, &op);
    for (int32_t i = 0; i < op.num_outputs; ++i) {
      const int32_t t = interp->OpOutput(k, i);
      if (activation(t)) first_[t] = k;
    }
    for (int32_t i = 0; i < op.num_inputs; ++i) {
      const int32_t t = interp->OpInput(k, i);
      if (t >= 0 && first_[t] != -2) last_[t] = k;
    }
  }
  for (int32_t i = 0; i < interp->num_outputs(); ++i) {
    TensorView v;
    interp->Output(i, &v);
    if (v.index >= 0 && first_[v.index] != -2) last_[v.index] = ops;
  }
}

void PlanCheck::Snapshot(int32_t t) {
  TensorView v;
  interp_->Tensor(t, &v);
  const auto* p = static_cast<const uint8_t*>(v.data);
  saved_[t].assign(p, p + v.bytes);
  has_saved_[t] = true;
}

void PlanCheck::Hook(void* user, int32_t op, int32_t after) {
  auto* self = static_cast<PlanCheck*>(user);
  if (!after || !self->error_.empty()) return;
  for (int32_t t = 0; t < static_cast<int32_t>(self->first_.size()); ++t) {
    if (self->first_[t] == op) self->Snapshot(t);
  }
  for (int32_t t = 0; t < static_cast<int32_t>(self->first_.size()); ++t) {
    if (!self->has_saved_[t] || self->first_[t] >= op || self->last_[t] <= op) continue;
    TensorView v;
    self->interp_->Tensor(t, &v);
    ++self->checks_;
    if (v.bytes != self->saved_[t].size() || memcmp(v.data, self->saved_[t].data(), v.bytes) != 0) {
      self->error_ = "tensor " + std::to_string(t) + " (written by op " +
                     std::to_string(self->first_[t]) + ", read until op " +
                     std::to_string(self->last_[t]) + ") changed by op " + std::to_string(op);
      return;
    }
  }
}

std::string PlanCheck::InvokeAndCheck() {
  error_.clear();
  checks_ = 0;
  has_saved_.assign(has_saved_.size(), false);
  for (int32_t t = 0; t < static_cast<int32_t>(first_.size()); ++t) {
    if (first_[t] == -1) Snapshot(t);
  }
  interp_->SetOpHook(&PlanCheck::Hook, this);
  const Status s = interp_->Invoke();
  interp_->SetOpHook(nullptr, nullptr);
  if (s != Status::kOk) return "Invoke failed";
  return error_;
}

}  // namespace emlkit::rt::test
