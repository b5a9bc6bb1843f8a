// Small inline-SVG charts for report.html: no script, no fonts to fetch, one string each.
// Every chart is an <svg class="chart"> with a title; values that are NaN leave gaps.
#ifndef EMLKIT_REPORT_SVG_H_
#define EMLKIT_REPORT_SVG_H_

#include <string>
#include <vector>

namespace emlkit::report {

// Text safe inside HTML elements and attributes.
std::string Escape(const std::string& text);

struct Series {
  std::string name;
  std::string color;        // CSS color
  std::vector<double> y;    // one per x; NaN: gap
  bool step = false;        // draw as steps (on/off signals)
  bool area = false;        // fill down to the axis
  bool right_axis = false;  // scaled to the right axis (0..right_max)
};

// A shaded stretch of x (e.g. "occupied").
struct Band {
  double x0 = 0, x1 = 0;
  std::string color;
};

struct LineChartSpec {
  std::string id, title, x_label, y_label;
  std::vector<double> x;
  std::vector<Series> series;
  std::vector<Band> bands;
  std::string band_name;  // legend entry for the bands ("" = none)
  double right_max = 0;   // > 0: a right axis from 0 to this (series with right_axis)
  std::string right_label;
  int width = 760, height = 220;
};
std::string LineChart(const LineChartSpec& spec);

// Horizontal bars, one per label; `budget` (same length, or empty) draws a limit mark per bar.
struct BarChartSpec {
  std::string id, title, unit;
  std::vector<std::string> labels;
  std::vector<double> values;
  std::vector<double> budget;
  std::string color = "#3b6ea8";
  int width = 760;
};
std::string BarChart(const BarChartSpec& spec);

// A confusion matrix: rows true class, columns predicted, cells shaded by their row share.
std::string ConfusionChart(const std::string& id, const std::string& title,
                           const std::vector<std::string>& labels,
                           const std::vector<std::vector<double>>& counts);

// Stretches where `on[i] > 0` as bands over x (x[i] .. x[i + 1]).
std::vector<Band> BandsWhere(const std::vector<double>& x, const std::vector<double>& on,
                             const std::string& color);

}  // namespace emlkit::report

#endif  // EMLKIT_REPORT_SVG_H_
