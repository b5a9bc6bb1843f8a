// Running the cross tools and the emulator: child processes with a working folder, output
// captured to files and a wall-clock timeout.
#ifndef EMLKIT_SIM_PROCESS_H_
#define EMLKIT_SIM_PROCESS_H_

#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::sim {

struct ProcessResult {
  int exit_code = -1;      // the child's exit status when it exited normally
  int signal = 0;          // the signal that ended it, 0 when it exited
  bool timed_out = false;  // killed (SIGKILL) after the timeout
  double seconds = 0;
  std::string out, err;  // what it wrote on stdout / stderr
};

// Runs argv[0] (searched on PATH) with `argv` in folder `cwd` ("" = ours); kills it after
// `timeout_s` seconds (<= 0: no limit). A program that cannot be started is an error Status;
// any exit code is a result.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, const std::string& cwd,
                                 double timeout_s);

// Runs every command, at most `jobs` at a time; stops at the first failure and returns an error
// naming the command and quoting its stderr.
Status RunAll(const std::vector<std::vector<std::string>>& commands, int jobs);

// True when `program` is an executable on PATH (or an existing executable path).
bool ProgramOnPath(const std::string& program);

// argv joined with spaces, for messages.
std::string CommandText(const std::vector<std::string>& argv);

}  // namespace emlkit::sim

#endif  // EMLKIT_SIM_PROCESS_H_
