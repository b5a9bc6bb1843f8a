// emlkit: the command-line entry point. Parses arguments, runs one subcommand, maps its Status
// to the exit code (0 ok, 1 the job failed, 2 bad usage or bad input).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "cli/command.h"
#include "common/progress.h"
#include "common/version.h"

namespace {

// The full command path of a sub-app ("emlkit data inspect").
std::string CommandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p; p = p->get_parent())
    path = p->get_name() + " " + path;
  return path;
}

// The deepest sub-app that was named on the command line.
const CLI::App* DeepestParsed(const CLI::App* app) {
  for (const CLI::App* sub : app->get_subcommands()) {
    if (sub->parsed()) return DeepestParsed(sub);
  }
  return app;
}

// CLI11 reports a misspelt subcommand as "A subcommand is required"; name the word instead.
// Walks the leading non-option words down the subcommand tree. Returns "" if all is well.
std::string UnknownCommand(const CLI::App& app, int argc, char** argv) {
  const CLI::App* cur = &app;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.empty() || word[0] == '-') break;
    std::vector<const CLI::App*> subs = cur->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty() && cur != &app) break;
    const CLI::App* next = nullptr;
    for (const CLI::App* s : subs) {
      if (s->check_name(word)) next = s;
    }
    if (!next) {
      std::string names;
      for (const CLI::App* s : subs) names += (names.empty() ? "" : ", ") + s->get_name();
      return "unknown command '" + word + "' for '" + CommandPath(cur) + "'" +
             (names.empty() ? std::string() : "; commands: " + names);
    }
    cur = next;
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "emlkit: embedded machine learning from sensor logs to microcontroller, in one native tool.\n"
      "Exit codes: 0 ok, 1 the job failed, 2 bad usage or bad input.",
      "emlkit"};
  app.set_version_flag("--version", std::string("emlkit ") + emlkit::kVersion);
  app.require_subcommand(1);
  app.fallthrough(false);

  emlkit::cli::CommandList commands;
  emlkit::cli::RegisterAllCommands(app, commands);

  if (std::string unknown = UnknownCommand(app, argc, argv); !unknown.empty()) {
    std::fprintf(stderr, "emlkit: error: %s\nRun 'emlkit --help' for usage.\n", unknown.c_str());
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    const CLI::App* where = DeepestParsed(&app);
    std::fprintf(stderr, "emlkit: error: %s\nRun '%s --help' for usage.\n", e.what(),
                 CommandPath(where).c_str());
    return 2;
  }

  for (const emlkit::cli::Command& cmd : commands) {
    if (!cmd.app->parsed()) continue;
    emlkit::InstallInterruptHandler();
    emlkit::Status status;
    try {
      status = cmd.run();
    } catch (const std::bad_alloc&) {
      status = emlkit::Status::Failed("out of memory");
    } catch (const std::exception& e) {
      status = emlkit::Status::Internal(std::string("unexpected exception: ") + e.what() +
                                        " (please report this as a bug)");
    }
    if (status.ok()) return 0;
    std::fprintf(stderr, "emlkit: error: %s\n", status.message().c_str());
    return status.ExitCode();
  }
  // A group (e.g. "emlkit data") was named without one of its subcommands.
  const CLI::App* where = DeepestParsed(&app);
  std::fprintf(stderr, "%s", where->help().c_str());
  return 2;
}
