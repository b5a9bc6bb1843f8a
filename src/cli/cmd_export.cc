// `emlkit export MODEL.tflite --format FORMAT [--name NAME] --out DIR`: the model as firmware
// code or a deploy package (src/export/export.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/command.h"
#include "export/export.h"

namespace emlkit::cli {

void RegisterExportCommand(CLI::App& root, CommandList& commands) {
  struct Options {
    std::string model, format, name, out, engine = "aot", example, kernels = "portable";
    bool keep_metadata = false, strip = false, no_preprocess = false;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* app = root.add_subcommand(
      "export",
      "Turn a .tflite model into firmware: a C array (c-array), generated C++ calling the "
      "kernels directly (aot), a stripped .tflite (tflite --strip), or a package with exactly the "
      "runtime the model needs (arduino, espidf, cmake, "
      "linux)");
  app->add_option("model", opts->model, "The .tflite file")->required();
  app->add_option("--format", opts->format,
                  "c-array | aot | tflite | arduino | espidf | cmake | linux")
      ->required();
  app->add_option("--name", opts->name,
                  "Prefix of the generated symbols and files (default: from the model's file "
                  "name)");
  app->add_option("--out", opts->out,
                  "Output folder, replaced only when the export succeeded (--format tflite: the "
                  ".tflite file to write)")
      ->required();
  app->add_flag("--keep-metadata", opts->keep_metadata,
                "Keep the emlkit metadata in the shipped model (default: stripped)");
  app->add_flag("--strip", opts->strip, "--format tflite: remove the emlkit metadata");
  app->add_flag("--no-preprocess", opts->no_preprocess,
                "Leave out the device preprocessing (NAME_preprocess.{h,cc}) even when the "
                "model's metadata records it");
  app->add_option("--engine", opts->engine,
                  "Packages: what runs the model, aot (ahead-of-time generated code calling the "
                  "kernels directly; smaller) or interpreter (emlkit's runtime over the C array)")
      ->capture_default_str();
  app->add_option("--kernels", opts->kernels,
                  "Generated code: portable (any core: Cortex-M0+, RISC-V, AVR, x86) or arm-dsp "
                  "(Cortex-M4/M7: the DSP-extension kernels, with small layers folded and 2-class "
                  "softmax tables computed at export)")
      ->capture_default_str();
  app->add_option("--example", opts->example,
                  "--format arduino: add a second example sketch; thermostat: the thermostat "
                  "firmware (sensors -> preprocessing -> model -> controller -> relay) for an "
                  "occupancy model over temperature/humidity/light/co2/motion columns");
  commands.push_back({app, [opts]() -> Status {
                        exporter::ExportOptions o;
                        EMLKIT_ASSIGN_OR_RETURN(o.format, exporter::ParseFormat(opts->format));
                        o.model = opts->model;
                        o.name = opts->name;
                        o.out = opts->out;
                        o.keep_metadata = opts->keep_metadata;
                        o.strip = opts->strip;
                        o.engine = opts->engine;
                        o.kernels = opts->kernels;
                        o.preprocess = !opts->no_preprocess;
                        o.example = opts->example;
                        std::fprintf(stderr, "emlkit export: %s -> %s (%s)...\n", o.model.c_str(),
                                     o.out.c_str(), opts->format.c_str());
                        EMLKIT_ASSIGN_OR_RETURN(exporter::ExportResult r, exporter::Export(o));
                        std::string s = fmt::format(
                            "model: {} bytes -> {} bytes shipped ({} bytes of metadata "
                            "removed)\nops: {}\narena: {} bytes\n",
                            r.bytes_before, r.bytes_after, r.bytes_before - r.bytes_after,
                            fmt::join(r.ops, " "), r.arena_bytes);
                        if (!r.runtime_files.empty()) {
                          s += fmt::format("runtime: {} files\n", r.runtime_files.size());
                        }
                        if (!r.preprocess_note.empty()) s += r.preprocess_note + "\n";
                        s += fmt::format("wrote {}", r.out);
                        s += r.files.empty() ? "\n" : fmt::format(" ({} files)\n", r.files.size());
                        std::fwrite(s.data(), 1, s.size(), stdout);
                        return Status::Ok();
                      }});
}

}  // namespace emlkit::cli
