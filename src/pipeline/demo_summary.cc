// DemoSummaryText and RunSummaryText: the figures of metrics.json a person looks at first.
#include <fmt/format.h>

#include "pipeline/demo.h"
#include "pipeline/run.h"

namespace emlkit::pipeline {
namespace {

std::string Num(const nlohmann::json& v, const char* fmt_spec) {
  if (!v.is_number()) return "-";
  return fmt::format(fmt::runtime(fmt_spec), v.get<double>());
}

std::string ControllerLine(const std::string& name, const nlohmann::json& s) {
  return fmt::format("  {:<24}{:>10}{:>8}{:>16}{:>12}{:>10}\n", name,
                     Num(s.value("occupancy_accuracy", nlohmann::json()), "{:.3f}"),
                     Num(s.value("occupancy_f1", nlohmann::json()), "{:.3f}"),
                     Num(s.value("comfort_violation_min", nlohmann::json()), "{:.0f}"),
                     Num(s.value("energy_kwh", nlohmann::json()), "{:.1f}"),
                     Num(s.value("cost", nlohmann::json()), "{:.0f}"));
}

std::string ModelsText(const nlohmann::ordered_json& m) {
  std::string s;
  s += "models on the test period (through the device runtime)\n";
  s += fmt::format("  {:<8}{:<22}{:>8}{:>8}{:>10}{:>10}{:>10}\n", "model", "file", "params", "MACs",
                   "flash B", "RAM B", "accuracy");
  for (const auto& mj : m["models"]) {
    s += fmt::format(
        "  {:<8}{:<22}{:>8}{:>8}{:>10}{:>10}{:>10}\n", mj.value("role", ""), mj.value("file", ""),
        mj.value("params", 0), mj.value("macs", 0), mj.value("model_bytes", 0),
        mj["arena_bytes"].is_number() ? std::to_string(mj["arena_bytes"].get<int64_t>()) : "-",
        Num(mj["test"].value("accuracy", nlohmann::json()), "{:.4f}"));
  }
  const auto& q = m["quantization"];
  if (q.contains("agreement") && q["agreement"].is_number())
    s += fmt::format("  int8 and its float model agree on {:.2f} % of the test records\n",
                     100 * q["agreement"].get<double>());
  s += "  (flash B: the .tflite file; RAM B: the arena the runtime plans for it)\n";

  return s;
}

std::string ThermostatText(const nlohmann::ordered_json& m) {
  std::string s;
  if (!m.contains("thermostat")) return s;
  const auto& t = m["thermostat"];
  s += fmt::format(
      "\nthermostat in closed loop with the room: {} scenarios x {} day{}, all together\n",
      t["scenarios_run"].size(), t.value("days", 0), t.value("days", 0) == 1 ? "" : "s");
  s += fmt::format("  {:<24}{:>10}{:>8}{:>16}{:>12}{:>10}\n", "occupancy from", "accuracy", "F1",
                   "discomfort min", "energy kWh", "cost");
  if (t["model"].is_object()) s += ControllerLine("the int8 model", t["model"]);
  for (const auto& [key, name] : {std::pair{"always_comfort", "always comfort"},
                                  std::pair{"fixed_schedule", "fixed schedule"},
                                  std::pair{"motion_timeout", "motion timeout (30 min)"}}) {
    if (t["baselines"].contains(key)) s += ControllerLine(name, t["baselines"][key]);
  }
  const double lambda =
      t.contains("objective") ? t["objective"].value("lambda_min_per_kwh", 0.0) : 0.0;
  s += fmt::format(
      "  (discomfort: occupied minutes outside the comfort band; cost = discomfort + {:g} x kWh; "
      "per scenario in thermostat_eval.txt)\n",
      lambda);
  if (t.contains("controller")) {
    const auto& c = t["controller"];
    s += fmt::format(
        "  the model's controller: P(occupied) >= {:.2f}, comfort after {} min, setback after "
        "{} min of estimates{}\n",
        c.value("threshold", 0.5), c.value("occupy_delay_s", 0) / 60,
        c.value("vacate_delay_s", 0) / 60,
        m.contains("tuning") ? fmt::format(" (chosen for the lowest cost on validation seeds {})",
                                           m["tuning"]["validation_seeds"].dump())
                             : std::string());
  }

  return s;
}

std::string TargetsText(const nlohmann::ordered_json& m) {
  if (!m.contains("targets") || m["targets"].empty()) return "";
  std::string s = "\nboards (int8 model; details in targets.txt)\n";
  s += fmt::format("  {:<14}{:>10}{:>12}{:>14}  {}\n", "board", "RAM B", "flash B", "latency ms",
                   "verdict");
  for (const auto& b : m["targets"])
    s += fmt::format("  {:<14}{:>10}{:>12}{:>14}  {}\n", b.value("target", ""),
                     Num(b["ram_bytes"], "{:.0f}"), Num(b["flash_bytes"], "{:.0f}"),
                     Num(b["latency_ms"], "{:.3f}"),
                     b.value("fits", false) ? "fits" : "does not fit");
  return s;
}

std::string ExportText(const nlohmann::ordered_json& m) {
  if (!m.contains("export") || !m["export"].contains("packages")) return "";
  std::string s = "\nexported (model_int8.tflite)\n";
  for (const auto& p : m["export"]["packages"])
    s += fmt::format("  {:<10}{:<24}{:>4} files{:>10} bytes\n", p.value("format", ""),
                     p.value("out", "") + "/", p["files"].size(), p.value("bytes", 0));
  return s;
}

}  // namespace

std::string DemoSummaryText(const DemoResult& r) {
  const nlohmann::ordered_json& m = r.metrics;
  const auto& opt = m["options"];
  std::string s = fmt::format(
      "emlkit demo: {} (seed {}), trained on {} simulated days, tested on the {} days after "
      "them\n\n",
      opt.value("room", ""), opt.value("seed", 0), opt.value("train_days", 0),
      opt.value("test_days", 0));

  s += ModelsText(m);
  s += TargetsText(m);
  s += ThermostatText(m);
  s += fmt::format(
      "\nwritten to {}/: room_train*.csv (four heating policies) room_test.csv dataset/ "
      "model_float.tflite{} model_int8.tflite export/, the reports quantize_report.txt{} "
      "targets.txt thermostat_eval.txt, every figure in metrics.json and the charts in "
      "report.html\n",
      r.dir, m.contains("pruning") ? " model_pruned.tflite" : "",
      m.contains("pruning") ? " prune_report.txt" : "");
  return s;
}

std::string RunSummaryText(const RunResult& r) {
  const nlohmann::ordered_json& m = r.metrics;
  std::string s = fmt::format("emlkit run: {} into {}/\n\nstages\n",
                              m["project"].value("name", "") == "" ? m["project"].value("file", "")
                                                                   : m["project"].value("name", ""),
                              r.dir);
  for (const StageOutcome& st : r.stages)
    s += fmt::format("  {:<12}{:<14}{:>8.2f} s\n", st.name, st.skipped ? "up to date" : "ran",
                     st.seconds);
  s += "\n" + ModelsText(m) + TargetsText(m) + ThermostatText(m);
  s += ExportText(m);
  s += fmt::format("\nevery figure in {0}/metrics.json, the charts in {0}/report.html\n", r.dir);
  return s;
}

}  // namespace emlkit::pipeline
