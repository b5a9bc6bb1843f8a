#include "data/timestamp.h"

#include <cmath>
#include <cstdio>

namespace emlkit::data {
namespace {

bool Digits(std::string_view t, size_t pos, size_t n, unsigned* out) {
  if (pos + n > t.size()) return false;
  unsigned v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    unsigned d = static_cast<unsigned>(t[i] - '0');
    if (d > 9) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Parses Z / +hh:mm / +hhmm / +hh at t[pos..]; the whole rest must be consumed.
bool ParseZone(std::string_view t, size_t pos, int* offset_seconds) {
  *offset_seconds = 0;
  if (pos == t.size()) return true;
  if (t[pos] == 'Z' || t[pos] == 'z') return pos + 1 == t.size();
  if (t[pos] != '+' && t[pos] != '-') return false;
  int sign = t[pos] == '-' ? -1 : 1;
  unsigned hh = 0, mm = 0;
  if (!Digits(t, pos + 1, 2, &hh) || hh > 23) return false;
  size_t p = pos + 3;
  if (p < t.size() && t[p] == ':') ++p;
  if (p < t.size()) {
    if (!Digits(t, p, 2, &mm) || mm > 59 || p + 2 != t.size()) return false;
  }
  *offset_seconds = sign * static_cast<int>(hh * 3600 + mm * 60);
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Counts in 400-year eras starting on March 1st so the leap day ends each cycle.
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;
  const int64_t day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

bool ParseTimestamp(std::string_view t, double* seconds) {
  unsigned y, mo, d;
  if (!LooksLikeDate(t) || !Digits(t, 0, 4, &y) || !Digits(t, 5, 2, &mo) || t[7] != t[4] ||
      !Digits(t, 8, 2, &d))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return false;
  int64_t secs = DaysFromCivil(y, mo, d) * 86400;
  double frac = 0;
  size_t pos = 10;
  if (pos < t.size() && (t[pos] == 'T' || t[pos] == ' ')) {
    unsigned hh, mm, ss = 0;
    if (!Digits(t, pos + 1, 2, &hh) || t.size() < pos + 6 || t[pos + 3] != ':' ||
        !Digits(t, pos + 4, 2, &mm) || hh > 23 || mm > 59)
      return false;
    pos += 6;
    if (pos < t.size() && t[pos] == ':') {
      if (!Digits(t, pos + 1, 2, &ss) || ss > 60) return false;
      pos += 3;
      if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
        size_t start = ++pos;
        double scale = 0.1;
        while (pos < t.size() && static_cast<unsigned>(t[pos] - '0') < 10) {
          if (pos - start < 9) frac += (t[pos] - '0') * scale;
          scale *= 0.1;
          ++pos;
        }
        if (pos == start) return false;
      }
    }
    secs += hh * 3600 + mm * 60 + ss;
  }
  int offset = 0;
  if (!ParseZone(t, pos, &offset)) return false;
  *seconds = static_cast<double>(secs - offset) + frac;
  return true;
}

std::string FormatTimestamp(double seconds) {
  if (!std::isfinite(seconds)) return "(invalid time)";
  int64_t s = static_cast<int64_t>(std::floor(seconds));
  int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  int64_t sod = s - days * 86400;
  // Inverse of DaysFromCivil (same era arithmetic).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                static_cast<long long>(sod % 60));
  return buf;
}

double SecondsOfDay(double seconds) {
  double r = std::fmod(seconds, 86400.0);
  return r < 0 ? r + 86400.0 : r;
}

int Weekday(double seconds) {
  int64_t days = static_cast<int64_t>(std::floor(seconds / 86400.0));
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  int64_t w = (days + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

}  // namespace emlkit::data
