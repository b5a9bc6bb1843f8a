#include "data/recordings.h"

#include <glob.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "common/rng.h"

namespace emlkit::data {
namespace {

bool IsGlob(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// A number followed by an optional unit; false when the number is malformed.
bool NumberAndUnit(const std::string& text, double* value, std::string* unit) {
  const std::string s = Trim(text);
  if (s.empty()) return false;
  char* end = nullptr;
  *value = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(*value)) return false;
  *unit = Trim(std::string(end));
  return true;
}

std::string LabelOf(const std::string& path, const std::string& how) {
  std::filesystem::path p(path);
  if (how == "dirname") return p.parent_path().filename().string();
  std::string name = p.filename().string();
  return name.substr(0, name.find('.'));
}

}  // namespace

InputSpec SplitInputLabel(const std::string& arg) {
  const size_t colon = arg.rfind(':');
  std::error_code ec;
  if (colon == std::string::npos || colon == 0 || std::filesystem::exists(arg, ec))
    return {arg, ""};
  std::string label = arg.substr(colon + 1);
  if (label.find('/') != std::string::npos || label.find('\\') != std::string::npos)
    return {arg, ""};
  return {arg.substr(0, colon), label};
}

Result<std::vector<InputSpec>> ExpandInputs(const std::vector<std::string>& args,
                                            const std::string& label_from,
                                            const std::string& origin) {
  std::vector<InputSpec> out;
  for (const std::string& arg : args) {
    InputSpec spec = SplitInputLabel(arg);
    if (spec.label.empty() && arg.back() == ':')
      return Status::InvalidArgument(origin + " '" + arg +
                                     "': an empty label after ':'; write PATH:LABEL");
    std::vector<std::string> paths;
    std::error_code ec;
    if (IsGlob(spec.path) && !std::filesystem::exists(spec.path, ec)) {
      glob_t g{};
      const int rc = glob(spec.path.c_str(), 0, nullptr, &g);
      if (rc == 0)
        for (size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
      globfree(&g);
      if (paths.empty())
        return Status::InvalidArgument(origin + " '" + spec.path +
                                       "': no file matches this pattern; check the folder and "
                                       "the pattern (quote it so the shell does not expand it)");
      std::sort(paths.begin(), paths.end());
    } else {
      paths.push_back(spec.path);
    }
    for (const std::string& p : paths) {
      std::string label = spec.label;
      if (label.empty() && !label_from.empty()) label = LabelOf(p, label_from);
      if (label.empty() && !label_from.empty())
        return Status::InvalidArgument(p + ": --label-from " + label_from +
                                       " gives an empty class name; rename the file or give "
                                       "PATH:LABEL");
      out.push_back({p, label});
    }
  }
  return out;
}

Status ParseRowsOrDuration(const std::string& text, const std::string& what, int64_t* rows,
                           double* seconds) {
  double v = 0;
  std::string unit;
  const std::string help = what + " '" + text +
                           "': expected a number of rows (e.g. 119) or a duration "
                           "(e.g. 1s, 250ms, 2min), greater than 0";
  if (!NumberAndUnit(text, &v, &unit)) return Status::InvalidArgument(help);
  if (unit.empty()) {
    if (v < 0 || v != std::floor(v) || v > 1e9) return Status::InvalidArgument(help);
    *rows = static_cast<int64_t>(v);
    *seconds = 0;
    return Status::Ok();
  }
  double mult = 0;
  if (unit == "s" || unit == "sec") mult = 1;
  if (unit == "ms") mult = 1e-3;
  if (unit == "us") mult = 1e-6;
  if (unit == "min") mult = 60;
  if (unit == "h") mult = 3600;
  if (mult == 0 || !(v > 0)) return Status::InvalidArgument(help);
  *rows = 0;
  *seconds = v * mult;
  return Status::Ok();
}

Status ParseRate(const std::string& text, const std::string& what, double* hz) {
  double v = 0;
  std::string unit;
  bool ok = NumberAndUnit(text, &v, &unit) && v > 0;
  double mult = 0;
  if (unit.empty() || unit == "Hz" || unit == "hz") mult = 1;
  if (unit == "kHz" || unit == "khz") mult = 1e3;
  if (!ok || mult == 0)
    return Status::InvalidArgument(what + " '" + text +
                                   "': expected a sampling rate such as 119Hz, 1kHz or 119");
  *hz = v * mult;
  return Status::Ok();
}

std::string FormatDuration(double seconds) {
  char buf[48];
  if (seconds < 1)
    std::snprintf(buf, sizeof buf, "%g ms", seconds * 1e3);
  else
    std::snprintf(buf, sizeof buf, "%g s", seconds);
  return buf;
}

std::vector<int> SplitGroups(const std::vector<int32_t>& group_label, size_t classes, double val,
                             double test, uint64_t seed) {
  std::vector<int> split(group_label.size(), 0);
  std::vector<std::vector<size_t>> strata(std::max<size_t>(classes, 1));
  for (size_t g = 0; g < group_label.size(); ++g)
    strata[std::min(static_cast<size_t>(std::max(group_label[g], 0)), strata.size() - 1)].push_back(
        g);
  Rng rng(seed);
  for (std::vector<size_t>& s : strata) {
    rng.Shuffle(s.data(), s.size());
    const int64_t m = static_cast<int64_t>(s.size());
    int64_t nt = std::llround(static_cast<double>(m) * test);
    int64_t nv = std::llround(static_cast<double>(m) * val);
    const int64_t wanted = 1 + (test > 0) + (val > 0);  // train plus each non-empty split
    if (m >= wanted) {
      if (test > 0) nt = std::max<int64_t>(nt, 1);
      if (val > 0) nv = std::max<int64_t>(nv, 1);
    }
    while (nt + nv >= m && nt + nv > 0) {  // keep a group for train
      if (nv >= nt && nv > 0)
        --nv;
      else
        --nt;
    }
    for (int64_t k = 0; k < m; ++k) split[s[k]] = k < nt ? 2 : (k < nt + nv ? 1 : 0);
  }
  return split;
}

}  // namespace emlkit::data
