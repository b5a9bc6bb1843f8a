// Text and JSON forms of an InspectReport.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "data/inspect.h"
#include "data/timestamp.h"

namespace emlkit::data {
namespace {

using nlohmann::json;

std::string Num(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{:.6g}", v);
}

std::string Seconds(double s) {
  if (s >= 86400 && std::fmod(s, 3600) == 0) return fmt::format("{:g} h", s / 3600);
  return fmt::format("{:g} s", s);
}

std::string DelimiterText(char d) { return d == '\t' ? "TAB" : std::string(1, d); }

std::vector<std::pair<std::string, int64_t>> Classes(const ColumnProfile& p) {
  std::vector<std::pair<std::string, int64_t>> out;
  if (p.type == "text") {
    for (const auto& [k, c] : p.distinct_texts) out.emplace_back(k, c);
  } else {
    for (const auto& [k, c] : p.distinct_numbers) out.emplace_back(Num(k), c);
  }
  return out;
}

}  // namespace

std::vector<std::string> InspectReport::Problems() const {
  std::vector<std::string> out;
  for (size_t c = 0; c < columns.size(); ++c) {
    const ColumnProfile& p = columns[c];
    const std::string& name = schema.names[c];
    if (p.type == "empty") out.push_back(name + ": every value is missing");
    if (p.invalid > 0)
      out.push_back(fmt::format("{}: {} value{} that {} not {} (the first is {} at {})", name,
                                p.invalid, p.invalid == 1 ? "" : "s", p.invalid == 1 ? "is" : "are",
                                p.type, CellKindName(p.invalid_kind), invalid_places[c]));
    if (p.missing() > 0 && p.type != "empty")
      out.push_back(fmt::format("{}: {} missing value{} (first at line {})", name, p.missing(),
                                p.missing() == 1 ? "" : "s",
                                p.first_of_kind[static_cast<int>(CellKind::kMissing)].line));
    if (p.non_finite() > 0)
      out.push_back(fmt::format("{}: {} infinite value{} (first at line {})", name, p.non_finite(),
                                p.non_finite() == 1 ? "" : "s",
                                p.first_of_kind[static_cast<int>(CellKind::kNonFinite)].line));
    if (p.spikes > 0) {
      std::string ex;
      for (const SpikeInfo& s : p.spike_examples)
        ex += fmt::format("{}line {} ({})", ex.empty() ? "" : ", ", s.line, Num(s.value));
      out.push_back(
          fmt::format("{}: {} suspected spike{} (a jump of more than {} away and back), "
                      "e.g. {}",
                      name, p.spikes, p.spikes == 1 ? "" : "s", Num(p.spike_threshold), ex));
    }
    if (p.stuck_runs > 0) {
      const RunInfo& r = p.longest_runs.front();
      out.push_back(
          fmt::format("{}: {} stuck run{} (unchanged for {}+ rows); the longest: {} for "
                      "{} rows (lines {}-{})",
                      name, p.stuck_runs, p.stuck_runs == 1 ? "" : "s", p.stuck_threshold,
                      Num(r.value), r.rows, r.first_line, r.last_line));
    }
    for (const ExtremeInfo& e : p.saturation)
      out.push_back(fmt::format(
          "{}: {} row{} at its {} {} (first at line {}, longest run {} row{} from line {}): the "
          "sensor looks saturated (clipped), values beyond it are lost; use a larger sensor "
          "range, or leave these recordings out",
          name, e.rows, e.rows == 1 ? "" : "s", e.at_max ? "max" : "min", Num(e.value),
          e.first_line, e.longest_run, e.longest_run == 1 ? "" : "s", e.run_first_line));
    const TimeProfile& t = p.time;
    if (p.type == "timestamp" && t.count > 1) {
      if (t.out_of_order > 0)
        out.push_back(
            fmt::format("{}: {} row{} earlier than the row before (first at line {}, "
                        "{} back)",
                        name, t.out_of_order, t.out_of_order == 1 ? " is" : "s are",
                        t.out_of_order_lines.front(), Seconds(-t.out_of_order_steps.front())));
      if (t.duplicates > 0)
        out.push_back(fmt::format("{}: {} duplicate timestamp{} (first at line {})", name,
                                  t.duplicates, t.duplicates == 1 ? "" : "s",
                                  t.duplicate_lines.front()));
      if (t.gaps > 0)
        out.push_back(fmt::format("{}: {} gap{} longer than {} (the largest: {} before line {})",
                                  name, t.gaps, t.gaps == 1 ? "" : "s", Seconds(t.gap_threshold),
                                  Seconds(t.largest_step), t.largest_step_line));
    }
  }
  return out;
}

std::string InspectReport::ToText() const {
  std::string s = fmt::format("{}: {} rows x {} columns (delimiter '{}'", schema.path, rows,
                              columns.size(), DelimiterText(schema.delimiter));
  s += schema.has_header ? fmt::format(", header on line {}", schema.header_line)
                         : std::string(", no header");
  if (schema.row_id) s += ", unnamed leading row id dropped";
  if (schema.bom) s += ", UTF-8 byte order mark skipped";
  s += ")\n\n";
  size_t w = 6;
  for (const std::string& n : schema.names) w = std::max(w, n.size());
  w = std::min<size_t>(w, 32);
  s += fmt::format("{:<{}}  {:<9} {:>9} {:>8} {:>12} {:>12} {:>12} {:>12}\n", "column", w, "type",
                   "count", "missing", "min", "max", "mean", "std");
  for (size_t c = 0; c < columns.size(); ++c) {
    const ColumnProfile& p = columns[c];
    int64_t count = p.rows - p.missing() - p.non_finite();
    s += fmt::format("{:<{}}  {:<9} {:>9} {:>8}", schema.names[c], w, p.type, count,
                     p.missing() + p.non_finite());
    if (p.type == "timestamp" && p.time.count > 0) {
      s += fmt::format("  {} .. {}", FormatTimestamp(p.time.min), FormatTimestamp(p.time.max));
    } else if (p.n > 0 && p.type != "text") {
      s += fmt::format(" {:>12} {:>12} {:>12} {:>12}", Num(p.min), Num(p.max),
                       fmt::format("{:.6g}", p.mean), fmt::format("{:.6g}", p.std));
    }
    s += "\n";
  }
  for (size_t c = 0; c < columns.size(); ++c) {
    const ColumnProfile& p = columns[c];
    if (p.label_like) {
      int64_t total = 0;
      for (const auto& kv : Classes(p)) total += kv.second;
      s += fmt::format("\nclasses of {}:", schema.names[c]);
      for (const auto& [name, count] : Classes(p))
        s += fmt::format("  {} {} ({:.1f}%)", name, count,
                         100.0 * static_cast<double>(count) / static_cast<double>(total));
      s += "\n";
    }
    const TimeProfile& t = p.time;
    if (p.type == "timestamp" && t.count > 1) {
      s += fmt::format(
          "\ntime ({}): {} .. {}, median step {}{}; {} gap{} > {}, {} duplicate{}, "
          "{} out of order\n",
          schema.names[c], FormatTimestamp(t.first), FormatTimestamp(t.last),
          Seconds(t.median_step), t.median_exact ? "" : " (approximate)", t.gaps,
          t.gaps == 1 ? "" : "s", Seconds(t.gap_threshold), t.duplicates,
          t.duplicates == 1 ? "" : "s", t.out_of_order);
    }
  }
  std::vector<std::string> problems = Problems();
  s += problems.empty() ? "\nno problems found\n" : "\nproblems:\n";
  for (const std::string& p : problems) s += "  " + p + "\n";
  return s;
}

std::string InspectReport::ToJson() const {
  json j;
  j["file"] = schema.path;
  j["bytes"] = schema.file_bytes;
  j["rows"] = rows;
  j["delimiter"] = std::string(1, schema.delimiter);
  j["header_line"] = schema.header_line;
  j["row_id_dropped"] = schema.row_id;
  j["bom"] = schema.bom;
  j["columns"] = json::array();
  for (size_t c = 0; c < columns.size(); ++c) {
    const ColumnProfile& p = columns[c];
    json col;
    col["name"] = schema.names[c];
    col["type"] = p.type;
    col["count"] = p.rows - p.missing() - p.non_finite();
    col["missing"] = p.missing();
    col["non_finite"] = p.non_finite();
    if (p.invalid > 0) {
      col["invalid"] = {{"count", p.invalid},
                        {"kind", CellKindName(p.invalid_kind)},
                        {"first", invalid_places[c]}};
    }
    if (p.type == "timestamp" && p.time.count > 0) {
      const TimeProfile& t = p.time;
      col["min"] = FormatTimestamp(t.min);
      col["max"] = FormatTimestamp(t.max);
      json tj = {
          {"first", FormatTimestamp(t.first)},  {"last", FormatTimestamp(t.last)},
          {"median_step_s", t.median_step},     {"median_exact", t.median_exact},
          {"gap_threshold_s", t.gap_threshold}, {"gaps", t.gaps},
          {"largest_step_s", t.largest_step},   {"largest_step_line", t.largest_step_line},
          {"duplicates", t.duplicates},         {"duplicate_lines", t.duplicate_lines},
          {"out_of_order", t.out_of_order},     {"out_of_order_lines", t.out_of_order_lines}};
      col["time"] = tj;
    } else if (p.n > 0 && p.type != "text") {
      col["min"] = p.min;
      col["max"] = p.max;
      col["mean"] = p.mean;
      col["std"] = p.std;
    }
    if (!p.distinct_overflow)
      col["distinct"] = p.type == "text" ? p.distinct_texts.size() : p.distinct_numbers.size();
    if (p.label_like) {
      json cls = json::array();
      for (const auto& [name, count] : Classes(p))
        cls.push_back({{"value", name}, {"count", count}});
      col["classes"] = cls;
    }
    if (p.analysed) {
      json ex = json::array();
      for (const SpikeInfo& s : p.spike_examples)
        ex.push_back({{"line", s.line}, {"value", s.value}, {"jump", s.jump}});
      col["spikes"] = {{"count", p.spikes}, {"threshold", p.spike_threshold}, {"examples", ex}};
      json runs = json::array();
      for (const RunInfo& r : p.longest_runs)
        runs.push_back({{"value", r.value},
                        {"rows", r.rows},
                        {"first_line", r.first_line},
                        {"last_line", r.last_line}});
      col["stuck"] = {
          {"count", p.stuck_runs}, {"threshold_rows", p.stuck_threshold}, {"longest", runs}};
      json sat = json::array();
      for (const ExtremeInfo& e : p.saturation)
        sat.push_back({{"at", e.at_max ? "max" : "min"},
                       {"value", e.value},
                       {"rows", e.rows},
                       {"first_line", e.first_line},
                       {"longest_run", e.longest_run},
                       {"longest_run_line", e.run_first_line}});
      col["saturation"] = sat;
    }
    j["columns"].push_back(col);
  }
  j["problems"] = Problems();
  j["seconds"] = seconds;
  return j.dump(2);
}

}  // namespace emlkit::data
