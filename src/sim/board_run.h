// `emlkit sim MODEL --target BOARD|all [--target-file F] [--data DIR]`: the board profiles from
// targets/boards/ (or a file), one emulated run per distinct emulated core the boards need
// (zeros as input unless --data is given; with --data every record is also checked bit for
// bit), else the cost model; one BoardFit per board (board_fit.h).
#ifndef EMLKIT_SIM_BOARD_RUN_H_
#define EMLKIT_SIM_BOARD_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "sim/board_fit.h"

namespace emlkit::sim {

struct TargetOptions {
  std::string model;        // .tflite
  std::string target;       // a board name, "all", or empty when only target_file is given
  std::string target_file;  // a board file of the user's
  std::string boards_dir;   // empty: <source dir>/targets/boards
  std::string data;         // optional: as SimOptions::data
  std::string split = "test";
  int64_t records = -1;
  bool emulate = true;  // false: the cost model for every board (tests, no QEMU)
  bool aot = false;     // --format aot: ahead-of-time generated code instead of the interpreter
};

Result<std::vector<BoardFit>> RunTargets(const TargetOptions& o);

}  // namespace emlkit::sim

#endif  // EMLKIT_SIM_BOARD_RUN_H_
