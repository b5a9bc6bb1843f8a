// `emlkit inspect MODEL.tflite [--json]`: what a model is and whether emlkit's runtime runs it,
// before anything is flashed (src/tflite/summary.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/command.h"
#include "tflite/summary.h"

namespace emlkit::cli {

void RegisterInspectCommand(CLI::App& root, CommandList& commands) {
  struct Options {
    std::string model;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* app = root.add_subcommand(
      "inspect",
      "Show a .tflite model: ops (and those emlkit cannot run), tensors with shapes, types and "
      "quantization, parameters, MACs, the planned arena and the model's emlkit metadata");
  app->add_option("model", opts->model, "The .tflite file")->required();
  app->add_flag("--json", opts->json, "Print one JSON document on stdout instead of text");
  commands.push_back({app, [opts]() -> Status {
                        EMLKIT_ASSIGN_OR_RETURN(tflite::ModelSummary s,
                                                tflite::SummarizeModelFile(opts->model));
                        std::string out = opts->json ? tflite::SummaryJson(s).dump(2) + "\n"
                                                     : tflite::SummaryText(s);
                        std::fwrite(out.data(), 1, out.size(), stdout);
                        return Status::Ok();
                      }});
}

}  // namespace emlkit::cli
