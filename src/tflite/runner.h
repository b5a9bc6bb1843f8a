// Runner: the host's way to run any .tflite model through emlkit's device runtime — the very
// kernels firmware runs, so host results are the device's results, bit for bit.
//
// Owns the model bytes and an arena sized exactly by the runtime's planner (arena_bytes() is the
// figure `emlkit inspect` reports and the RAM the model needs on the device). Used by training
// (float models), quantization (int8 models, layer-by-layer comparison), evaluation, the
// thermostat closed loop and `emlkit invoke`.
//
//   EMLKIT_ASSIGN_OR_RETURN(Runner r, Runner::Open("model_int8.tflite"));
//   EMLKIT_RETURN_IF_ERROR(r.SetInputFloat(0, features));  // quantized with the input's params
//   EMLKIT_RETURN_IF_ERROR(r.Invoke());
//   std::vector<float> probs = r.OutputFloat(0);           // dequantized
//
// Reading every intermediate tensor (float vs int8 per layer): set an op callback; it runs right
// after each operator, when that operator's outputs are valid (the planner reuses memory, so read
// them there, not after Invoke):
//   r.SetOpCallback([&](int32_t op) { for (int32_t t : r.op_outputs(op)) keep(r.TensorArray(t));
//   });
//
// Not thread-safe: one Runner per thread. Movable, not copyable.
#ifndef EMLKIT_TFLITE_RUNNER_H_
#define EMLKIT_TFLITE_RUNNER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/npy.h"
#include "common/status.h"

namespace emlkit::rt {
class Interpreter;
struct ErrorInfo;
}  // namespace emlkit::rt

namespace emlkit::tflite {

// A tensor as the host sees it.
struct RunnerTensor {
  int32_t index = -1;  // tensor index in the model (what golden meta.json calls
                       // tensor_index)
  std::string name;
  std::string type;        // runtime type name: "int8", "float32", ...
  bool host_type = false;  // true when `dtype` is valid (a type .npy files can hold)
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  size_t bytes = 0;
  float scale = 0.0f;  // 0: not quantized
  int32_t zero_point = 0;
  bool is_constant = false;
  bool is_variable = false;
};

struct OpProfile {
  int32_t op_index = 0;
  std::string name;  // builtin operator name
  uint64_t invocations = 0;
  double total_ns = 0;  // wall time spent in the operator (steady clock)
};

class Runner {
 public:
  // Reads a .tflite file and prepares it. Errors name the file and the operator/tensor concerned
  // (e.g. "m.tflite: unsupported by emlkit: UNIDIRECTIONAL_SEQUENCE_LSTM (op 2)").
  static Result<Runner> Open(const std::string& path);
  // Same from bytes already in memory; `name` is used in messages.
  static Result<Runner> FromBytes(std::vector<uint8_t> model, const std::string& name);

  Runner(Runner&&) noexcept;
  Runner& operator=(Runner&&) noexcept;
  ~Runner();

  const std::string& name() const { return name_; }
  // Arena bytes the model needs (bookkeeping + state + planned activations); identical on a
  // 32-bit device.
  size_t arena_bytes() const;
  // The part of arena_bytes() that is not the activation plan.
  size_t persistent_bytes() const;
  size_t model_bytes() const { return model_.size(); }

  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  int num_outputs() const { return static_cast<int>(outputs_.size()); }
  int num_ops() const;
  int num_tensors() const;
  const RunnerTensor& input(int i) const { return inputs_.at(i); }
  const RunnerTensor& output(int i) const { return outputs_.at(i); }
  Result<RunnerTensor> tensor(int32_t tensor_index) const;
  // Builtin operator name ("FULLY_CONNECTED") and tensor indices of operator k.
  std::string op_name(int32_t k) const;
  int32_t op_code(int32_t k) const;
  std::vector<int32_t> op_inputs(int32_t k) const;  // -1 for omitted optional inputs
  std::vector<int32_t> op_outputs(int32_t k) const;

  // Inputs keep their values until set again (every Invoke uses them; the runtime's own copy in
  // the arena may be overwritten during Invoke, this one is not). Inputs start as zeros.
  // Copies raw bytes (exactly input(i).bytes) into input i.
  Status SetInput(int i, const void* data, size_t bytes);
  // Copies record `record` (first axis) of `array`; record -1 means the whole array is one
  // record. The dtype and the values per record must match the input tensor.
  Status SetInput(int i, const NpyArray& array, int64_t record = -1);
  // Float values, quantized with the input's scale/zero point when it is an integer tensor
  // (TFLite's rounding: round half away from zero, then clamp).
  Status SetInputFloat(int i, std::span<const float> values);

  Status Invoke();
  // Sets variable tensors (SVDF memory...) back to their initial value.
  Status ResetState();

  std::span<const uint8_t> OutputBytes(int i) const;
  // Output i as an array of the tensor's dtype and shape.
  NpyArray Output(int i) const;
  // Output i as floats (dequantized: scale * (q - zero_point) when quantized).
  std::vector<float> OutputFloat(int i) const;

  // Current bytes of any tensor (empty for tensors without storage); model inputs give the
  // values as set. For intermediates, valid only inside the op callback of the operator that
  // wrote them (or later ones that read them).
  std::span<const uint8_t> TensorBytes(int32_t tensor_index) const;
  NpyArray TensorArray(int32_t tensor_index) const;

  // Called after every operator during Invoke (op index in execution order); empty to disable.
  void SetOpCallback(std::function<void(int32_t op_index)> callback);
  // Per-operator wall time, accumulated over Invokes while enabled.
  void EnableProfiling(bool on);
  const std::vector<OpProfile>& profile() const { return profile_; }

 private:
  Runner() = default;
  Status Init();
  static void Hook(void* user, int32_t op_index, int32_t after);

  std::string name_;
  std::vector<uint8_t> model_;
  std::vector<uint8_t> arena_storage_;
  std::unique_ptr<rt::Interpreter> interp_;
  std::vector<RunnerTensor> inputs_, outputs_;
  // Inputs as last set, copied into the arena by every Invoke (the runtime may overwrite the
  // arena's copy when the first operators run in place), and where they go.
  std::vector<std::vector<uint8_t>> input_values_;
  std::vector<std::span<uint8_t>> input_arena_, output_data_;
  std::function<void(int32_t)> callback_;
  bool profiling_ = false;
  std::vector<OpProfile> profile_;
  int64_t op_start_ns_ = 0;
};

// Turns a runtime error into a Status whose message names the model, the operator (with its
// builtin name) and the tensor (with its name), e.g.
//   "m.tflite: op 3 (SOFTMAX): tensor 10 'probs': int8 SOFTMAX output must have scale 1/256 and
//    zero point -128 (got -127, expected -128)".
Status RuntimeErrorStatus(const std::string& model_name, const std::vector<uint8_t>& model,
                          const rt::ErrorInfo& error);

}  // namespace emlkit::tflite

#endif  // EMLKIT_TFLITE_RUNNER_H_
