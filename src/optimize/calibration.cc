#include "optimize/calibration.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>

#include "tflite/invoke.h"

namespace emlkit::optimize {
namespace {

// One observed tensor: where its values come from and what was seen.
struct Observed {
  int32_t tensor = -1;
  int input = -1;  // graph input index, or -1 for an operator output
  std::string name;
  TensorStats stats;
};

// Values of a float32 tensor as a span (the bytes are 4-aligned in the arena and in NpyArray).
std::span<const float> AsFloats(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const float*>(bytes.data()), bytes.size() / sizeof(float)};
}

class Collector {
 public:
  Collector(tflite::Runner& runner, bool histograms) : runner_(runner), histograms_(histograms) {}

  Status Init() {
    for (int i = 0; i < runner_.num_inputs(); ++i) {
      const tflite::RunnerTensor& t = runner_.input(i);
      if (t.type != "float32") {
        return Status::InvalidArgument(fmt::format(
            "{}: input {} (tensor {} '{}') is {}, not float32: calibration needs a float model",
            runner_.name(), i, t.index, t.name, t.type));
      }
      Add(t.index, i, t.name);
    }
    for (int32_t k = 0; k < runner_.num_ops(); ++k) {
      for (int32_t t : runner_.op_outputs(k)) {
        EMLKIT_ASSIGN_OR_RETURN(tflite::RunnerTensor info, runner_.tensor(t));
        if (info.type == "float32" && by_tensor_.count(t) == 0) Add(t, -1, info.name);
      }
      outputs_of_op_.push_back(runner_.op_outputs(k));
    }
    return Status::Ok();
  }

  // pass 0: min/max; pass 1: histograms.
  Status Run(const std::vector<NpyArray>& inputs, int64_t records, int pass, Progress* progress,
             int64_t progress_base) {
    Status failure;
    int64_t record = 0;
    runner_.SetOpCallback([&](int32_t op) {
      for (int32_t t : outputs_of_op_[static_cast<size_t>(op)]) {
        auto it = by_tensor_.find(t);
        if (it == by_tensor_.end()) continue;
        Status s = Observe(observed_[it->second], AsFloats(runner_.TensorBytes(t)), pass, record);
        if (!s.ok() && failure.ok()) failure = s;
      }
    });
    for (record = 0; record < records; ++record) {
      if (InterruptRequested()) return Status::Cancelled("calibration interrupted");
      EMLKIT_RETURN_IF_ERROR(runner_.ResetState());
      for (size_t i = 0; i < inputs.size(); ++i) {
        EMLKIT_RETURN_IF_ERROR(runner_.SetInput(static_cast<int>(i), inputs[i], record));
        Observed& o = observed_[by_tensor_.at(runner_.input(static_cast<int>(i)).index)];
        EMLKIT_RETURN_IF_ERROR(Observe(o, AsFloats(runner_.TensorBytes(o.tensor)), pass, record));
      }
      EMLKIT_RETURN_IF_ERROR(runner_.Invoke());
      EMLKIT_RETURN_IF_ERROR(failure);
      if (progress != nullptr) progress->Update(progress_base + record + 1);
    }
    runner_.SetOpCallback(nullptr);
    if (pass == 0 && histograms_) {
      for (Observed& o : observed_) {
        o.stats.hist_lo = std::min(o.stats.min, 0.0);
        o.stats.hist_hi = std::max(o.stats.max, 0.0);
        o.stats.hist.assign(kHistogramBins, 0);
      }
    }
    return Status::Ok();
  }

  ActivationStats Result() const {
    ActivationStats out;
    for (const Observed& o : observed_) out[o.tensor] = o.stats;
    return out;
  }

 private:
  void Add(int32_t tensor, int input, const std::string& name) {
    by_tensor_[tensor] = observed_.size();
    observed_.push_back({tensor, input, name, {}});
  }

  Status Observe(Observed& o, std::span<const float> v, int pass, int64_t record) {
    TensorStats& s = o.stats;
    if (pass == 0) {
      for (float x : v) {
        if (!std::isfinite(x)) {
          return Status::InvalidArgument(fmt::format(
              "{}: tensor {} '{}' holds a non-finite value ({}) for calibration record {}: "
              "the float model overflows on this input; check the calibration data",
              runner_.name(), o.tensor, o.name, x, record));
        }
        if (s.count == 0) s.min = s.max = x;
        s.min = std::min<double>(s.min, x);
        s.max = std::max<double>(s.max, x);
        ++s.count;
      }
      return Status::Ok();
    }
    const double width = s.hist_hi - s.hist_lo;
    const double per_bin = width > 0 ? kHistogramBins / width : 0.0;
    for (float x : v) {
      const double pos = (static_cast<double>(x) - s.hist_lo) * per_bin;
      const int64_t bin = std::clamp<int64_t>(static_cast<int64_t>(pos), 0, kHistogramBins - 1);
      ++s.hist[static_cast<size_t>(bin)];
    }
    return Status::Ok();
  }

  tflite::Runner& runner_;
  bool histograms_;
  std::vector<Observed> observed_;
  std::map<int32_t, size_t> by_tensor_;
  std::vector<std::vector<int32_t>> outputs_of_op_;
};

}  // namespace

Result<ActivationStats> CollectActivationStats(tflite::Runner& runner,
                                               const std::vector<NpyArray>& inputs, bool histograms,
                                               Progress* progress) {
  std::vector<std::string> names;
  for (size_t i = 0; i < inputs.size(); ++i)
    names.push_back(fmt::format("calibration input {}", i));
  EMLKIT_ASSIGN_OR_RETURN(int64_t records, tflite::CheckInvokeInputs(runner, inputs, names));
  Collector c(runner, histograms);
  EMLKIT_RETURN_IF_ERROR(c.Init());
  EMLKIT_RETURN_IF_ERROR(c.Run(inputs, records, 0, progress, 0));
  if (histograms) EMLKIT_RETURN_IF_ERROR(c.Run(inputs, records, 1, progress, records));
  return c.Result();
}

}  // namespace emlkit::optimize
