// `emlkit sim --emulate TARGET`: builds firmware from the device runtime, the model and the
// replay harness (firmware.h), replays every record of a data set on an emulated core in one
// emulator launch, checks the outputs against the host runtime byte for byte, and reports
// instruction counts (QEMU has no timing model: instructions, not cycles), image sizes and RAM.
#ifndef EMLKIT_SIM_SIM_H_
#define EMLKIT_SIM_SIM_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "sim/firmware.h"

namespace emlkit::sim {

struct SimOptions {
  std::string model;   // .tflite
  std::string target;  // a TargetSpec name
  std::string data;    // data set folder (dataset.json), golden folder (input0.npy...), or .npy
  std::string split = "test";
  int64_t records = -1;  // at most this many (-1: all)
  double timeout_s = 0;  // 0: scaled to the model's MACs and the records
  bool per_op = true;    // one extra hooked Invoke for per-operator counts
  bool aot = false;      // --format aot: ahead-of-time generated code instead of the interpreter
  // Test switches passed to the harness: flip a byte of an output / fault / hang at a record.
  int64_t flip_record = -1, fault_record = -1, hang_record = -1;
};

struct Mismatch {
  int64_t record = 0;
  int output = 0;
  int64_t byte = 0;
  int device = 0, host = 0;  // the byte values
};

struct OpCount {
  int32_t op = 0;
  std::string name;
  uint64_t instructions = 0;
  double share = 0;
};

struct SimReport {
  std::string target, board, model;
  int64_t records = 0;
  bool bit_exact = false;
  int64_t mismatch_count = 0;        // differing bytes over all records
  std::vector<Mismatch> mismatches;  // the first few
  // Largest difference in units in the last place over float32 outputs (-1: no float outputs).
  int64_t max_float_ulp = -1;
  ImageSizes image;             // the minimal deployable image
  int64_t stack_bytes = -1;     // measured peak stack (-1: unknown on this target)
  int64_t ram_bytes = 0;        // .data + .bss (arena included) + stack
  size_t arena_bytes = 0;       // what Init used on the device (the target's kernels)
  size_t host_arena_bytes = 0;  // what the host runtime plans for the same model
  int64_t macs = 0;
  uint64_t init_instructions = 0;
  uint64_t min_instructions = 0, max_instructions = 0;
  double mean_instructions = 0;
  std::vector<OpCount> ops;
  bool aot = false;  // generated code (--format aot) ran, not the interpreter
  bool runtime_cached = false;
  double emulator_seconds = 0;
};

Result<SimReport> RunSim(const SimOptions& o);
nlohmann::json ReportJson(const SimReport& r);
std::string ReportText(const SimReport& r);

}  // namespace emlkit::sim

#endif  // EMLKIT_SIM_SIM_H_
