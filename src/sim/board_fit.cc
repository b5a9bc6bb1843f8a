#include "sim/board_fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace emlkit::sim {
namespace {

std::string Kind(const tflite::ModelSummary& s, size_t k) {
  const tflite::Operator& op = s.model.operators[k];
  std::string dtype = "none";
  if (!op.inputs.empty() && op.inputs[0] >= 0) {
    dtype = tflite::TensorTypeName(s.model.tensors[op.inputs[0]].type);
  }
  return s.ops[k].name + "/" + dtype;
}

bool HasFloatOps(const tflite::ModelSummary& s) {
  for (size_t k = 0; k < s.ops.size(); ++k) {
    if (Kind(s, k).ends_with("/float32")) return true;
  }
  return false;
}

void SetLatency(const Board& b, BoardFit* f) {
  f->latency_ms = f->instructions * b.cpi / (b.clock_mhz * 1e3);
  f->energy_uj = f->latency_ms * b.active_mw;  // ms x mW = uJ
}

// Sets fits and the verdict line from the sizes.
void Judge(const tflite::ModelSummary& s, BoardFit* f) {
  const int64_t ram_over = f->ram_bytes - f->ram_budget;
  const int64_t flash_over = f->flash_bytes - f->flash_budget;
  f->fits = ram_over <= 0 && flash_over <= 0;
  if (f->fits) {
    f->verdict =
        fmt::format("fits: RAM {} of {} B ({:.0f} %), flash {} of {} B ({:.0f} %)", f->ram_bytes,
                    f->ram_budget, 100.0 * f->ram_bytes / f->ram_budget, f->flash_bytes,
                    f->flash_budget, 100.0 * f->flash_bytes / f->flash_budget);
    return;
  }
  std::vector<std::string> over;
  if (ram_over > 0) {
    over.push_back(
        fmt::format("RAM by {} B (needs {} B, has {} B)", ram_over, f->ram_bytes, f->ram_budget));
  }
  if (flash_over > 0) {
    over.push_back(fmt::format("flash by {} B (needs {} B, has {} B)", flash_over, f->flash_bytes,
                               f->flash_budget));
  }
  std::vector<std::string> tries;
  const bool float_ops = HasFloatOps(s);
  const int64_t without_model = f->flash_bytes - static_cast<int64_t>(s.model_bytes);
  if (flash_over > 0 && without_model > f->flash_budget) {
    // No model change helps: the runtime itself is too big for this board.
    tries.push_back(fmt::format(
        "a bigger board: emlkit's runtime and startup alone need {} B of flash", without_model));
  } else {
    if (float_ops)
      tries.push_back(
          "quantizing to int8 (emlkit quantize: ~4x less weight flash and activation RAM)");
    if (flash_over > 0) tries.push_back("pruning (emlkit prune: fewer weights)");
    if (ram_over > 0) {
      tries.push_back("a smaller input window or fewer channels (smaller activations)");
      if (flash_over <= 0) tries.push_back("pruning (emlkit prune: narrower layers)");
    }
    tries.push_back("a bigger board (--target all compares them)");
  }
  f->verdict = fmt::format("does not fit: overflows {}; try {}", fmt::join(over, " and "),
                           fmt::join(tries, ", "));
}

BoardFit Base(const Board& b, const tflite::ModelSummary& s) {
  BoardFit f;
  f.target = b.name;
  f.description = b.description;
  f.model = s.name;
  f.ram_budget = b.sram_bytes;
  f.flash_budget = b.flash_bytes;
  f.macs = s.macs;
  f.unsupported_ops = s.unsupported_ops;
  return f;
}

}  // namespace

double PredictInstructions(const CostModel& cm, const tflite::ModelSummary& s,
                           std::vector<std::string>* unknown_kinds) {
  std::vector<double> per_mac;
  for (const auto& [kind, ab] : cm.ops) {
    if (ab.first > 0) per_mac.push_back(ab.first);
  }
  std::sort(per_mac.begin(), per_mac.end());
  const double fallback_a = per_mac.empty() ? 10.0 : per_mac[per_mac.size() / 2];
  double total = cm.invoke_overhead;
  for (size_t k = 0; k < s.ops.size(); ++k) {
    const std::string kind = Kind(s, k);
    const double macs = static_cast<double>(s.ops[k].cost.macs);
    auto it = cm.ops.find(kind);
    if (it == cm.ops.end()) {
      if (unknown_kinds) unknown_kinds->push_back(kind);
      total += fallback_a * macs + 200.0;
    } else {
      total += it->second.first * macs + it->second.second;
    }
  }
  return total;
}

