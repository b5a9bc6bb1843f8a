#include "sim/board.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "common/config.h"
#include "sim/targets.h"

namespace fs = std::filesystem;

namespace emlkit::sim {
namespace {

// A required field: absent -> an error naming the file, the line of the table and the field.
template <typename T>
Status Require(const ConfigSection& s, const std::string& key, T* out) {
  if (!s.Has(key)) {
    return Status::InvalidArgument(fmt::format(
        "{}: missing field '{}' (targets/boards/README.md lists the fields)", s.Where(key), key));
  }
  return s.Get(key, out);
}

Status Positive(const ConfigSection& s, const std::string& key, double v) {
  if (v > 0) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("{}: field '{}' must be greater than 0, found {}", s.Where(key), key, v));
}

}  // namespace

Result<Board> LoadBoard(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(ConfigFile cfg, ConfigFile::Load(path));
  const ConfigSection s = cfg.Root();
  EMLKIT_RETURN_IF_ERROR(
      s.CheckKnown({"name", "description", "core", "clock_mhz", "sram_bytes", "flash_bytes", "fpu",
                    "simd", "active_mw", "sleep_mw", "os", "emulated", "cpi", "cpi_uncertainty",
                    "cost_factor", "cost_factor_uncertainty", "size_factor", "ram_factor"}));
  Board b;
  b.file = path;
  EMLKIT_RETURN_IF_ERROR(Require(s, "name", &b.name));
  EMLKIT_RETURN_IF_ERROR(Require(s, "core", &b.core));
  EMLKIT_RETURN_IF_ERROR(Require(s, "clock_mhz", &b.clock_mhz));
  EMLKIT_RETURN_IF_ERROR(Require(s, "sram_bytes", &b.sram_bytes));
  EMLKIT_RETURN_IF_ERROR(Require(s, "flash_bytes", &b.flash_bytes));
  EMLKIT_RETURN_IF_ERROR(Require(s, "fpu", &b.fpu));
  EMLKIT_RETURN_IF_ERROR(Require(s, "simd", &b.simd));
  EMLKIT_RETURN_IF_ERROR(Require(s, "active_mw", &b.active_mw));
  EMLKIT_RETURN_IF_ERROR(Require(s, "sleep_mw", &b.sleep_mw));
  EMLKIT_RETURN_IF_ERROR(Require(s, "os", &b.os));
  EMLKIT_RETURN_IF_ERROR(Require(s, "cpi", &b.cpi));
  b.description = b.name;
  EMLKIT_RETURN_IF_ERROR(s.Get("description", &b.description));
  EMLKIT_RETURN_IF_ERROR(s.Get("emulated", &b.emulated));
  EMLKIT_RETURN_IF_ERROR(s.Get("cpi_uncertainty", &b.cpi_uncertainty));
  if (b.emulated.empty()) {
    // The cost model needs the core's factors: no silent default for a core we know nothing of.
    EMLKIT_RETURN_IF_ERROR(Require(s, "cost_factor", &b.cost_factor));
    EMLKIT_RETURN_IF_ERROR(Require(s, "cost_factor_uncertainty", &b.cost_factor_uncertainty));
    EMLKIT_RETURN_IF_ERROR(Require(s, "size_factor", &b.size_factor));
  } else {
    EMLKIT_RETURN_IF_ERROR(s.Get("cost_factor", &b.cost_factor));
    EMLKIT_RETURN_IF_ERROR(s.Get("cost_factor_uncertainty", &b.cost_factor_uncertainty));
    EMLKIT_RETURN_IF_ERROR(s.Get("size_factor", &b.size_factor));
  }
  EMLKIT_RETURN_IF_ERROR(s.Get("ram_factor", &b.ram_factor));
  if (!b.emulated.empty() && FindTarget(b.emulated) == nullptr) {
    return Status::InvalidArgument(
        fmt::format("{}: field 'emulated' is \"{}\": not an emulated target; use one of {} (or "
                    "leave it out for a core with no emulator)",
                    s.Where("emulated"), b.emulated, TargetNames()));
  }
  if (b.os != "none" && b.os != "linux") {
    return Status::InvalidArgument(fmt::format(
        "{}: field 'os' must be \"none\" or \"linux\", found \"{}\"", s.Where("os"), b.os));
  }
  for (const auto& [key, v] :
       std::vector<std::pair<const char*, double>>{{"clock_mhz", b.clock_mhz},
                                                   {"sram_bytes", double(b.sram_bytes)},
                                                   {"flash_bytes", double(b.flash_bytes)},
                                                   {"active_mw", b.active_mw},
                                                   {"cpi", b.cpi},
                                                   {"cost_factor", b.cost_factor},
                                                   {"size_factor", b.size_factor},
                                                   {"ram_factor", b.ram_factor}}) {
    EMLKIT_RETURN_IF_ERROR(Positive(s, key, v));
  }
  return b;
}

