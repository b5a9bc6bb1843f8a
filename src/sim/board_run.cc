#include "sim/board_run.h"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "common/fs.h"
#include "common/npy.h"
#include "sim/firmware.h"
#include "sim/process.h"
#include "sim/targets.h"
#include "tflite/runner.h"

namespace emlkit::sim {
namespace {

// Whether the emulated target's compilers, emulator and (for picolibc targets) libc exist.
bool ToolsInstalled(const TargetSpec& t) {
  if (!CheckTools(t, ProgramOnPath).ok()) return false;
  if (t.libc_flags.empty()) return true;
  auto specs = RunProcess({t.cc, "-print-file-name=picolibc.specs"}, "", 30);
  return specs.ok() && specs->out.find('/') != std::string::npos;
}

// One record of zeros per model input, as input<i>.npy in `dir` (the golden folders' layout).
Status WriteZeroInputs(const std::string& model, const std::string& dir) {
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner runner, tflite::Runner::Open(model));
  for (int i = 0; i < runner.num_inputs(); ++i) {
    std::vector<int64_t> shape = {1};
    const tflite::RunnerTensor& t = runner.input(i);
    shape.insert(shape.end(), t.shape.begin(), t.shape.end());
    EMLKIT_RETURN_IF_ERROR(
        WriteNpy(fmt::format("{}/input{}.npy", dir, i), NpyArray::Zeros(t.dtype, shape)));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<BoardFit>> RunTargets(const TargetOptions& o) {
  std::string dir = o.boards_dir;
  if (dir.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(std::string src, SourceDir());
    dir = src + "/targets/boards";
  }
  std::vector<Board> boards;
  if (!o.target.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(std::vector<Board> all, LoadBoards(dir));
    if (o.target == "all") {
      boards = all;
    } else {
      std::vector<std::string> names;
      for (const Board& b : all) {
        names.push_back(b.name);
        if (b.name == o.target) boards.push_back(b);
      }
      if (boards.empty()) {
        return Status::InvalidArgument(fmt::format(
            "--target {}: no such board in {}; use one of {}, all, or --target-file FILE", o.target,
            dir, fmt::join(names, ", ")));
      }
    }
  }
  if (!o.target_file.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(Board b, LoadBoard(o.target_file));
    boards.push_back(b);
  }
  if (boards.empty()) {
    return Status::InvalidArgument("give --target BOARD, --target all or --target-file FILE");
  }
  EMLKIT_ASSIGN_OR_RETURN(CostModel cm, LoadCostModel(dir + "/cost_model.toml"));
  EMLKIT_ASSIGN_OR_RETURN(SizeTable sizes, LoadSizeTable(dir + "/sizes.toml"));
  EMLKIT_ASSIGN_OR_RETURN(tflite::ModelSummary summary, tflite::SummarizeModelFile(o.model));

  ScratchDir zeros("emlkit-board");
  if (o.data.empty() && summary.unsupported_ops.empty()) {
    EMLKIT_RETURN_IF_ERROR(WriteZeroInputs(o.model, zeros.path()));
  }
  std::optional<exporter::AotFigures> aot;
  if (o.aot && summary.unsupported_ops.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(o.model));
    EMLKIT_ASSIGN_OR_RETURN(aot, exporter::MeasureAot(bytes, o.model));
  }
  std::map<std::string, SimReport> runs;  // one emulated run per core
  std::vector<BoardFit> fits;
  for (const Board& b : boards) {
    if (!summary.unsupported_ops.empty()) {
      fits.push_back(NotDeployable(b, summary));
      continue;
    }
    const TargetSpec* t = b.emulated.empty() ? nullptr : FindTarget(b.emulated);
    if (t == nullptr || !o.emulate || !ToolsInstalled(*t)) {
      BoardFit f = FitFromCostModel(b, summary, cm, sizes, aot ? &*aot : nullptr);
      if (t != nullptr && f.basis_note.empty()) {
        f.basis_note = o.emulate ? fmt::format(
                                       "the {} toolchain or emulator is not installed: "
                                       "sudo apt-get install {}",
                                       t->name, fmt::join(t->packages, " "))
                                 : "emulation switched off";
      }
      fits.push_back(f);
      continue;
    }
    if (!runs.contains(t->name)) {
      SimOptions so;
      so.model = o.model;
      so.target = t->name;
      so.data = o.data.empty() ? zeros.path() : o.data;
      so.split = o.split;
      so.records = o.data.empty() ? 1 : o.records;
      so.per_op = false;
      so.aot = o.aot;
      EMLKIT_ASSIGN_OR_RETURN(SimReport r, RunSim(so));
      runs.emplace(t->name, std::move(r));
    }
    BoardFit f = FitFromEmulation(b, summary, runs.at(t->name));
    if (!o.data.empty()) f.bit_exact = runs.at(t->name).bit_exact;
    fits.push_back(f);
  }
  return fits;
}

}  // namespace emlkit::sim