BoardFit NotDeployable(const Board& b, const tflite::ModelSummary& s) {
  BoardFit f = Base(b, s);
  f.deployable = false;
  f.estimate_basis = b.emulated.empty() ? "cost-model" : "emulated-count";
  f.verdict = fmt::format(
      "not deployable: emlkit's runtime has no {} (emlkit inspect lists them); replace or remove "
      "these operators",
      fmt::join(s.unsupported_ops, ", "));
  return f;
}

BoardFit FitFromCostModel(const Board& b, const tflite::ModelSummary& s, const CostModel& cm,
                          const SizeTable& sizes, const exporter::AotFigures* aot) {
  if (!s.unsupported_ops.empty()) return NotDeployable(b, s);
  BoardFit f = Base(b, s);
  f.estimate_basis = "cost-model";
  std::vector<std::string> unknown;
  f.instructions = b.cost_factor * PredictInstructions(cm, s, &unknown);
  // Flash: the runtime core and each distinct kernel, scaled to the core's code density, plus
  // the model as stored.
  std::set<std::string> kernels;
  for (const tflite::OpSummary& op : s.ops) kernels.insert(op.name);
  double code = static_cast<double>(sizes.base_flash);
  for (const std::string& k : kernels) {
    auto it = sizes.kernels.find(k);
    code += static_cast<double>(it == sizes.kernels.end() ? sizes.default_kernel : it->second);
  }
  f.flash_bytes = static_cast<int64_t>(std::llround(b.size_factor * code)) +
                  static_cast<int64_t>(s.model_bytes);
  const double arena = static_cast<double>(s.arena_bytes.value_or(0));
  // The arena (activations) keeps its size; the runtime's state and the stack scale with the
  // core's pointer and register width (ram_factor).
  f.ram_bytes = static_cast<int64_t>(arena) +
                static_cast<int64_t>(
                    std::llround(b.ram_factor * static_cast<double>(sizes.base_ram + sizes.stack)));
  if (aot != nullptr && sizes.has_aot) {
    // Generated code: no interpreter, model reader or planner; the kernels' Eval functions only;
    // the weights and records instead of the .tflite; the generated arena.
    f.aot = true;
    const double kernel_code = code - static_cast<double>(sizes.base_flash);
    f.flash_bytes = static_cast<int64_t>(
                        std::llround(b.size_factor * (static_cast<double>(sizes.aot_base_flash) +
                                                      sizes.aot_kernel_share * kernel_code))) +
                    aot->weights_bytes + aot->records_bytes;
    f.ram_bytes =
        aot->arena_bytes +
        std::llround(b.ram_factor * static_cast<double>(sizes.aot_base_ram + sizes.aot_stack));
  }
  // Relative errors add in quadrature: the fit's held-out error, the core factor, the cpi.
  double fit_err = cm.holdout_error_mean;
  if (!unknown.empty()) {
    fit_err = std::max(fit_err, 1.0);
    f.basis_note =
        fmt::format("no fitted cost for {} (median per-MAC cost used)", fmt::join(unknown, ", "));
  }
  f.uncertainty =
      std::sqrt(fit_err * fit_err + b.cost_factor_uncertainty * b.cost_factor_uncertainty +
                b.cpi_uncertainty * b.cpi_uncertainty);
  SetLatency(b, &f);
  Judge(s, &f);
  return f;
}

BoardFit FitFromEmulation(const Board& b, const tflite::ModelSummary& s, const SimReport& r) {
  BoardFit f = Base(b, s);
  f.aot = r.aot;
  f.estimate_basis = "emulated-count";
  f.instructions = r.mean_instructions;
  f.flash_bytes = r.image.flash;
  f.ram_bytes = r.ram_bytes;
  f.records = r.records;
  f.uncertainty = b.cpi_uncertainty;  // the count is exact; cycles per instruction are not
  SetLatency(b, &f);
  Judge(s, &f);
  return f;
}

