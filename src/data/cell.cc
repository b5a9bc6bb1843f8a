#include "data/cell.h"

#include <charconv>
#include <cmath>
#include <cstdint>
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

// Exact spellings (as pandas' defaults, plus "-"): "none" or "na" in lower case can be a real
// category (e.g. a fault column saying "none").
bool IsMissingWord(std::string_view s) {
  static constexpr std::string_view kWords[] = {"-",    "NA",   "N/A",  "n/a",  "NaN",
                                                "nan",  "-NaN", "-nan", "NULL", "null",
                                                "None", "#N/A", "<NA>"};
  for (std::string_view w : kWords)
    if (s == w) return true;
  return false;
}

bool IsInfWord(std::string_view s, double* value) {
  bool neg = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (!EqualsLower(s, "inf") && !EqualsLower(s, "infinity")) return false;
  *value = neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  return true;
}

// Clinger's fast path: "[-]digits[.digits]" with at most 19 significant digits whose integer
// mantissa is exactly representable (< 2^53) and at most 22 fraction digits. Then
// mantissa / 10^k is one correctly rounded IEEE operation on exact operands, so the result is
// the correctly rounded value of the text (the same as from_chars). Returns false to fall back.
bool FastDecimal(const char* p, const char* e, double* out, bool* integral) {
  static const double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  bool neg = false;
  if (p < e && *p == '-') {
    neg = true;
    ++p;
  }
  uint64_t mant = 0;
  int digits = 0, frac = 0;
  bool dot = false, any = false;
  for (; p < e; ++p) {
    unsigned d = static_cast<unsigned>(*p - '0');
    if (d < 10) {
      any = true;
      if (mant == 0 && d == 0) {
        if (dot) ++frac;
        continue;
      }
      if (++digits > 19) return false;
      mant = mant * 10 + d;
      if (dot) ++frac;
    } else if (*p == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  if (!any || mant > (uint64_t{1} << 53) || frac > 22) return false;
  double v = static_cast<double>(mant);
  if (frac) v /= kPow10[frac];
  *out = neg ? -v : v;
  *integral = !dot;
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
  std::string_view s(b, static_cast<size_t>(e - b));
  if (LooksLikeDate(s)) {
    if (ParseTimestamp(s, value)) return CellKind::kTimestamp;
    return CellKind::kText;
  }
  if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
    const char* p = (c == '+' && e - b > 1 && b[1] != '-') ? b + 1 : b;
    double v;
    bool integral;
    if (FastDecimal(p, e, &v, &integral)) {
      *value = v;
      return integral ? CellKind::kInteger : CellKind::kNumber;
    }
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
