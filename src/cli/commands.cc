// The one list of emlkit subcommands. Adding a subcommand: write cmd_<name>.cc with a
// Register<Name>Command function, declare it here and call it in RegisterAllCommands.
#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace emlkit::cli {

void RegisterCollectCommand(CLI::App& root, CommandList& commands);
void RegisterDataCommand(CLI::App& root, CommandList& commands);
void RegisterMonitorCommand(CLI::App& root, CommandList& commands);
void RegisterInspectCommand(CLI::App& root, CommandList& commands);
void RegisterInvokeCommand(CLI::App& root, CommandList& commands);
void RegisterRoomsimCommand(CLI::App& root, CommandList& commands);
void RegisterThermostatEvalCommand(CLI::App& root, CommandList& commands);
void RegisterTrainCommand(CLI::App& root, CommandList& commands);
void RegisterEvalCommand(CLI::App& root, CommandList& commands);
void RegisterDemoCommand(CLI::App& root, CommandList& commands);
void RegisterQuantizeCommand(CLI::App& root, CommandList& commands);
void RegisterPruneCommand(CLI::App& root, CommandList& commands);
void RegisterSimCommand(CLI::App& root, CommandList& commands);
void RegisterExportCommand(CLI::App& root, CommandList& commands);
void RegisterPredictCommand(CLI::App& root, CommandList& commands);
void RegisterInitCommand(CLI::App& root, CommandList& commands);
void RegisterRunCommand(CLI::App& root, CommandList& commands);

void RegisterAllCommands(CLI::App& root, CommandList& commands) {
  // In the order of the workflow (and of `emlkit --help`).
  RegisterDemoCommand(root, commands);
  RegisterInitCommand(root, commands);
  RegisterRunCommand(root, commands);
  RegisterRoomsimCommand(root, commands);
  RegisterCollectCommand(root, commands);
  RegisterDataCommand(root, commands);
  RegisterTrainCommand(root, commands);
  RegisterPruneCommand(root, commands);
  RegisterQuantizeCommand(root, commands);
  RegisterEvalCommand(root, commands);
  RegisterInspectCommand(root, commands);
  RegisterInvokeCommand(root, commands);
  RegisterPredictCommand(root, commands);
  RegisterSimCommand(root, commands);
  RegisterExportCommand(root, commands);
  RegisterThermostatEvalCommand(root, commands);
  RegisterMonitorCommand(root, commands);
}

}  // namespace emlkit::cli