nlohmann::json BoardFitJson(const BoardFit& f) {
  auto known = [&](int64_t v) { return f.deployable ? nlohmann::json(v) : nlohmann::json(); };
  auto num = [&](double v) { return f.deployable ? nlohmann::json(v) : nlohmann::json(); };
  nlohmann::json j = {
      {"target", f.target},
      {"description", f.description},
      {"model", f.model},
      {"format", f.aot ? "aot" : "interpreter"},
      {"deployable", f.deployable},
      {"fits", f.fits},
      {"ram_bytes", known(f.ram_bytes)},
      {"flash_bytes", known(f.flash_bytes)},
      {"ram_budget", f.ram_budget},
      {"flash_budget", f.flash_budget},
      {"instructions", num(std::round(f.instructions))},
      {"latency_ms", num(f.latency_ms)},
      {"energy_uj", num(f.energy_uj)},
      {"macs", f.macs},
      {"unsupported_ops", f.unsupported_ops},
      {"estimate_basis", f.estimate_basis},
      {"uncertainty", num(f.uncertainty)},
      {"verdict", f.verdict},
  };
  if (!f.basis_note.empty()) j["basis_note"] = f.basis_note;
  if (f.bit_exact) {
    j["bit_exact"] = *f.bit_exact;
    j["records"] = f.records;
  }
  return j;
}

std::string BoardFitText(const BoardFit& f) {
  std::string s = fmt::format("emlkit sim: {} on {} ({}){}\n", f.model, f.target, f.description,
                              f.aot ? ", ahead-of-time generated code" : "");
  if (!f.deployable) return s + "  " + f.verdict + "\n";
  s += fmt::format("  RAM      {:>10} B of {} B\n", f.ram_bytes, f.ram_budget);
  s += fmt::format("  flash    {:>10} B of {} B\n", f.flash_bytes, f.flash_budget);
  s += fmt::format(
      "  latency  {:>10.3f} ms per inference (+-{:.0f} %), {:.0f} instructions, {} MACs\n",
      f.latency_ms, 100 * f.uncertainty, f.instructions, f.macs);
  s += fmt::format("  energy   {:>10.2f} uJ per inference\n", f.energy_uj);
  s += fmt::format("  basis    {}{}\n", f.estimate_basis,
                   f.basis_note.empty() ? "" : " (" + f.basis_note + ")");
  if (f.bit_exact) {
    s += fmt::format("  check    {} records, {}\n", f.records,
                     *f.bit_exact ? "every output bit-exact with the host runtime"
                                  : "outputs DIFFER from the host runtime");
  }
  s += "  verdict  " + f.verdict + "\n";
  return s;
}

std::string BoardFitTable(const std::vector<BoardFit>& fits) {
  std::string s =
      fmt::format("{:<14} {:>4} {:>10} {:>10} {:>11} {:>11} {:>11} {:>11} {:>6}  {}\n", "target",
                  "fits", "RAM B", "of", "flash B", "of", "latency ms", "energy uJ", "+-", "basis");
  for (const BoardFit& f : fits) {
    if (!f.deployable) {
      s += fmt::format("{:<14} {:>4}  {}\n", f.target, "no", f.verdict);
      continue;
    }
    s += fmt::format("{:<14} {:>4} {:>10} {:>10} {:>11} {:>11} {:>11.3f} {:>11.2f} {:>5.0f}%  {}\n",
                     f.target, f.fits ? "yes" : "no", f.ram_bytes, f.ram_budget, f.flash_bytes,
                     f.flash_budget, f.latency_ms, f.energy_uj, 100 * f.uncertainty,
                     f.estimate_basis + (f.basis_note.empty() ? "" : " (" + f.basis_note + ")"));
  }
  for (const BoardFit& f : fits) {
    if (f.deployable && !f.fits) s += fmt::format("{}: {}\n", f.target, f.verdict);
  }
  return s;
}

}  // namespace emlkit::sim