Result<std::vector<Board>> LoadBoards(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string f = e.path().filename().string();
    if (e.path().extension() == ".toml" && f != "cost_model.toml" && f != "sizes.toml") {
      files.push_back(e.path().string());
    }
  }
  if (ec)
    return Status::InvalidArgument(
        fmt::format("{}: cannot list board files: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  std::vector<Board> boards;
  for (const std::string& f : files) {
    EMLKIT_ASSIGN_OR_RETURN(Board b, LoadBoard(f));
    boards.push_back(std::move(b));
  }
  return boards;
}

Result<CostModel> LoadCostModel(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(ConfigFile cfg, ConfigFile::Load(path));
  const ConfigSection s = cfg.Root();
  CostModel m;
  m.file = path;
  EMLKIT_RETURN_IF_ERROR(Require(s, "reference_core", &m.reference_core));
  EMLKIT_RETURN_IF_ERROR(Require(s, "invoke_overhead", &m.invoke_overhead));
  EMLKIT_RETURN_IF_ERROR(Require(s, "holdout_error", &m.holdout_error));
  EMLKIT_RETURN_IF_ERROR(Require(s, "holdout_error_mean", &m.holdout_error_mean));
  EMLKIT_ASSIGN_OR_RETURN(ConfigSection ops, s.Sub("ops"));
  for (const std::string& k : ops.Keys()) {
    EMLKIT_ASSIGN_OR_RETURN(ConfigSection op, ops.Sub(k));
    double a = 0, b = 0;
    EMLKIT_RETURN_IF_ERROR(Require(op, "a", &a));
    EMLKIT_RETURN_IF_ERROR(Require(op, "b", &b));
    m.ops[k] = {a, b};
  }
  return m;
}

Result<SizeTable> LoadSizeTable(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(ConfigFile cfg, ConfigFile::Load(path));
  const ConfigSection s = cfg.Root();
  SizeTable t;
  t.file = path;
  EMLKIT_RETURN_IF_ERROR(Require(s, "base_flash", &t.base_flash));
  EMLKIT_RETURN_IF_ERROR(Require(s, "base_ram", &t.base_ram));
  EMLKIT_RETURN_IF_ERROR(Require(s, "stack", &t.stack));
  EMLKIT_RETURN_IF_ERROR(Require(s, "default_kernel", &t.default_kernel));
  EMLKIT_ASSIGN_OR_RETURN(ConfigSection k, s.Sub("kernels"));
  for (const std::string& name : k.Keys()) {
    int64_t v = 0;
    EMLKIT_RETURN_IF_ERROR(k.Get(name, &v));
    t.kernels[name] = v;
  }
  if (s.Has("aot")) {
    EMLKIT_ASSIGN_OR_RETURN(ConfigSection a, s.Sub("aot"));
    t.has_aot = true;
    EMLKIT_RETURN_IF_ERROR(Require(a, "base_flash", &t.aot_base_flash));
    EMLKIT_RETURN_IF_ERROR(Require(a, "base_ram", &t.aot_base_ram));
    EMLKIT_RETURN_IF_ERROR(Require(a, "stack", &t.aot_stack));
    EMLKIT_RETURN_IF_ERROR(a.Get("kernel_share", &t.aot_kernel_share));
  }
  return t;
}

}  // namespace emlkit::sim
