// Board profiles (targets/boards/*.toml) and the data `emlkit sim --target` estimates with: the
// per-operator cost model (cost_model.toml) and the per-component size table (sizes.toml), for
// boards whose core has no emulated build. The fields are documented in targets/boards/README.md.
//
//   EMLKIT_ASSIGN_OR_RETURN(Board b, LoadBoard("targets/boards/nano33ble.toml"));
//   // b.sram_bytes == 262144, b.emulated == "cortex-m4"
#ifndef EMLKIT_SIM_BOARD_H_
#define EMLKIT_SIM_BOARD_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::sim {

struct Board {
  std::string file;  // where it was read from
  std::string name, description, core, os;
  std::string emulated;  // the --emulate target that stands for it; empty: none
  double clock_mhz = 0, active_mw = 0, sleep_mw = 0;
  int64_t sram_bytes = 0, flash_bytes = 0;
  bool fpu = false, simd = false;
  double cpi = 1, cpi_uncertainty = 0.3;  // cycles per instruction and its relative error
  // For the cost model (no emulator): instructions relative to the reference core's, and its
  // relative uncertainty; code size and RAM relative to the reference core's build.
  double cost_factor = 1, cost_factor_uncertainty = 0.3, size_factor = 1, ram_factor = 1;
};

// Reads one board file. Errors (InvalidArgument, exit 2) name FILE:LINE:COL and the field: a
// missing required field, a field of the wrong type, an unknown field, a value out of range.
Result<Board> LoadBoard(const std::string& path);
// Every *.toml board file in `dir` except cost_model.toml and sizes.toml, sorted by name.
Result<std::vector<Board>> LoadBoards(const std::string& dir);

// instructions per operator = a * MACs + b on the reference core, per kind "NAME/dtype".
struct CostModel {
  std::string file, reference_core;
  double invoke_overhead = 0;
  double holdout_error = 0, holdout_error_mean = 0;  // relative, leave-one-model-out
  std::map<std::string, std::pair<double, double>> ops;
};
Result<CostModel> LoadCostModel(const std::string& path);

struct SizeTable {
  std::string file;
  int64_t base_flash = 0, base_ram = 0, stack = 0, default_kernel = 0;
  std::map<std::string, int64_t> kernels;  // by operator name
  // [aot] (optional): the same for ahead-of-time generated code (--format aot), whose image has
  // no interpreter and links only the kernels' Eval functions (aot_kernel_share of [kernels]).
  bool has_aot = false;
  int64_t aot_base_flash = 0, aot_base_ram = 0, aot_stack = 0;
  double aot_kernel_share = 1.0;
};
Result<SizeTable> LoadSizeTable(const std::string& path);

}  // namespace emlkit::sim

#endif  // EMLKIT_SIM_BOARD_H_
