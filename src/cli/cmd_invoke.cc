// `emlkit invoke MODEL.tflite --input IN.npy [--input ...] --output OUT.npy [--output ...]`:
// runs every record of the inputs through emlkit's runtime (the device kernels), state reset
// before each record, and writes the outputs in the tensors' dtypes (src/tflite/invoke.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/fs.h"
#include "common/npy.h"
#include "common/progress.h"
#include "tflite/invoke.h"
#include "tflite/runner.h"

namespace emlkit::cli {
namespace {

struct InvokeOptions {
  std::string model;
  std::vector<std::string> inputs, outputs;
};

std::string ShapeText(const std::vector<int64_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

Status RunInvoke(const InvokeOptions& o) {
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner runner, tflite::Runner::Open(o.model));
  if (static_cast<int>(o.outputs.size()) != runner.num_outputs()) {
    std::vector<std::string> expected;
    for (int i = 0; i < runner.num_outputs(); ++i) {
      const tflite::RunnerTensor& t = runner.output(i);
      expected.push_back(
          fmt::format("tensor {} '{}' ({} {})", t.index, t.name, t.type, ShapeText(t.shape)));
    }
    return Status::InvalidArgument(fmt::format(
        "{} has {} output{} ({}); got {} --output: give one per model output, in this order",
        o.model, runner.num_outputs(), runner.num_outputs() == 1 ? "" : "s",
        fmt::join(expected, ", "), o.outputs.size()));
  }
  std::set<std::string> seen;
  for (const std::string& path : o.outputs) {
    if (!seen.insert(path).second) {
      return Status::InvalidArgument(
          fmt::format("--output {} is given twice: each model output needs its own file", path));
    }
    EMLKIT_RETURN_IF_ERROR(CheckWritableFile(path));
  }
  std::vector<NpyArray> inputs;
  for (const std::string& path : o.inputs) {
    EMLKIT_ASSIGN_OR_RETURN(NpyArray a, ReadNpy(path));
    inputs.push_back(std::move(a));
  }
  EMLKIT_ASSIGN_OR_RETURN(int64_t records, tflite::CheckInvokeInputs(runner, inputs, o.inputs));
  Progress progress("invoke", records);
  EMLKIT_ASSIGN_OR_RETURN(std::vector<NpyArray> outputs,
                          tflite::InvokeRecords(runner, inputs, o.inputs, &progress));
  progress.Finish();
  for (size_t i = 0; i < outputs.size(); ++i) {
    EMLKIT_RETURN_IF_ERROR(WriteNpy(o.outputs[i], outputs[i]));
    std::printf("%s: %s %s (output %zu, tensor %d '%s')\n", o.outputs[i].c_str(),
                DTypeName(outputs[i].dtype()), ShapeText(outputs[i].shape()).c_str(), i,
                runner.output(static_cast<int>(i)).index,
                runner.output(static_cast<int>(i)).name.c_str());
  }
  std::printf("%lld record%s through %s (arena %zu bytes)\n", static_cast<long long>(records),
              records == 1 ? "" : "s", o.model.c_str(), runner.arena_bytes());
  return Status::Ok();
}

}  // namespace

void RegisterInvokeCommand(CLI::App& root, CommandList& commands) {
  auto opts = std::make_shared<InvokeOptions>();
  CLI::App* app = root.add_subcommand(
      "invoke",
      "Run a .tflite model on the records of .npy inputs through emlkit's runtime (the device "
      "kernels), resetting its state before each record, and write the outputs as .npy");
  app->add_option("model", opts->model, "The .tflite file")->required();
  app->add_option("--input", opts->inputs,
                  "One .npy per model input, in the model's order: shape [records, "
                  "*tensor_shape] (or without the tensor's leading batch dimension of 1), the "
                  "tensor's dtype")
      ->required()
      ->allow_extra_args(false);
  app->add_option("--output", opts->outputs,
                  "One .npy per model output, in the model's order: written as [records, "
                  "*tensor_shape] in the tensor's dtype")
      ->required()
      ->allow_extra_args(false);
  commands.push_back({app, [opts]() { return RunInvoke(*opts); }});
}

}  // namespace emlkit::cli
