// `emlkit data prepare` flags (cmd_data_prepare.cc), registered under `emlkit data`.
#ifndef EMLKIT_CLI_DATA_PREPARE_FLAGS_H_
#define EMLKIT_CLI_DATA_PREPARE_FLAGS_H_

#include "cli/command.h"

namespace emlkit::cli {

void RegisterDataPrepare(CLI::App* data, CommandList& commands);

}  // namespace emlkit::cli

#endif  // EMLKIT_CLI_DATA_PREPARE_FLAGS_H_
