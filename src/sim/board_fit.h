// The pre-flash verdict of `emlkit sim MODEL --target BOARD`: RAM, flash, latency and energy of
// one model on one board, and whether it fits. Two bases:
//  - "emulated-count": the board's core has an emulated target (Board::emulated) whose tools are
//    installed; RAM, flash and instructions per Invoke come from the real cross-compiled minimal
//    image and its QEMU run (sim.h), latency = instructions x cpi / clock.
//  - "cost-model": no emulator (Xtensa, AVR) or its tools are missing; instructions from the
//    per-operator cost model x the board's cost_factor, flash and RAM from the size table.
#ifndef EMLKIT_SIM_BOARD_FIT_H_
#define EMLKIT_SIM_BOARD_FIT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "export/aot.h"
#include "sim/board.h"
#include "sim/sim.h"
#include "tflite/summary.h"

namespace emlkit::sim {

struct BoardFit {
  std::string target, description, model;
  std::string estimate_basis;  // "emulated-count" or "cost-model"
  std::string basis_note;      // e.g. "emulator cortex-m4 not installed"
  bool deployable = true;      // false: operators emlkit's runtime does not run
  bool fits = false;
  int64_t ram_bytes = -1, flash_bytes = -1;  // -1: unknown (not deployable)
  int64_t ram_budget = 0, flash_budget = 0;
  int64_t macs = 0;
  double instructions = 0;  // per Invoke on the board's core
  double latency_ms = 0, energy_uj = 0;
  double uncertainty = 0;  // expected relative error of latency and energy
  std::vector<std::string> unsupported_ops;
  std::optional<bool> bit_exact;  // with --data on an emulated core
  int64_t records = 0;
  std::string verdict;  // one line: "fits" or what overflows by how much and what to try
  bool aot = false;     // figures of ahead-of-time generated code (--format aot)
};

// The instructions per Invoke the cost model predicts on its reference core (before a board's
// cost_factor); `unknown_kinds` gets operator kinds the model was not fitted on (they are
// estimated with the median per-MAC cost).
double PredictInstructions(const CostModel& cm, const tflite::ModelSummary& s,
                           std::vector<std::string>* unknown_kinds);

// A board without (usable) emulator.
// With `aot` (--format aot): flash and RAM of generated code, from the size table's [aot]
// section and the generated arena, weights and records.
BoardFit FitFromCostModel(const Board& b, const tflite::ModelSummary& s, const CostModel& cm,
                          const SizeTable& sizes, const exporter::AotFigures* aot = nullptr);
// A board whose core was emulated: `r` is the emulated run of the model.
BoardFit FitFromEmulation(const Board& b, const tflite::ModelSummary& s, const SimReport& r);
// A model with unsupported operators: not deployable, nothing measured.
BoardFit NotDeployable(const Board& b, const tflite::ModelSummary& s);

nlohmann::json BoardFitJson(const BoardFit& f);
// One board in detail.
std::string BoardFitText(const BoardFit& f);
// One row per board.
std::string BoardFitTable(const std::vector<BoardFit>& fits);

}  // namespace emlkit::sim

#endif  // EMLKIT_SIM_BOARD_FIT_H_
