#include "report/report.h"

#include <fmt/format.h>

#include <cmath>

#include "report/svg.h"

namespace emlkit::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kPalette[] = {"#3b6ea8", "#e07b39", "#3a9a5b", "#a64ca6",
                                    "#c0392b", "#7f8c8d", "#b7950b", "#16a085"};

double Number(const Json& v) { return v.is_number() ? v.get<double>() : NAN; }

std::vector<double> Numbers(const Json& a) {
  std::vector<double> out;
  if (a.is_array())
    for (const Json& v : a) out.push_back(Number(v));
  return out;
}

std::string Cell(const Json& v, const char* spec = "{:.4g}") {
  if (v.is_number()) return fmt::format(fmt::runtime(spec), v.get<double>());
  if (v.is_string()) return Escape(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return "&ndash;";
}

std::string Table(const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string o = "<table><tr>";
  for (const auto& h : head) o += "<th>" + Escape(h) + "</th>";
  o += "</tr>";
  for (const auto& r : rows) {
    o += "<tr>";
    for (const auto& c : r) o += "<td>" + c + "</td>";
    o += "</tr>";
  }
  return o + "</table>\n";
}

std::string DataSection(const Json& m, const Json& x) {
  if (!m.contains("data")) return "";
  const Json& d = m["data"];
  std::string o = "<section id=\"data\"><h2>Data</h2>";
  if (d.contains("dataset")) {
    const Json& ds = d["dataset"];
    const Json& r = ds["records"];
    o += Table({"split", "records"}, {{"train", Cell(r["train"], "{:.0f}")},
                                      {"val", Cell(r["val"], "{:.0f}")},
                                      {"test", Cell(r["test"], "{:.0f}")}});
    std::string features, labels;
    for (const Json& f : ds.value("features", Json::array()))
      features += (features.empty() ? "" : ", ") + Escape(f.get<std::string>());
    for (const Json& l : ds.value("labels", Json::array()))
      labels += (labels.empty() ? "" : ", ") + Escape(l.get<std::string>());
    o += "<p><b>Features:</b> " + features + "<br><b>Labels:</b> " +
         (labels.empty() ? "&ndash;" : labels) + "<br><b>Split:</b> " +
         Escape(ds.value("split", "")) + "</p>";
    if (!ds.value("notes", Json::array()).empty()) {
      o += "<p><b>Cleaning:</b></p><ul>";
      for (const Json& n : ds["notes"]) o += "<li>" + Escape(n.get<std::string>()) + "</li>";
      o += "</ul>";
    }
  }
  if (x.contains("problems")) {
    o += "<p><b>Problems found in the raw data</b> (<code>emlkit data inspect</code>):</p><ul>";
    if (x["problems"].empty()) o += "<li>none</li>";
    for (const Json& p : x["problems"]) o += "<li>" + Escape(p.get<std::string>()) + "</li>";
    o += "</ul>";
  }
  if (x.contains("series")) {
    const Json& s = x["series"];
    std::vector<double> idx;
    const size_t points = s["columns"].empty() ? 0 : s["columns"][0].size();
    const double step = s.value("step", 1.0);
    for (size_t i = 0; i < points; ++i) idx.push_back(static_cast<double>(i) * step);
    const std::vector<double> label = Numbers(s.value("label", Json::array()));
    o += fmt::format(
        "<p>The raw series of <code>{}</code> ({} rows; each point the mean of {} "
        "rows){}.</p>",
        Escape(s.value("file", "")), s.value("rows", 0), s.value("step", 1),
        label.empty() ? ""
                      : ", shaded where the label <code>" + Escape(s.value("label_name", "")) +
                            "</code> is set");
    for (size_t c = 0; c < s["names"].size(); ++c) {
      LineChartSpec spec;
      spec.id = "series-" + std::to_string(c);
      spec.title = s["names"][c].get<std::string>();
      spec.x_label = "row";
      spec.x = idx;
      spec.series = {{s["names"][c].get<std::string>(), kPalette[c % 8], Numbers(s["columns"][c])}};
      spec.bands = BandsWhere(idx, label, "#f6e3b4");
      spec.band_name = label.empty() ? "" : s.value("label_name", "label");
      spec.height = 150;
      o += LineChart(spec);
    }
  }
  return o + "</section>\n";
}

std::string TrainingSection(const Json& x) {
  if (!x.contains("curves") || x["curves"].empty()) return "";
  std::vector<double> epoch;
  std::vector<double> tl, vl, tm, vm;
  for (const Json& e : x["curves"]) {
    epoch.push_back(Number(e["epoch"]));
    tl.push_back(Number(e["train_loss"]));
    vl.push_back(Number(e["val_loss"]));
    tm.push_back(Number(e["train_metric"]));
    vm.push_back(Number(e["val_metric"]));
  }
  std::string o = "<section id=\"training\"><h2>Training</h2>";
  LineChartSpec loss;
  loss.id = "loss";
  loss.title = "loss per epoch";
  loss.x_label = "epoch";
  loss.x = epoch;
  loss.series = {{"train", kPalette[0], tl}, {"validation", kPalette[1], vl}};
  o += LineChart(loss);
  LineChartSpec metric = loss;
  metric.id = "metric";
  metric.title = "metric per epoch (accuracy, or MAE for regression)";
  metric.series = {{"train", kPalette[0], tm}, {"validation", kPalette[1], vm}};
  o += LineChart(metric);
  return o + "</section>\n";
}

std::string ModelsSection(const Json& m) {
  if (!m.contains("models")) return "";
  std::string o = "<section id=\"models\"><h2>Models on the test split</h2>";
  std::vector<std::vector<std::string>> rows;
  for (const Json& md : m["models"]) {
    const Json& t = md["test"];
    rows.push_back(
        {Escape(md.value("role", "")), Escape(md.value("file", "")), Cell(md["params"], "{:.0f}"),
         Cell(md["macs"], "{:.0f}"), Cell(md["model_bytes"], "{:.0f}"),
         Cell(md["arena_bytes"], "{:.0f}"), Cell(t.value("accuracy", Json()), "{:.4f}"),
         Cell(t.value("mae", Json()), "{:.4g}"), Cell(t.value("auc", Json()), "{:.4f}")});
  }
  o += Table({"model", "file", "params", "MACs", "flash B", "arena B", "accuracy", "MAE", "AUC"},
             rows);
  if (m.contains("agreement") && m["agreement"].is_number())
    o += fmt::format(
        "<p>The int8 model and its float model agree on {:.2f} % of the test "
        "records.</p>",
        100 * m["agreement"].get<double>());
  std::vector<std::string> labels;
  if (m.contains("data") && m["data"].contains("dataset"))
    for (const Json& l : m["data"]["dataset"].value("labels", Json::array()))
      labels.push_back(l.get<std::string>());
  o += "<div class=\"row\">";
  for (const Json& md : m["models"]) {
    const Json cm = md["test"].value("confusion_matrix", Json());
    if (!cm.is_array() || cm.empty()) continue;
    std::vector<std::vector<double>> counts;
    for (const Json& r : cm) counts.push_back(Numbers(r));
    o += ConfusionChart("confusion-" + md.value("role", ""),
                        "confusion: " + md.value("role", "") + " (" + md.value("file", "") + ")",
                        labels, counts);
  }
  return o + "</div></section>\n";
}

std::string QuantizationSection(const Json& m) {
  if (!m.contains("quantization") || !m["quantization"].contains("comparison")) return "";
  const Json& layers = m["quantization"]["comparison"].value("layers", Json::array());
  if (layers.empty()) return "";
  BarChartSpec s;
  s.id = "quant-error";
  s.title = "per-layer SQNR of the int8 model against its float model (higher is better)";
  s.unit = "dB";
  for (const Json& l : layers) {
    s.labels.push_back(fmt::format("{} {}", l.value("op_index", 0), l.value("op_name", "")));
    s.values.push_back(Number(l.value("sqnr_db", Json())));
  }
  return "<section id=\"quantization\"><h2>Quantization error per layer</h2>" + BarChart(s) +
         "<p>SQNR: signal-to-quantization-noise ratio of each layer's output over the report "
         "records; a missing bar is an exact match.</p></section>\n";
}

std::string LayersSection(const Json& m, const Json& x) {
  if (!x.contains("layers")) return "";
  std::vector<std::vector<std::string>> rows;
  BarChartSpec s;
  s.id = "layer-macs";
  s.title = "MACs per operator of " + (m.contains("model") ? m["model"].value("file", "") : "");
  for (const Json& l : x["layers"]) {
    rows.push_back({Cell(l["index"], "{:.0f}"), Escape(l.value("op", "")),
                    Cell(l["macs"], "{:.0f}"), Cell(l["params"], "{:.0f}"),
                    Cell(l["output_bytes"], "{:.0f}")});
    s.labels.push_back(fmt::format("{} {}", l.value("index", 0), l.value("op", "")));
    s.values.push_back(Number(l["macs"]));
  }
  std::string o = "<section id=\"layers\"><h2>The deployed model, layer by layer</h2>";
  if (m.contains("model"))
    o += fmt::format(
        "<p>{} parameters, {} MACs per inference, {} bytes of .tflite, a {} byte "
        "arena.</p>",
        Cell(m["model"]["params"], "{:.0f}"), Cell(m["model"]["macs"], "{:.0f}"),
        Cell(m["model"]["tflite_bytes"], "{:.0f}"), Cell(m["model"]["arena_bytes"], "{:.0f}"));
  o += Table({"#", "operator", "MACs", "params", "output bytes (arena while it runs)"}, rows);
  return o + BarChart(s) + "</section>\n";
}

std::string BoardsSection(const Json& m) {
  if (!m.contains("targets") || m["targets"].empty()) return "";
  BarChartSpec ram, flash, latency;
  ram.id = "board-ram";
  ram.title = "RAM per board (dashed: the board's budget for the model)";
  ram.unit = "B";
  flash = ram;
  flash.id = "board-flash";
  flash.title = "flash per board (dashed: budget)";
  flash.color = "#3a9a5b";
  latency.id = "board-latency";
  latency.title = "latency per inference";
  latency.unit = "ms";
  latency.color = "#a64ca6";
  std::vector<std::vector<std::string>> rows;
  for (const Json& b : m["targets"]) {
    const std::string name = b.value("target", "");
    for (BarChartSpec* s : {&ram, &flash, &latency}) s->labels.push_back(name);
    ram.values.push_back(Number(b["ram_bytes"]));
    ram.budget.push_back(Number(b["ram_budget"]));
    flash.values.push_back(Number(b["flash_bytes"]));
    flash.budget.push_back(Number(b["flash_budget"]));
    latency.values.push_back(Number(b["latency_ms"]));
    rows.push_back({Escape(name), b.value("fits", false) ? "fits" : "<b>does not fit</b>",
                    Cell(b["ram_bytes"], "{:.0f}"), Cell(b["flash_bytes"], "{:.0f}"),
                    Cell(b["latency_ms"], "{:.3g}"), Escape(b.value("estimate_basis", "")),
                    Escape(b.value("verdict", ""))});
  }
  return "<section id=\"boards\"><h2>Boards: memory and latency against the budget</h2>" +
         Table({"board", "verdict", "RAM B", "flash B", "latency ms", "basis", "detail"}, rows) +
         BarChart(ram) + BarChart(flash) + BarChart(latency) + "</section>\n";
}

std::string ThermostatSection(const Json& m, const Json& x) {
  if (!m.contains("thermostat")) return "";
  const Json& t = m["thermostat"];
  std::vector<std::vector<std::string>> rows;
  BarChartSpec energy, discomfort;
  energy.id = "thermostat-energy";
  energy.title = "heating energy, all scenarios";
  energy.unit = "kWh";
  energy.color = "#e07b39";
  discomfort.id = "thermostat-discomfort";
  discomfort.title = "discomfort: occupied minutes outside the comfort band";
  discomfort.unit = "min";
  discomfort.color = "#c0392b";
  auto add = [&](const std::string& name, const Json& s) {
    if (!s.is_object()) return;
    rows.push_back({Escape(name), Cell(s["occupancy_accuracy"], "{:.3f}"),
                    Cell(s["occupancy_f1"], "{:.3f}"), Cell(s["comfort_violation_min"], "{:.0f}"),
                    Cell(s["energy_kwh"], "{:.1f}")});
    energy.labels.push_back(name);
    energy.values.push_back(Number(s["energy_kwh"]));
    discomfort.labels.push_back(name);
    discomfort.values.push_back(Number(s["comfort_violation_min"]));
  };
  add("the int8 model", t.value("model", Json()));
  for (const auto& [key, name] : {std::pair{"always_comfort", "always comfort"},
                                  std::pair{"fixed_schedule", "fixed schedule"},
                                  std::pair{"motion_timeout", "motion timeout"}})
    if (t.contains("baselines") && t["baselines"].contains(key)) add(name, t["baselines"][key]);
  std::string o = fmt::format(
      "<section id=\"thermostat\"><h2>Thermostat in closed loop</h2><p>{} scenarios &times; {} "
      "days in the simulated {}, the same weather, people and sensor noise for every "
      "controller.</p>",
      t.value("scenarios_run", Json::array()).size(), t.value("days", 0),
      Escape(t.value("room", "")));
  o += Table({"occupancy from", "accuracy", "F1", "discomfort min", "energy kWh"}, rows);
  o += BarChart(energy) + BarChart(discomfort);
  if (x.contains("trace")) {
    const Json& tr = x["trace"];
    LineChartSpec s;
    s.id = "thermostat-day";
    s.title = "one day with the int8 model: " + tr.value("date", "");
    s.x_label = "hour";
    s.y_label = "°C";
    s.right_label = "heater W";
    s.x = Numbers(tr["hour"]);
    double heater_max = 1;
    for (double v : Numbers(tr["heater_w"])) heater_max = std::max(heater_max, v);
    s.right_max = heater_max;
    s.series = {{"heater", "#f0b27a", Numbers(tr["heater_w"]), true, true, true},
                {"air temperature", "#c0392b", Numbers(tr["air_c"])},
                {"setpoint", "#34495e", Numbers(tr["setpoint_c"]), true},
                {"decided occupied", "#3a9a5b", {}, true}};
    // The decision as a thin line along the bottom; people in the room as the shaded bands.
    std::vector<double> decided = Numbers(tr["decided"]);
    double lo = INFINITY;
    for (double v : Numbers(tr["air_c"])) lo = std::min(lo, v);
    for (double v : Numbers(tr["setpoint_c"])) lo = std::min(lo, v);
    for (double& v : decided) v = v > 0 ? lo : NAN;
    s.series[3].y = decided;
    s.bands = BandsWhere(s.x, Numbers(tr["occupied"]), "#d6eaf8");
    s.band_name = "people in the room";
    s.height = 260;
    o += LineChart(s);
  }
  return o + "</section>\n";
}

constexpr const char* kStyle = R"(<style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:900px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f3f3f3}
td:nth-child(1),td:nth-child(2){text-align:left}
figure{margin:8px 0}.row{display:flex;flex-wrap:wrap;gap:12px}.row figure{margin:0}
svg .t{font-size:13px;font-weight:bold}svg .a{font-size:11px}
code{background:#f3f3f3;padding:0 3px}
</style>)";

// Opened as report.html#boxes, the page logs each chart's box ("emlkit-box ID X Y W H", CSS
// pixels of the page) to the console: the screenshot test (tests/integration) reads them.
constexpr const char* kScript = R"(<script>
if (location.hash === '#boxes') {
  document.querySelectorAll('svg.chart').forEach(function (c) {
    var r = c.getBoundingClientRect();
    console.log(['emlkit-box', c.id, Math.round(r.left + window.scrollX),
                 Math.round(r.top + window.scrollY), Math.round(r.width),
                 Math.round(r.height)].join(' '));
  });
}
</script>)";

