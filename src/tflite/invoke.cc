// InvokeRecords: every record through the runtime, state reset before each.
#include "tflite/invoke.h"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

namespace emlkit::tflite {
namespace {

std::string ShapeText(const std::vector<int64_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

std::string TensorText(const RunnerTensor& t) {
  return fmt::format("tensor {} '{}' ({} {})", t.index, t.name, t.type, ShapeText(t.shape));
}

// The record shapes an input array may have for tensor `t`: the tensor's shape, or the same
// without a leading batch dimension of 1.
bool RecordShapeFits(const std::vector<int64_t>& array_shape, const std::vector<int64_t>& t) {
  if (array_shape.empty()) return false;
  std::vector<int64_t> record(array_shape.begin() + 1, array_shape.end());
  if (record == t) return true;
  return !t.empty() && t[0] == 1 && record == std::vector<int64_t>(t.begin() + 1, t.end());
}

Status CheckInput(const RunnerTensor& t, const NpyArray& a, const std::string& name, int i) {
  std::string what = fmt::format("{}: input {} of the model, {}", name, i, TensorText(t));
  if (!t.host_type) {
    return Status::Unsupported(
        fmt::format("{}: emlkit cannot feed {} tensors from .npy", what, t.type));
  }
  if (a.dtype() != t.dtype) {
    std::string hint;
    if (a.dtype() == DType::kFloat32 && t.scale > 0.0f) {
      hint = fmt::format(" (quantize the values first: q = round(x / {:g}) {} {})", t.scale,
                         t.zero_point < 0 ? '-' : '+', std::abs(int64_t{t.zero_point}));
    }
    return Status::InvalidArgument(fmt::format("{}, takes {} values, but the file holds {}{}", what,
                                               DTypeName(t.dtype), DTypeName(a.dtype()), hint));
  }
  if (!RecordShapeFits(a.shape(), t.shape)) {
    return Status::InvalidArgument(fmt::format(
        "{}: shape {} does not fit; expected [records, {}] (the first axis is the record)", what,
        ShapeText(a.shape()), fmt::join(t.shape, ", ")));
  }
  return Status::Ok();
}

}  // namespace

Result<int64_t> CheckInvokeInputs(const Runner& runner, const std::vector<NpyArray>& inputs,
                                  const std::vector<std::string>& names) {
  if (static_cast<int>(inputs.size()) != runner.num_inputs()) {
    std::vector<std::string> expected;
    for (int i = 0; i < runner.num_inputs(); ++i) expected.push_back(TensorText(runner.input(i)));
    return Status::InvalidArgument(
        fmt::format("{} has {} input{} ({}); got {} input array{}: give one per model input, in "
                    "this order",
                    runner.name(), runner.num_inputs(), runner.num_inputs() == 1 ? "" : "s",
                    fmt::join(expected, ", "), inputs.size(), inputs.size() == 1 ? "" : "s"));
  }
  int64_t records = -1;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string& name = i < names.size() ? names[i] : fmt::format("input {}", i);
    EMLKIT_RETURN_IF_ERROR(
        CheckInput(runner.input(static_cast<int>(i)), inputs[i], name, static_cast<int>(i)));
    if (records >= 0 && inputs[i].records() != records) {
      return Status::InvalidArgument(
          fmt::format("{}: {} records, but {} has {}: every input needs the same number of records",
                      name, inputs[i].records(), names.empty() ? "input 0" : names[0], records));
    }
    records = inputs[i].records();
  }
  return records < 0 ? 0 : records;
}

Result<std::vector<NpyArray>> InvokeRecords(Runner& runner, const std::vector<NpyArray>& inputs,
                                            const std::vector<std::string>& names,
                                            Progress* progress) {
  EMLKIT_ASSIGN_OR_RETURN(int64_t records, CheckInvokeInputs(runner, inputs, names));
  std::vector<NpyArray> outputs;
  for (int o = 0; o < runner.num_outputs(); ++o) {
    const RunnerTensor& t = runner.output(o);
    if (!t.host_type) {
      return Status::Unsupported(
          fmt::format("{}: output {}, {}: emlkit cannot write {} tensors to .npy", runner.name(), o,
                      TensorText(t), t.type));
    }
    std::vector<int64_t> shape = {records};
    shape.insert(shape.end(), t.shape.begin(), t.shape.end());
    outputs.push_back(NpyArray::Zeros(t.dtype, shape));
  }
  // Resetting walks every tensor; only variable tensors hold state between invocations, so a
  // model without them needs no reset (on the thermostat MLP the reset costs more than Invoke).
  bool stateful = false;
  for (int32_t t = 0; t < runner.num_tensors() && !stateful; ++t) {
    Result<RunnerTensor> info = runner.tensor(t);
    stateful = !info.ok() || info->is_variable;
  }
  for (int64_t r = 0; r < records; ++r) {
    if (InterruptRequested()) {
      return Status::Cancelled(fmt::format("interrupted after {} of {} records", r, records));
    }
    if (stateful) EMLKIT_RETURN_IF_ERROR(runner.ResetState());
    for (size_t i = 0; i < inputs.size(); ++i) {
      EMLKIT_RETURN_IF_ERROR(runner.SetInput(static_cast<int>(i), inputs[i], r));
    }
    Status s = runner.Invoke();
    if (!s.ok()) return s.WithContext(fmt::format("record {}", r));
    for (int o = 0; o < runner.num_outputs(); ++o) {
      std::span<const uint8_t> bytes = runner.OutputBytes(o);
      size_t per_record = runner.output(o).bytes;
      if (bytes.size() != per_record) {
        return Status::Internal(fmt::format("{}: output {} has {} bytes, expected {}",
                                            runner.name(), o, bytes.size(), per_record));
      }
      if (per_record > 0) {
        std::memcpy(outputs[o].raw() + static_cast<size_t>(r) * per_record, bytes.data(),
                    per_record);
      }
    }
    if (progress) progress->Update(r + 1);
  }
  return outputs;
}

}  // namespace emlkit::tflite
