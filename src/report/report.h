// report.html: the figures of one `emlkit run` as one self-contained page — inline SVG charts
// and tables, inline CSS, no network, no external script. Sections (each shown when its data is
// there):
//   data         records per split, features, labels, cleaning notes, the problems `emlkit data
//                inspect` finds, and the raw series of the first input with its label shaded
//   training     training and validation loss and metric per epoch
//   models       test metrics and confusion matrices of the float / pruned / int8 models
//   quantization per-layer SQNR of the int8 model against its float model
//   layers       the deployed model's operators: MACs, parameters, output bytes
//   boards       RAM, flash and latency per board against its budget (`emlkit sim --target`)
//   thermostat   the closed-loop comparison with the baselines and a day's trace (temperature,
//                setpoint, heater, true and decided occupancy)
// A small inline script logs each chart's box to the console when the page is opened as
// report.html#boxes (the screenshot test reads them); the page shows the same without it.
#ifndef EMLKIT_REPORT_REPORT_H_
#define EMLKIT_REPORT_REPORT_H_

#include <nlohmann/json.hpp>
#include <string>

namespace emlkit::report {

// `metrics`: metrics.json (docs/metrics-json.md). `extra`: what only the report shows —
// "series", "problems", "curves", "layers", "trace" (src/pipeline/stages*.cc make them).
std::string ReportHtml(const nlohmann::ordered_json& metrics, const nlohmann::ordered_json& extra);

}  // namespace emlkit::report

#endif  // EMLKIT_REPORT_REPORT_H_
