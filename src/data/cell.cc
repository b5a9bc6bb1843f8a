#include "data/cell.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "data/timestamp.h"

namespace emlkit::data {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (Lower(s[i]) != lower[i]) return false;
  return true;
}

bool IsMissingWord(std::string_view s) {
  return s == "-" || EqualsLower(s, "na") || EqualsLower(s, "n/a") || EqualsLower(s, "nan") ||
         EqualsLower(s, "null") || EqualsLower(s, "none") || EqualsLower(s, "-nan");
}

bool IsInfWord(std::string_view s, double* value) {
  bool neg = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (!EqualsLower(s, "inf") && !EqualsLower(s, "infinity")) return false;
  *value = neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  return true;
}

}  // namespace

const char* CellKindName(CellKind k) {
  switch (k) {
    case CellKind::kMissing:
      return "missing";
    case CellKind::kNonFinite:
      return "non-finite";
    case CellKind::kInteger:
      return "integer";
    case CellKind::kNumber:
      return "number";
    case CellKind::kBool:
      return "boolean";
    case CellKind::kTimestamp:
      return "timestamp";
    case CellKind::kText:
      return "text";
  }
  return "?";
}

CellKind ParseCell(const char* b, const char* e, double* value) {
  TrimSpaces(&b, &e);
  *value = std::numeric_limits<double>::quiet_NaN();
  if (b == e) return CellKind::kMissing;
  const char c = *b;
  if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
    const char* p = (c == '+' && e - b > 1 && b[1] != '-') ? b + 1 : b;
    double v;
    auto [end, ec] = std::from_chars(p, e, v, std::chars_format::general);
    if (ec == std::errc() && end == e) {
      if (std::isnan(v)) return CellKind::kMissing;
      if (std::isinf(v)) {
        *value = v;
        return CellKind::kNonFinite;
      }
      *value = v;
      bool integral = std::fabs(v) <= 9007199254740992.0;
      for (const char* q = p; q < e && integral; ++q)
        if (*q == '.' || *q == 'e' || *q == 'E') integral = false;
      return integral ? CellKind::kInteger : CellKind::kNumber;
    }
    if (ec == std::errc::result_out_of_range && end == e) {
      // Magnitude beyond double: from_chars leaves v unset; treat as non-finite.
      *value = c == '-' ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
      return CellKind::kNonFinite;
    }
  }
  std::string_view s(b, static_cast<size_t>(e - b));
  if (LooksLikeDate(s)) {
    if (ParseTimestamp(s, value)) return CellKind::kTimestamp;
    *value = std::numeric_limits<double>::quiet_NaN();
    return CellKind::kText;
  }
  if (IsMissingWord(s)) return CellKind::kMissing;
  if (IsInfWord(s, value)) return CellKind::kNonFinite;
  if (EqualsLower(s, "true")) {
    *value = 1;
    return CellKind::kBool;
  }
  if (EqualsLower(s, "false")) {
    *value = 0;
    return CellKind::kBool;
  }
  return CellKind::kText;
}

}  // namespace emlkit::data
