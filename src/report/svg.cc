#include "report/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace emlkit::report {
namespace {

constexpr int kLeft = 56, kRight = 56, kTop = 28, kBottom = 34;

std::string Num(double v) {
  if (v == 0) return "0";
  const double a = std::fabs(v);
  if (a >= 1e6 || a < 1e-3) return fmt::format("{:.2g}", v);
  if (a >= 100) return fmt::format("{:.0f}", v);
  if (a >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.3g}", v);
}

std::string Open(const std::string& id, const std::string& title, int w, int h) {
  return fmt::format(
      "<figure><svg class=\"chart\" id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
      "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>"
      "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>"
      "<text x=\"{}\" y=\"16\" class=\"t\">{}</text>",
      Escape(id), w, h, w, h, Escape(title), w, h, kLeft, Escape(title));
}

struct Range {
  double lo = INFINITY, hi = -INFINITY;
  void Add(double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  void Fix() {
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
  }
};

}  // namespace

std::string Escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string LineChart(const LineChartSpec& s) {
  const int w = s.width, h = s.height;
  const double pw = w - kLeft - kRight, ph = h - kTop - kBottom;
  Range xr, yr;
  for (double v : s.x) xr.Add(v);
  for (const Series& se : s.series)
    if (!se.right_axis)
      for (double v : se.y) yr.Add(v);
  xr.Fix();
  yr.Fix();
  const double right_max = s.right_max > 0 ? s.right_max : 1;
  auto px = [&](double x) { return kLeft + (x - xr.lo) / (xr.hi - xr.lo) * pw; };
  auto py = [&](double y, bool right) {
    const double f = right ? y / right_max : (y - yr.lo) / (yr.hi - yr.lo);
    return kTop + (1 - f) * ph;
  };
  std::string o = Open(s.id, s.title, w, h);
  for (const Band& b : s.bands)
    o += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{:.0f}\" fill=\"{}\"/>",
                     px(b.x0), kTop, std::max(0.5, px(b.x1) - px(b.x0)), ph, b.color);
  // Axes and ticks.
  o += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"none\" "
      "stroke=\"#888\"/>",
      kLeft, kTop, pw, ph);
  for (int i = 0; i <= 4; ++i) {
    const double y = yr.lo + (yr.hi - yr.lo) * i / 4;
    o += fmt::format("<text x=\"{}\" y=\"{:.1f}\" class=\"a\" text-anchor=\"end\">{}</text>",
                     kLeft - 4, py(y, false) + 4, Num(y));
    const double x = xr.lo + (xr.hi - xr.lo) * i / 4;
    o += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"a\" text-anchor=\"middle\">{}</text>",
                     px(x), h - kBottom + 14, Num(x));
    if (s.right_max > 0)
      o += fmt::format("<text x=\"{}\" y=\"{:.1f}\" class=\"a\">{}</text>", w - kRight + 4,
                       py(right_max * i / 4, true) + 4, Num(right_max * i / 4));
  }
  o += fmt::format("<text x=\"{:.0f}\" y=\"{}\" class=\"a\" text-anchor=\"middle\">{}</text>",
                   kLeft + pw / 2, h - 4, Escape(s.x_label));
  o += fmt::format("<text x=\"4\" y=\"{}\" class=\"a\">{}</text>", kTop - 6, Escape(s.y_label));
  if (!s.right_label.empty())
    o += fmt::format("<text x=\"{}\" y=\"{}\" class=\"a\" text-anchor=\"end\">{}</text>", w - 4,
                     kTop - 6, Escape(s.right_label));
  // The series: one path each, broken at NaN.
  for (const Series& se : s.series) {
    std::string d;
    bool pen = false;
    const size_t n = std::min(se.y.size(), s.x.size());
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(se.y[i]) || !std::isfinite(s.x[i])) {
        pen = false;
        continue;
      }
      const double x = px(s.x[i]), y = py(se.y[i], se.right_axis);
      if (se.step && pen) d += fmt::format("H{:.1f}", x);
      d += fmt::format("{}{:.1f},{:.1f}", pen ? "L" : "M", x, y);
      pen = true;
    }
    if (d.empty()) continue;
    if (se.area && n > 0) {
      const double base = py(se.right_axis ? 0 : yr.lo, se.right_axis);
      o += fmt::format(
          "<path d=\"{}L{:.1f},{:.1f}L{:.1f},{:.1f}Z\" fill=\"{}\" "
          "fill-opacity=\"0.35\" stroke=\"none\"/>",
          d, px(s.x[n - 1]), base, px(s.x[0]), base, se.color);
    }
    o += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.6\"/>", d,
                     se.color);
  }
  // Legend along the top.
  double lx = kLeft + 220;
  for (const Series& se : s.series) {
    o += fmt::format(
        "<rect x=\"{:.0f}\" y=\"8\" width=\"12\" height=\"8\" fill=\"{}\"/><text x=\"{:.0f}\" "
        "y=\"16\" class=\"a\">{}</text>",
        lx, se.color, lx + 15, Escape(se.name));
    lx += 24 + 7.0 * se.name.size();
  }
  if (!s.band_name.empty() && !s.bands.empty())
    o += fmt::format(
        "<rect x=\"{:.0f}\" y=\"8\" width=\"12\" height=\"8\" fill=\"{}\"/><text x=\"{:.0f}\" "
        "y=\"16\" class=\"a\">{}</text>",
        lx, s.bands[0].color, lx + 15, Escape(s.band_name));
  return o + "</svg></figure>\n";
}

