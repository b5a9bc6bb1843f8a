#include "collect/line_format.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace emlkit::collect {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Splits on ',' (empty fields kept) when the line has one, else on runs of spaces and tabs.
std::vector<std::string_view> Fields(std::string_view s) {
  std::vector<std::string_view> out;
  if (s.find(',') != std::string_view::npos) {
    size_t start = 0;
    for (;;) {
      size_t comma = s.find(',', start);
      out.push_back(Trim(s.substr(start, comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return out;
  }
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !IsSpace(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool ParseNumber(std::string_view f, double* v) {
  if (f.empty() || f == "nan" || f == "NaN" || f == "NAN") {
    *v = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (f.front() == '+') f.remove_prefix(1);
  const char* end = f.data() + f.size();
  auto [ptr, ec] = std::from_chars(f.data(), end, *v);
  return ec == std::errc() && ptr == end && std::isfinite(*v);
}

bool IsName(std::string_view f) {
  if (f.empty() || std::isdigit(static_cast<unsigned char>(f.front())) || f.front() == '-' ||
      f.front() == '.')
    return false;
  for (char c : f) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' ||
          c == '%'))
      return false;
  }
  return true;
}

}  // namespace

ParsedLine ParseLine(std::string_view line) {
  ParsedLine p;
  std::string_view s = Trim(line);
  if (s.empty()) return p;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t') {
      p.kind = ParsedLine::Kind::kMalformed;
      return p;
    }
  }
  std::vector<std::string_view> fields = Fields(s);
  bool all_numbers = true, all_names = true;
  p.values.reserve(fields.size());
  for (std::string_view f : fields) {
    double v = 0;
    if (ParseNumber(f, &v)) {
      p.values.push_back(v);
      if (!f.empty() && f != "nan" && f != "NaN" && f != "NAN") all_names = false;
    } else {
      all_numbers = false;
    }
    if (!IsName(f)) all_names = false;
  }
  if (all_numbers) {
    // A line of nothing but empty fields / nan is no sample.
    bool any = false;
    for (double v : p.values) any = any || !std::isnan(v);
    p.kind = any ? ParsedLine::Kind::kValues : ParsedLine::Kind::kMalformed;
    if (!any) p.values.clear();
    return p;
  }
  p.values.clear();
  if (all_names) {
    p.kind = ParsedLine::Kind::kHeader;
    for (std::string_view f : fields) p.names.emplace_back(f);
    return p;
  }
  p.kind = ParsedLine::Kind::kMalformed;
  return p;
}

std::string Printable(std::string_view line, size_t max) {
  std::string out;
  for (char c : line.substr(0, max)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  if (line.size() > max) out += "...";
  return out;
}

}  // namespace emlkit::collect
