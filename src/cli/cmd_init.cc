// emlkit init [--example NAME] DIR: a commented emlkit.toml to start a project from.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "common/fs.h"
#include "pipeline/project.h"

namespace emlkit::cli {
namespace {

struct InitFlags {
  std::string dir;
  std::string example = "thermostat";
  bool force = false;
};

Status RunInitCommand(const InitFlags& f) {
  EMLKIT_ASSIGN_OR_RETURN(std::string text, pipeline::ExampleProjectText(f.example));
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(f.dir, ec) && !fs::is_directory(f.dir, ec))
    return Status::InvalidArgument(f.dir + ": is a file; give a folder for the project");
  const std::string path = (fs::path(f.dir) / "emlkit.toml").string();
  if (fs::exists(path, ec) && !f.force)
    return Status::InvalidArgument(path +
                                   ": exists already; keep it, or add --force to replace it");
  fs::create_directories(f.dir, ec);
  if (ec) return Status::IOError(f.dir + ": cannot create the folder: " + ec.message());
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(path, text));
  std::printf("wrote %s (the %s example)\n", path.c_str(), f.example.c_str());
  if (f.example == "occupancy" || f.example == "anomaly" || f.example == "gestures")
    std::printf("  edit [data] input (and test) to point at your copy of the data, then\n");
  std::printf("  emlkit run %s --out %s\n", path.c_str(), (fs::path(f.dir) / "out").c_str());
  return Status::Ok();
}

}  // namespace

void RegisterInitCommand(CLI::App& root, CommandList& commands) {
  auto flags = std::make_shared<InitFlags>();
  CLI::App* app = root.add_subcommand(
      "init", "Writes a commented emlkit.toml into DIR to start a project from (emlkit run).");
  app->add_option("dir", flags->dir, "The project folder (created if missing)")->required();
  app->add_option("--example", flags->example,
                  "Start from: thermostat (simulated room), occupancy (the UCI office data), "
                  "gestures (IMU recordings), anomaly (NAB machine temperature)")
      ->capture_default_str();
  app->add_flag("--force", flags->force, "Replace an existing emlkit.toml");
  commands.push_back({app, [flags] { return RunInitCommand(*flags); }});
}

}  // namespace emlkit::cli