std::string BarChart(const BarChartSpec& s) {
  constexpr int kRow = 22, kLabel = 150;
  const int h = kTop + kRow * static_cast<int>(s.labels.size()) + 10;
  const double pw = s.width - kLabel - 200;
  double top = 0;
  for (double v : s.values)
    if (std::isfinite(v)) top = std::max(top, v);
  if (top <= 0) top = 1;
  // Budgets far above every value (a Raspberry Pi's gigabyte next to kilobytes) would squash
  // the bars: those are written as text instead of drawn.
  const double value_top = top;
  for (double b : s.budget)
    if (std::isfinite(b) && b <= 4 * value_top) top = std::max(top, b);
  std::string o = Open(s.id, s.title, s.width, h);
  for (size_t i = 0; i < s.labels.size(); ++i) {
    const double y = kTop + kRow * static_cast<double>(i);
    const double v = i < s.values.size() ? s.values[i] : NAN;
    o += fmt::format("<text x=\"{}\" y=\"{:.0f}\" class=\"a\" text-anchor=\"end\">{}</text>",
                     kLabel - 6, y + 14, Escape(s.labels[i]));
    const bool over = i < s.budget.size() && std::isfinite(v) && v > s.budget[i];
    if (std::isfinite(v))
      o += fmt::format(
          "<rect x=\"{}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>"
          "<text x=\"{:.1f}\" y=\"{:.0f}\" class=\"a\">{} {}</text>",
          kLabel, y + 3, std::max(1.0, v / top * pw), kRow - 6, over ? "#c0392b" : s.color,
          kLabel + std::max(1.0, v / top * pw) + 4, y + 14, Num(v), Escape(s.unit));
    if (i < s.budget.size() && std::isfinite(s.budget[i]) && s.budget[i] > top)
      o += fmt::format(
          "<text x=\"{}\" y=\"{:.0f}\" class=\"a\" text-anchor=\"end\">budget {} {}</text>",
          s.width - 4, y + 14, Num(s.budget[i]), Escape(s.unit));
    else if (i < s.budget.size() && std::isfinite(s.budget[i]))
      o += fmt::format(
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.0f}\" y2=\"{:.0f}\" "
          "stroke=\"#222\" stroke-width=\"2\" stroke-dasharray=\"3,2\"/>",
          kLabel + s.budget[i] / top * pw, kLabel + s.budget[i] / top * pw, y + 1, y + kRow - 1);
  }
  return o + "</svg></figure>\n";
}

std::string ConfusionChart(const std::string& id, const std::string& title,
                           const std::vector<std::string>& labels,
                           const std::vector<std::vector<double>>& counts) {
  const int n = static_cast<int>(counts.size());
  const int cell = n <= 4 ? 56 : 36, left = 110, top = 44;
  const int w = std::max(240, left + cell * n + 20), h = top + cell * n + 30;
  std::string o = Open(id, title, w, h);
  o += fmt::format("<text x=\"{}\" y=\"36\" class=\"a\">predicted &#8594;</text>", left);
  for (int r = 0; r < n; ++r) {
    double row = 0;
    for (double v : counts[r]) row += v;
    const std::string name = r < static_cast<int>(labels.size()) ? labels[r] : std::to_string(r);
    o += fmt::format("<text x=\"{}\" y=\"{}\" class=\"a\" text-anchor=\"end\">{}</text>", left - 6,
                     top + cell * r + cell / 2 + 4, Escape(name));
    for (int col = 0; col < n && col < static_cast<int>(counts[r].size()); ++col) {
      const double share = row > 0 ? counts[r][col] / row : 0;
      const int shade = static_cast<int>(std::lround(235 - 185 * share));
      o += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"rgb({},{},{})\" "
          "stroke=\"#fff\"/><text x=\"{}\" y=\"{}\" class=\"a\" text-anchor=\"middle\" "
          "fill=\"{}\">{}</text>",
          left + cell * col, top + cell * r, cell, cell, shade, shade + 10, 245,
          left + cell * col + cell / 2, top + cell * r + cell / 2 + 4,
          share > 0.5 ? "#fff" : "#222", Num(counts[r][col]));
    }
  }
  o += fmt::format("<text x=\"4\" y=\"{}\" class=\"a\">true &#8595;</text>", top - 4);
  return o + "</svg></figure>\n";
}

std::vector<Band> BandsWhere(const std::vector<double>& x, const std::vector<double>& on,
                             const std::string& color) {
  std::vector<Band> bands;
  const size_t n = std::min(x.size(), on.size());
  for (size_t i = 0; i < n; ++i) {
    if (!(on[i] > 0)) continue;
    const double x1 = i + 1 < n ? x[i + 1] : x[i];
    if (!bands.empty() && bands.back().x1 == x[i]) {
      bands.back().x1 = x1;
    } else {
      bands.push_back({x[i], x1, color});
    }
  }
  return bands;
}

}  // namespace emlkit::report
