#include "roomsim/realism.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "data/table.h"
#include "roomsim/calendar.h"

namespace emlkit::roomsim {
namespace {

// Linear-interpolation quantile (numpy's default) of the non-NaN values; NaN if none.
double Quantile(std::vector<double> v, double q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(pos);
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double Mean(const std::vector<double>& v) {
  double sum = 0;
  int64_t n = 0;
  for (double x : v) {
    if (std::isnan(x)) continue;
    sum += x;
    ++n;
  }
  return n ? sum / static_cast<double>(n) : NAN;
}

}  // namespace

std::vector<RealismRow> RealismRowsFromSamples(const std::vector<Sample>& samples) {
  std::vector<RealismRow> rows;
  rows.reserve(samples.size());
  for (const Sample& s : samples) {
    if (s.row_missing) continue;
    RealismRow r;
    r.time_s = s.time_s;
    r.temperature_c = s.readings.value[kTemperature];
    r.humidity_pct = s.readings.value[kHumidity];
    r.light_lux = s.readings.value[kLight];
    r.co2_ppm = s.readings.value[kCo2];
    r.occupied = s.occupied;
    rows.push_back(r);
  }
  return rows;
}

Result<std::vector<RealismRow>> ReadRealismRows(const std::vector<std::string>& paths,
                                                const RealismColumns& c) {
  data::TableRequest req;
  req.numeric = {c.temperature, c.humidity, c.light, c.co2};
  req.origin = {"temperature", "humidity", "light", "co2"};
  req.timestamp = c.timestamp;
  req.label = c.occupied;
  req.inputs = paths;
  EMLKIT_ASSIGN_OR_RETURN(data::Table t, data::LoadTable(req));
  std::vector<RealismRow> rows(static_cast<size_t>(t.rows()));
  for (size_t i = 0; i < rows.size(); ++i) {
    RealismRow& r = rows[i];
    r.time_s = std::llround(t.time[i]);
    r.temperature_c = t.cols[0][i];
    r.humidity_pct = t.cols[1][i];
    r.light_lux = t.cols[2][i];
    r.co2_ppm = t.cols[3][i];
    r.occupied = t.label_texts.empty() ? t.label[i] == 1.0
                                       : t.label_texts[static_cast<size_t>(t.label[i])] == "1";
  }
  return rows;
}

RealismStats ComputeRealismStats(std::vector<RealismRow> rows) {
  std::sort(rows.begin(), rows.end(),
            [](const RealismRow& a, const RealismRow& b) { return a.time_s < b.time_s; });
  RealismStats st;
  st.rows = static_cast<int64_t>(rows.size());
  std::vector<double> co2_occ, co2_emp, light_occ, light_emp, temp, temp_occ, temp_emp, hum;
  for (const RealismRow& r : rows) {
    (r.occupied ? co2_occ : co2_emp).push_back(r.co2_ppm);
    (r.occupied ? light_occ : light_emp).push_back(r.light_lux);
    (r.occupied ? temp_occ : temp_emp).push_back(r.temperature_c);
    temp.push_back(r.temperature_c);
    hum.push_back(r.humidity_pct);
  }
  st.co2_occupied_median = Quantile(co2_occ, 0.5);
  st.co2_empty_median = Quantile(co2_emp, 0.5);
  st.light_occupied_median = Quantile(light_occ, 0.5);
  st.light_occupied_p5 = Quantile(light_occ, 0.05);
  st.light_empty_median = Quantile(light_emp, 0.5);
  st.temp_p5 = Quantile(temp, 0.05);
  st.temp_p95 = Quantile(temp, 0.95);
  st.temp_occupied_mean = Mean(temp_occ);
  st.temp_empty_mean = Mean(temp_emp);
  st.humidity_median = Quantile(hum, 0.5);

  // Per-day figures; the sampling period is the median gap between rows.
  std::vector<double> gaps;
  for (size_t i = 1; i < rows.size(); ++i)
    gaps.push_back(static_cast<double>(rows[i].time_s - rows[i - 1].time_s));
  double period = gaps.empty() ? 60.0 : std::max(1.0, Quantile(gaps, 0.5));
  struct Day {
    int64_t n = 0, occupied = 0;
    double tmin = INFINITY, tmax = -INFINITY;
  };
  std::map<int64_t, Day> days;
  for (const RealismRow& r : rows) {
    int64_t d = r.time_s >= 0 ? r.time_s / kSecondsPerDay : (r.time_s + 1) / kSecondsPerDay - 1;
    Day& day = days[d];
    ++day.n;
    day.occupied += r.occupied ? 1 : 0;
    if (!std::isnan(r.temperature_c)) {
      day.tmin = std::min(day.tmin, r.temperature_c);
      day.tmax = std::max(day.tmax, r.temperature_c);
    }
  }
  std::vector<double> swings;
  int64_t wd_rows = 0, wd_occ = 0;
  for (const auto& [d, day] : days) {
    if (WeekdayOfDays(d) >= 5 || day.n < 0.95 * kSecondsPerDay / period) continue;
    ++st.full_workdays;
    if (day.tmax >= day.tmin) swings.push_back(day.tmax - day.tmin);
    wd_rows += day.n;
    wd_occ += day.occupied;
  }
  st.workday_swing_median = Quantile(swings, 0.5);
  st.workday_occupied_share = wd_rows ? static_cast<double>(wd_occ) / wd_rows : NAN;
  return st;
}

std::vector<RealismCheck> CompareRealism(const RealismStats& real, const RealismStats& sim) {
  std::vector<RealismCheck> c = {
      {"co2_occupied_median", "ppm", real.co2_occupied_median, sim.co2_occupied_median, 0.25, true},
      {"co2_empty_median", "ppm", real.co2_empty_median, sim.co2_empty_median, 60, false},
      {"light_occupied_median", "lux", real.light_occupied_median, sim.light_occupied_median, 0.25,
       true},
      {"light_occupied_p5", "lux", real.light_occupied_p5, sim.light_occupied_p5, 0.25, true},
      {"light_empty_median", "lux", real.light_empty_median, sim.light_empty_median, 30, false},
      {"temp_p5", "degC", real.temp_p5, sim.temp_p5, 1.0, false},
      {"temp_p95", "degC", real.temp_p95, sim.temp_p95, 1.0, false},
      {"temp_occupied_mean", "degC", real.temp_occupied_mean, sim.temp_occupied_mean, 1.0, false},
      {"temp_empty_mean", "degC", real.temp_empty_mean, sim.temp_empty_mean, 1.0, false},
      {"workday_swing_median", "degC", real.workday_swing_median, sim.workday_swing_median, 1.5,
       false},
      {"workday_occupied_share", "share", real.workday_occupied_share, sim.workday_occupied_share,
       0.08, false},
  };
  for (RealismCheck& k : c) {
    double allowed = k.relative ? k.tolerance * std::fabs(k.real) : k.tolerance;
    k.ok = std::isfinite(k.real) && std::isfinite(k.sim) && std::fabs(k.sim - k.real) <= allowed;
  }
  return c;
}

std::string FormatRealismChecks(const std::vector<RealismCheck>& checks) {
  std::string out;
  char line[160];
  for (const RealismCheck& k : checks) {
    std::snprintf(line, sizeof line, "%-24s real %9.2f  sim %9.2f  tolerance %s%.2f %s  %s\n",
                  k.name.c_str(), k.real, k.sim, "+-", k.relative ? 100 * k.tolerance : k.tolerance,
                  k.relative ? "%" : k.unit.c_str(), k.ok ? "ok" : "OUT OF TOLERANCE");
    out += line;
  }
  return out;
}

}  // namespace emlkit::roomsim