// What [export] wrote: each format's folder, its files and their bytes.
std::string ExportSection(const nlohmann::ordered_json& m) {
  if (!m.contains("export") || !m["export"].contains("packages")) return "";
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : m["export"]["packages"])
    for (const auto& f : p["files"])
      rows.push_back({Escape(p.value("format", "")),
                      "<code>" + Escape(f.value("file", "")) + "</code>",
                      Cell(f["bytes"], "{:.0f}")});
  return "<section id=\"export\"><h2>Export</h2><p>The deploy packages of "
         "<code>model_int8.tflite</code> (<code>emlkit export</code>).</p>" +
         Table({"format", "file", "bytes"}, rows) + "</section>";
}

}  // namespace

std::string ReportHtml(const Json& m, const Json& x) {
  const std::string name = m.contains("project") ? m["project"].value("name", "") : std::string();
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  o += "<title>emlkit report" + (name.empty() ? "" : ": " + Escape(name)) + "</title>";
  o += kStyle;
  o += "</head><body>\n<h1>emlkit report" + (name.empty() ? "" : ": " + Escape(name)) + "</h1>";
  o += "<p>emlkit " + Escape(m.value("emlkit_version", "")) +
       ". Every figure is also in <code>metrics.json</code> next to this file.</p>\n";
  if (m.contains("timings")) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : m["timings"].items()) rows.push_back({Escape(k), Cell(v, "{:.2f}")});
    o += "<details><summary>stage timings (seconds)</summary>" + Table({"stage", "s"}, rows) +
         "</details>";
  }
  o += DataSection(m, x) + TrainingSection(x) + ModelsSection(m) + QuantizationSection(m) +
       LayersSection(m, x) + BoardsSection(m) + ThermostatSection(m, x);
  o += ExportSection(m);
  return o + kScript + "\n</body></html>\n";
}

}  // namespace emlkit::report
