// DemoSummaryText: the figures of metrics.json a person looks at first.
#include <fmt/format.h>

#include "pipeline/demo.h"

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

}  // namespace

std::string DemoSummaryText(const DemoResult& r) {
  const nlohmann::ordered_json& m = r.metrics;
  const auto& opt = m["options"];
  std::string s = fmt::format(
      "emlkit demo: {} (seed {}), trained on {} simulated days, tested on the {} days after "
      "them\n\n",
      opt.value("room", ""), opt.value("seed", 0), opt.value("train_days", 0),
      opt.value("test_days", 0));

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

  s += fmt::format(
      "\nwritten to {}/: room_train*.csv (four heating policies) room_test.csv dataset/ "
      "model_float.tflite{} "
      "model_int8.tflite, the reports quantize_report.txt{} thermostat_eval.txt, and every figure "
      "in metrics.json\n",
      r.dir, m.contains("pruning") ? " model_pruned.tflite" : "",
      m.contains("pruning") ? " prune_report.txt" : "");
  return s;
}

}  // namespace emlkit::pipeline
