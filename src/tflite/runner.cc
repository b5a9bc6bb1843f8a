#include "tflite/runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "common/fs.h"
#include "emlkit/runtime.h"

namespace emlkit::tflite {
namespace {

constexpr size_t kArenaAlign = 16;
constexpr size_t kMaxArenaBytes = size_t{1} << 30;

bool HostDType(rt::TensorType t, DType* out) {
  switch (t) {
    case rt::TensorType::kFloat32:
      *out = DType::kFloat32;
      return true;
    case rt::TensorType::kFloat64:
      *out = DType::kFloat64;
      return true;
    case rt::TensorType::kInt8:
      *out = DType::kInt8;
      return true;
    case rt::TensorType::kUInt8:
      *out = DType::kUInt8;
      return true;
    case rt::TensorType::kInt16:
      *out = DType::kInt16;
      return true;
    case rt::TensorType::kInt32:
      *out = DType::kInt32;
      return true;
    case rt::TensorType::kInt64:
      *out = DType::kInt64;
      return true;
    case rt::TensorType::kBool:
      *out = DType::kBool;
      return true;
    default:
      return false;
  }
}

RunnerTensor FromView(const rt::TensorView& v) {
  RunnerTensor t;
  t.index = v.index;
  t.name.assign(v.name, v.name_len);
  t.type = rt::TensorTypeName(v.type);
  t.host_type = HostDType(v.type, &t.dtype);
  for (int i = 0; i < v.rank; ++i) t.shape.push_back(v.dims[i]);
  t.bytes = v.bytes;
  t.scale = v.scale;
  t.zero_point = v.zero_point;
  t.is_constant = v.is_constant;
  t.is_variable = v.is_variable;
  return t;
}

std::string ShapeText(const std::vector<int64_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Quantizes one float as TFLite's AffineQuantize does.
int32_t QuantizeValue(float v, float scale, int32_t zero_point, int32_t lo, int32_t hi) {
  const float r = std::isnan(v) ? 0.0f : std::round(v / scale);
  int64_t q = static_cast<int64_t>(std::clamp(r, -2147483648.0f, 2147483520.0f)) + zero_point;
  return static_cast<int32_t>(std::clamp<int64_t>(q, lo, hi));
}

}  // namespace

Status RuntimeErrorStatus(const std::string& model_name, const std::vector<uint8_t>& model,
                          const rt::ErrorInfo& e) {
  std::string where;
  if (e.op_index >= 0) {
    const char* op = e.op_code >= 0 ? rt::BuiltinOpName(e.op_code) : "?";
    if (e.status == rt::Status::kUnsupported &&
        (std::string(e.what) == "operator not supported by emlkit" ||
         std::string(e.what) == "custom operator not supported by emlkit")) {
      return Status::Unsupported(
          fmt::format("{}: unsupported by emlkit: {} (op {}){}", model_name, op, e.op_index,
                      e.op_code == 32 ? " — custom operators cannot run in emlkit" : ""));
    }
    where += fmt::format("op {} ({}): ", e.op_index, op);
  }
  if (e.tensor >= 0) {
    rt::TensorView v;
    if (rt::DescribeModelTensor(model.data(), model.size(), e.tensor, &v) == rt::Status::kOk &&
        v.name_len > 0) {
      where += fmt::format("tensor {} '{}': ", e.tensor, std::string(v.name, v.name_len));
    } else {
      where += fmt::format("tensor {}: ", e.tensor);
    }
  }
  std::string msg = fmt::format("{}: {}{}", model_name, where, e.what);
  if (e.got != -1 || e.expected != -1) {
    msg += fmt::format(" (got {}, expected {})", e.got, e.expected);
  }
  switch (e.status) {
    case rt::Status::kCorruptModel:
      return Status::Corruption(msg);
    case rt::Status::kUnsupported:
      return Status::Unsupported(msg);
    case rt::Status::kInvalidArgument:
      return Status::InvalidArgument(msg);
    default:
      return Status::Internal(msg);
  }
}

Runner::Runner(Runner&&) noexcept = default;
Runner& Runner::operator=(Runner&&) noexcept = default;
Runner::~Runner() = default;

Result<Runner> Runner::Open(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return FromBytes(std::move(bytes), path);
}

Result<Runner> Runner::FromBytes(std::vector<uint8_t> model, const std::string& name) {
  Runner r;
  r.name_ = name;
  r.model_ = std::move(model);
  EMLKIT_RETURN_IF_ERROR(r.Init());
  return r;
}

Status Runner::Init() {
  interp_ = std::make_unique<rt::Interpreter>();
  // Size the arena: grow until the plan fits, then re-prepare in an arena of exactly
  // arena_bytes() (which also checks that figure is really enough).
  size_t size = 64 * 1024;
  for (;;) {
    arena_storage_.assign(size + kArenaAlign, 0);
    uint8_t* arena = arena_storage_.data();
    arena += (kArenaAlign - reinterpret_cast<uintptr_t>(arena) % kArenaAlign) % kArenaAlign;
    const rt::Status s = interp_->Init(model_.data(), model_.size(), arena, size);
    if (s == rt::Status::kOk) break;
    const rt::ErrorInfo& e = interp_->error();
    if (s != rt::Status::kArenaTooSmall || size >= kMaxArenaBytes) {
      return RuntimeErrorStatus(name_, model_, e);
    }
    size = std::min(kMaxArenaBytes, std::max<size_t>(size * 2, e.needed));
  }
  const size_t exact = interp_->arena_bytes();
  arena_storage_.assign(exact + kArenaAlign, 0);
  uint8_t* arena = arena_storage_.data();
  arena += (kArenaAlign - reinterpret_cast<uintptr_t>(arena) % kArenaAlign) % kArenaAlign;
  if (interp_->Init(model_.data(), model_.size(), arena, exact) != rt::Status::kOk) {
    return Status::Internal(
        fmt::format("{}: the runtime's arena plan ({} bytes) did not fit "
                    "when re-prepared (emlkit bug)",
                    name_, exact));
  }

  inputs_.clear();
  outputs_.clear();
  input_arena_.clear();
  input_values_.clear();
  output_data_.clear();
  for (int32_t i = 0; i < interp_->num_inputs(); ++i) {
    rt::TensorView v;
    if (interp_->Input(i, &v) != rt::Status::kOk) {
      return RuntimeErrorStatus(name_, model_, interp_->error());
    }
    inputs_.push_back(FromView(v));
    input_arena_.emplace_back(static_cast<uint8_t*>(v.data), v.bytes);
    input_values_.emplace_back(v.bytes, 0);
  }
  for (int32_t i = 0; i < interp_->num_outputs(); ++i) {
    rt::TensorView v;
    if (interp_->Output(i, &v) != rt::Status::kOk) {
      return RuntimeErrorStatus(name_, model_, interp_->error());
    }
    outputs_.push_back(FromView(v));
    output_data_.emplace_back(static_cast<uint8_t*>(v.data), v.bytes);
  }
  profile_.clear();
  for (int32_t k = 0; k < interp_->num_ops(); ++k) {
    OpProfile p;
    p.op_index = k;
    p.name = op_name(k);
    profile_.push_back(p);
  }
  return Status::Ok();
}

size_t Runner::arena_bytes() const { return interp_->arena_bytes(); }
size_t Runner::persistent_bytes() const { return interp_->persistent_bytes(); }
int Runner::num_ops() const { return interp_->num_ops(); }
int Runner::num_tensors() const { return interp_->num_tensors(); }

Result<RunnerTensor> Runner::tensor(int32_t tensor_index) const {
  rt::TensorView v;
  if (interp_->Tensor(tensor_index, &v) != rt::Status::kOk) {
    return Status::InvalidArgument(fmt::format("{}: tensor {} does not exist (the model has {})",
                                               name_, tensor_index, num_tensors()));
  }
  return FromView(v);
}

int32_t Runner::op_code(int32_t k) const {
  rt::OpView op;
  if (interp_->Op(k, &op) != rt::Status::kOk) return -1;
  return op.builtin_code;
}

std::string Runner::op_name(int32_t k) const { return rt::BuiltinOpName(op_code(k)); }

std::vector<int32_t> Runner::op_inputs(int32_t k) const {
  rt::OpView op;
  std::vector<int32_t> v;
  if (interp_->Op(k, &op) != rt::Status::kOk) return v;
  for (int32_t i = 0; i < op.num_inputs; ++i) v.push_back(interp_->OpInput(k, i));
  return v;
}

std::vector<int32_t> Runner::op_outputs(int32_t k) const {
  rt::OpView op;
  std::vector<int32_t> v;
  if (interp_->Op(k, &op) != rt::Status::kOk) return v;
  for (int32_t i = 0; i < op.num_outputs; ++i) v.push_back(interp_->OpOutput(k, i));
  return v;
}

Status Runner::SetInput(int i, const void* data, size_t bytes) {
  if (i < 0 || i >= num_inputs()) {
    return Status::InvalidArgument(fmt::format(
        "{}: input {} does not exist (the model has {} inputs)", name_, i, num_inputs()));
  }
  if (bytes != input_values_[i].size()) {
    return Status::InvalidArgument(
        fmt::format("{}: input {} ('{}') takes {} bytes ({} {}), got {}", name_, i, inputs_[i].name,
                    input_values_[i].size(), inputs_[i].type, ShapeText(inputs_[i].shape), bytes));
  }
  if (bytes > 0) std::memcpy(input_values_[i].data(), data, bytes);
  return Status::Ok();
}

Status Runner::SetInput(int i, const NpyArray& array, int64_t record) {
  if (i < 0 || i >= num_inputs()) return SetInput(i, nullptr, 0);
  const RunnerTensor& t = inputs_[i];
  if (!t.host_type || array.dtype() != t.dtype) {
    return Status::InvalidArgument(fmt::format("{}: input {} ('{}') is {}, got a {} array", name_,
                                               i, t.name, t.type, DTypeName(array.dtype())));
  }
  const size_t per_record =
      record < 0 ? array.num_bytes()
                 : static_cast<size_t>(array.record_elements()) * DTypeSize(array.dtype());
  if (per_record != t.bytes) {
    return Status::InvalidArgument(
        fmt::format("{}: input {} ('{}') takes {} values per record ({} {}), the array has {}",
                    name_, i, t.name, t.bytes / DTypeSize(t.dtype), t.type, ShapeText(t.shape),
                    per_record / DTypeSize(array.dtype())));
  }
  if (record >= array.records()) {
    return Status::InvalidArgument(fmt::format("{}: record {} out of range (the array has {})",
                                               name_, record, array.records()));
  }
  const size_t offset = record < 0 ? 0 : static_cast<size_t>(record) * per_record;
  return SetInput(i, array.raw() + offset, per_record);
}

Status Runner::SetInputFloat(int i, std::span<const float> values) {
  if (i < 0 || i >= num_inputs()) return SetInput(i, nullptr, 0);
  const RunnerTensor& t = inputs_[i];
  const size_t n = t.host_type ? t.bytes / DTypeSize(t.dtype) : 0;
  if (values.size() != n) {
    return Status::InvalidArgument(fmt::format("{}: input {} ('{}') takes {} values, got {}", name_,
                                               i, t.name, n, values.size()));
  }
  uint8_t* dst = input_values_[i].data();
  switch (t.dtype) {
    case DType::kFloat32:
      std::memcpy(dst, values.data(), n * sizeof(float));
      return Status::Ok();
    case DType::kInt8:
    case DType::kInt16:
    case DType::kUInt8:
      if (!(t.scale > 0.0f)) break;
      for (size_t k = 0; k < n; ++k) {
        if (t.dtype == DType::kInt8) {
          reinterpret_cast<int8_t*>(dst)[k] =
              static_cast<int8_t>(QuantizeValue(values[k], t.scale, t.zero_point, -128, 127));
        } else if (t.dtype == DType::kUInt8) {
          dst[k] = static_cast<uint8_t>(QuantizeValue(values[k], t.scale, t.zero_point, 0, 255));
        } else {
          reinterpret_cast<int16_t*>(dst)[k] =
              static_cast<int16_t>(QuantizeValue(values[k], t.scale, t.zero_point, -32768, 32767));
        }
      }
      return Status::Ok();
    default:
      break;
  }
  return Status::Unsupported(
      fmt::format("{}: input {} ('{}') of type {} cannot take floats", name_, i, t.name, t.type));
}

void Runner::Hook(void* user, int32_t op_index, int32_t after) {
  Runner* r = static_cast<Runner*>(user);
  if (!after) {
    if (r->profiling_) r->op_start_ns_ = NowNs();
    return;
  }
  if (r->profiling_) {
    OpProfile& p = r->profile_[static_cast<size_t>(op_index)];
    p.total_ns += static_cast<double>(NowNs() - r->op_start_ns_);
    ++p.invocations;
  }
  if (r->callback_) r->callback_(op_index);
}

Status Runner::Invoke() {
  // The runtime may run the first operators in place over the inputs: copy them in every time.
  for (size_t i = 0; i < input_values_.size(); ++i) {
    if (!input_values_[i].empty()) {
      std::memcpy(input_arena_[i].data(), input_values_[i].data(), input_values_[i].size());
    }
  }
  const bool hooked = profiling_ || static_cast<bool>(callback_);
  interp_->SetOpHook(hooked ? &Runner::Hook : nullptr, hooked ? this : nullptr);
  if (interp_->Invoke() != rt::Status::kOk) {
    return RuntimeErrorStatus(name_, model_, interp_->error());
  }
  return Status::Ok();
}

Status Runner::ResetState() {
  if (interp_->ResetState() != rt::Status::kOk) {
    return RuntimeErrorStatus(name_, model_, interp_->error());
  }
  return Status::Ok();
}

std::span<const uint8_t> Runner::OutputBytes(int i) const { return output_data_.at(i); }

NpyArray Runner::Output(int i) const { return TensorArray(outputs_.at(i).index); }

std::vector<float> Runner::OutputFloat(int i) const {
  const RunnerTensor& t = outputs_.at(i);
  const std::span<const uint8_t> b = output_data_.at(i);
  std::vector<float> out;
  if (!t.host_type) return out;
  const size_t n = t.bytes / DTypeSize(t.dtype);
  out.resize(n);
  const float scale = t.scale > 0.0f ? t.scale : 1.0f;
  const int32_t zp = t.scale > 0.0f ? t.zero_point : 0;
  for (size_t k = 0; k < n; ++k) {
    switch (t.dtype) {
      case DType::kFloat32:
        std::memcpy(&out[k], b.data() + 4 * k, 4);
        break;
      case DType::kInt8:
        out[k] = scale * (reinterpret_cast<const int8_t*>(b.data())[k] - zp);
        break;
      case DType::kUInt8:
        out[k] = scale * (b[k] - zp);
        break;
      case DType::kInt16:
        out[k] = scale * (reinterpret_cast<const int16_t*>(b.data())[k] - zp);
        break;
      case DType::kInt32: {
        int32_t v;
        std::memcpy(&v, b.data() + 4 * k, 4);
        out[k] = scale * static_cast<float>(static_cast<int64_t>(v) - zp);
        break;
      }
      default:
        out[k] = 0.0f;
        break;
    }
  }
  return out;
}

std::span<const uint8_t> Runner::TensorBytes(int32_t tensor_index) const {
  for (size_t i = 0; i < inputs_.size(); ++i) {  // model inputs: the values as set
    if (inputs_[i].index == tensor_index) return input_values_[i];
  }
  rt::TensorView v;
  if (interp_->Tensor(tensor_index, &v) != rt::Status::kOk || v.data == nullptr) return {};
  return {static_cast<const uint8_t*>(v.data), v.bytes};
}

NpyArray Runner::TensorArray(int32_t tensor_index) const {
  rt::TensorView v;
  if (interp_->Tensor(tensor_index, &v) != rt::Status::kOk) return NpyArray();
  DType dtype;
  if (!HostDType(v.type, &dtype)) return NpyArray();
  std::vector<int64_t> shape(v.dims, v.dims + v.rank);
  NpyArray a = NpyArray::Zeros(dtype, shape);
  const std::span<const uint8_t> bytes = TensorBytes(tensor_index);
  if (!bytes.empty() && a.num_bytes() == bytes.size()) {
    std::memcpy(a.raw(), bytes.data(), bytes.size());
  }
  return a;
}

void Runner::SetOpCallback(std::function<void(int32_t op_index)> callback) {
  callback_ = std::move(callback);
}

void Runner::EnableProfiling(bool on) { profiling_ = on; }

}  // namespace emlkit::tflite
