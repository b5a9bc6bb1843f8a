// `emlkit quantize FLOAT.tflite --calib DIR|X.npy --out INT8.tflite [options]`: full-integer
// post-training quantization (src/optimize/quantize_job.h) and the float-vs-int8 report.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/fs.h"
#include "common/progress.h"
#include "optimize/quantize_job.h"

namespace emlkit::cli {
namespace {

struct QuantizeCliOptions {
  optimize::QuantizeJobOptions job;
  std::string out, method = "minmax", io = "int8";
  bool per_tensor = false, json = false;
};

Status RunQuantize(QuantizeCliOptions& o) {
  if (!optimize::ParseRangeMethod(o.method, &o.job.range.method)) {
    return Status::InvalidArgument("--method " + o.method + ": use minmax, percentile or mse");
  }
  o.job.quant.per_channel = !o.per_tensor;
  o.job.quant.float_io = o.io == "float";
  EMLKIT_RETURN_IF_ERROR(CheckWritableFile(o.out));
  o.job.out_name = o.out;
  InstallInterruptHandler();
  EMLKIT_ASSIGN_OR_RETURN(optimize::QuantizeResult r, optimize::RunQuantizeJob(o.job));
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(o.out, r.bytes.data(), r.bytes.size()));
  std::string text;
  if (o.json) {
    nlohmann::json j = optimize::QuantizeReportJson(r);
    j["model"] = o.job.model;
    j["out"] = o.out;
    text = j.dump(2) + "\n";
  } else {
    text = fmt::format("wrote {} (int8, {} bytes)\n", o.out, r.bytes.size()) +
           optimize::QuantizeReportText(r);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return Status::Ok();
}

}  // namespace

void RegisterQuantizeCommand(CLI::App& root, CommandList& commands) {
  auto o = std::make_shared<QuantizeCliOptions>();
  CLI::App* app = root.add_subcommand(
      "quantize",
      "Quantize a float .tflite model to full int8 (TFLite's quantization spec: int8 "
      "activations, per-channel int8 weights, int32 biases) from calibration records, and "
      "report float against int8: the task's metrics side by side, how often both agree, and "
      "the error of every layer (SQNR)");
  app->add_option("model", o->job.model, "The float .tflite model")->required();
  app->add_option("--calib", o->job.calib,
                  "Calibration records: a data set folder (emlkit data prepare), or one float32 "
                  ".npy file per model input ([records, *input shape])")
      ->required()
      ->allow_extra_args(false);
  app->add_option("--out", o->out, "The int8 .tflite model to write")->required();
  app->add_option("--calib-split", o->job.calib_split,
                  "Data sets: the split(s) calibration samples from: train, val, or train,val "
                  "(both; for small data sets)")
      ->capture_default_str();
  app->add_option("--calib-records", o->job.calib_records,
                  "Calibrate on a seeded sample of at most this many records")
      ->capture_default_str();
  app->add_option("--method", o->method,
                  "How each activation's range is chosen: minmax (all values seen), percentile "
                  "(clip the rarest extremes), mse (least expected quantization error)")
      ->check(CLI::IsMember({"minmax", "percentile", "mse"}))
      ->capture_default_str();
  app->add_option("--percentile", o->job.range.percentile,
                  "--method percentile: keep values between the (100-P)th and Pth percentiles")
      ->check(CLI::Range(50.0, 100.0))
      ->capture_default_str();
  app->add_flag("--per-tensor", o->per_tensor,
                "One scale per weight tensor instead of one per output channel");
  app->add_option("--io", o->io,
                  "Type of the model's input and output: int8 (the device quantizes its input) or "
                  "float (QUANTIZE / DEQUANTIZE operators at the edges)")
      ->check(CLI::IsMember({"int8", "float"}))
      ->capture_default_str();
  app->add_option("--report-split", o->job.report_split,
                  "Data sets: the split the float-vs-int8 report runs on (default: test, or val "
                  "when test is empty)")
      ->check(CLI::IsMember({"train", "val", "test"}));
  app->add_option("--qat-epochs", o->job.qat_epochs,
                  "Quantization-aware training: fine-tune the model (from emlkit train) this many "
                  "epochs with fake-quantized weights and activations before quantizing; --calib "
                  "must be its data set folder")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  app->add_option("--seed", o->job.seed, "Seed of the calibration sample (and of QAT's shuffles)")
      ->capture_default_str();
  app->add_option("--max-flag-disagreement", o->job.max_flag_disagreement,
                  "Anomaly models: refuse when the int8 flags differ from the float flags on more "
                  "than this share of the report records")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app->add_flag("--json", o->json, "Print the report as one JSON document on stdout");
  commands.push_back({app, [o]() { return RunQuantize(*o); }});
}

}  // namespace emlkit::cli
