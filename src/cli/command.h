// How subcommands plug into the `emlkit` CLI.
//
// Each subcommand lives in its own file (cmd_<name>.cc) and exposes one Register function that
// adds a CLI11 sub-app with its options and returns the code to run once parsing succeeded.
// The run function returns a Status; main() prints a failed status on stderr as
// "emlkit: error: <message>" and exits with Status::ExitCode() (0 ok, 1 job failed, 2 bad input).
// Register functions are listed once, in commands.cc.
#ifndef EMLKIT_CLI_COMMAND_H_
#define EMLKIT_CLI_COMMAND_H_

#include <functional>
#include <vector>

#include "common/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace emlkit::cli {

struct Command {
  CLI::App* app;                // the leaf sub-app (e.g. "data inspect")
  std::function<Status()> run;  // runs after a successful parse
};

using CommandList = std::vector<Command>;

// Adds every subcommand to `root` (defined in commands.cc).
void RegisterAllCommands(CLI::App& root, CommandList& commands);

}  // namespace emlkit::cli

#endif  // EMLKIT_CLI_COMMAND_H_
