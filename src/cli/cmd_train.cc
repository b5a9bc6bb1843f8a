// `emlkit train --data DIR --out MODEL.tflite [options]`: train a small network (or k-means) on a
// prepared data set and write a float .tflite with its emlkit metadata, plus a JSON-lines
// training log (src/train/train_job.h). Options come from flags, else from the [train] section
// of --config, else the defaults (src/train/train_options.h, docs/train.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/config.h"
#include "train/train_job.h"
#include "train/train_options.h"

namespace emlkit::cli {

void RegisterTrainCommand(CLI::App& root, CommandList& commands) {
  struct Options {
    std::string data, out, config, log;
    bool json = false, quiet = false;
    std::vector<std::string> values;  // one per TrainOptionDefs() entry
    std::vector<CLI::Option*> flags;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* app = root.add_subcommand(
      "train",
      "Train a model on a prepared data set (emlkit data prepare) and write it as a float "
      ".tflite with its preprocessing, labels and metrics in the emlkit metadata, plus a "
      "JSON-lines training log next to it. The defaults do the right thing for small sensor "
      "data sets (validation early stopping, weight decay); see docs/train.md");
  app->add_option("--data", opts->data, "The data set folder")->required();
  app->add_option("--out", opts->out, "The .tflite model to write")->required();
  app->add_option("--config", opts->config,
                  "A TOML file whose [train] section sets options (flags win)");
  app->add_option("--log", opts->log, "The training log (default: <out>.train.jsonl)");
  app->add_flag("--json", opts->json, "Print a JSON summary on stdout");
  app->add_flag("--quiet", opts->quiet, "No per-epoch lines (errors and the summary only)");
  const auto& defs = train::TrainOptionDefs();
  opts->values.resize(defs.size());
  for (size_t i = 0; i < defs.size(); ++i)
    opts->flags.push_back(
        app->add_option(std::string("--") + defs[i].flag, opts->values[i], defs[i].help)
            ->type_name(defs[i].type)
            ->group("Training options"));

  commands.push_back({app, [opts]() -> Status {
                        train::TrainJob job;
                        job.data_dir = opts->data;
                        job.out_path = opts->out;
                        job.log_path = opts->log;
                        job.quiet = opts->quiet;
                        if (!opts->config.empty()) {
                          EMLKIT_ASSIGN_OR_RETURN(ConfigFile cfg, ConfigFile::Load(opts->config));
                          EMLKIT_ASSIGN_OR_RETURN(ConfigSection section, cfg.Section("train"));
                          EMLKIT_RETURN_IF_ERROR(train::ApplyTrainConfig(section, &job.options));
                        }
                        const auto& defs = train::TrainOptionDefs();
                        for (size_t i = 0; i < defs.size(); ++i) {
                          if (opts->flags[i]->count() == 0) continue;
                          EMLKIT_RETURN_IF_ERROR(
                              train::SetTrainOption(&job.options, defs[i].key, opts->values[i],
                                                    std::string("--") + defs[i].flag));
                        }
                        train::TrainJobResult result;
                        Status status = train::RunTrainJob(job, &result);
                        if (opts->json && result.fitted) {
                          std::string out = train::TrainSummaryJson(result).dump(2) + "\n";
                          std::fwrite(out.data(), 1, out.size(), stdout);
                        }
                        return status;
                      }});
}

}  // namespace emlkit::cli
