// emlkit data prepare (placeholder registration until the pipeline lands in this branch).
#include <CLI/CLI.hpp>

#include "cli/data_prepare_flags.h"

namespace emlkit::cli {

void RegisterDataPrepare(CLI::App*, CommandList&) {}

}  // namespace emlkit::cli
