// emlkit run [emlkit.toml] [--out DIR]: every stage the project configures, re-running only what
// changed (src/pipeline/run.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "pipeline/project.h"
#include "pipeline/run.h"

namespace emlkit::cli {
namespace {

struct RunFlags {
  std::string config = "emlkit.toml";
  std::string out;
  bool force = false;
  bool json = false;
  bool quiet = false;
};

Status RunRunCommand(const RunFlags& f) {
  if (!std::filesystem::exists(f.config))
    return Status::InvalidArgument(f.config +
                                   ": no such project file; write one with `emlkit init DIR` "
                                   "(or name yours: emlkit run path/to/emlkit.toml)");
  EMLKIT_ASSIGN_OR_RETURN(pipeline::Project project, pipeline::LoadProject(f.config));
  pipeline::RunOptions o;
  o.out = f.out.empty()
              ? (std::filesystem::path(f.config).parent_path() / "out").lexically_normal().string()
              : f.out;
  o.force = f.force;
  o.log = f.quiet ? nullptr : stderr;
  o.options = {{"config", f.config}};
  EMLKIT_ASSIGN_OR_RETURN(pipeline::RunResult r, pipeline::RunProject(project, o));
  if (f.json) {
    std::printf("%s\n", r.metrics.dump(2).c_str());
  } else {
    if (!f.quiet) std::fputc('\n', stderr);
    std::fputs(pipeline::RunSummaryText(r).c_str(), stdout);
  }
  return Status::Ok();
}

}  // namespace

void RegisterRunCommand(CLI::App& root, CommandList& commands) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* app = root.add_subcommand(
      "run",
      "Every stage an emlkit.toml configures, in order (roomsim or your CSV files, data prepare, "
      "train, prune, quantize, eval, targets, export, thermostat-eval), into one artifacts "
      "folder with metrics.json and report.html. A stage whose options and input files are "
      "unchanged since its last run is skipped. Keys: docs/emlkit-toml.md.");
  app->add_option("config", flags->config, "The project file")->capture_default_str();
  app->add_option("--out", flags->out,
                  "Artifacts folder (default: out/ next to the project file); kept between runs "
                  "so unchanged stages are skipped");
  app->add_flag("--force", flags->force, "Run every stage, even those up to date");
  app->add_flag("--json", flags->json, "Print metrics.json on stdout instead of the summary");
  app->add_flag("-q,--quiet", flags->quiet, "No progress lines on stderr");
  commands.push_back({app, [flags] { return RunRunCommand(*flags); }});
}

}  // namespace emlkit::cli
