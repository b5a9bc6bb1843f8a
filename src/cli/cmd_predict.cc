// `emlkit predict MODEL.tflite --input RAW.csv [--out predictions.csv] [--json]`: a prediction
// per input row (src/collect/predict.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/command.h"
#include "collect/predict.h"
#include "common/fs.h"

namespace emlkit::cli {

void RegisterPredictCommand(CLI::App& root, CommandList& commands) {
  struct Flags {
    collect::PredictOptions o;
    std::string out;
    bool json = false, quiet = false;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* app = root.add_subcommand(
      "predict",
      "Run a model over a raw sensor log: its recorded preprocessing, then the runtime; one output "
      "row per input row (timestamp, then class and probabilities / values / anomaly score and "
      "flag; empty before the first window)");
  app->add_option("model", f->o.model, "The .tflite model (float or int8, from emlkit train)")
      ->required();
  app->add_option("--input", f->o.input, "The raw CSV log, with the model's columns")->required();
  app->add_option("--out", f->out, "The CSV to write (written atomically; default: stdout)");
  app->add_flag("--json", f->json, "Print a summary as JSON on stdout (needs --out)");
  app->add_flag("--quiet", f->quiet, "No progress bar");
  commands.push_back({app, [f]() -> Status {
                        if (f->json && f->out.empty())
                          return Status::InvalidArgument(
                              "--json prints a summary on stdout: give --out FILE.csv for the "
                              "predictions");
                        if (f->quiet) f->o.progress = nullptr;
                        EMLKIT_ASSIGN_OR_RETURN(collect::PredictResult r, collect::Predict(f->o));
                        if (f->out.empty()) {
                          std::fwrite(r.csv.data(), 1, r.csv.size(), stdout);
                        } else {
                          EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(f->out, r.csv));
                        }
                        if (f->json) {
                          std::string s = r.Summary().dump(2) + "\n";
                          std::fwrite(s.data(), 1, s.size(), stdout);
                        } else if (!f->quiet) {
                          std::string flagged = r.task == "anomaly"
                                                    ? fmt::format(", {} flagged (score > {:.6g})",
                                                                  r.flagged, r.threshold)
                                                    : "";
                          std::fprintf(stderr, "%lld rows, %lld with a prediction (from %s)%s%s\n",
                                       static_cast<long long>(r.rows),
                                       static_cast<long long>(r.predicted),
                                       r.first_predicted.c_str(), flagged.c_str(),
                                       f->out.empty() ? "" : ("; wrote " + f->out).c_str());
                        }
                        return Status::Ok();
                      }});
}

}  // namespace emlkit::cli
