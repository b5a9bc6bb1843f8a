#include "roomsim/calendar.h"

namespace emlkit::roomsim {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

void Put2(int v, char* out) {
  out[0] = static_cast<char>('0' + v / 10);
  out[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

// The era-based conversion: a year starts on March 1 so the leap day ends it; 400-year eras of
// 146,097 days repeat exactly.
int64_t DaysFromCivil(const CivilDate& date) {
  int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;                          // [0, 399]
  int64_t mp = (date.month + 9) % 12;                   // March = 0
  int64_t doy = (153 * mp + 2) / 5 + date.day - 1;      // [0, 365]
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  int64_t z = days + 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  CivilDate d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}

int WeekdayOfDays(int64_t days) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  int64_t w = (days + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

int DayOfYear(int64_t days) {
  CivilDate d = CivilFromDays(days);
  return static_cast<int>(days - DaysFromCivil({d.year, 1, 1}) + 1);
}

Result<int64_t> ParseDate(const std::string& text, const std::string& what) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(what + " '" + text + "': " + why +
                                   " (expected a date as YYYY-MM-DD, e.g. 2024-02-05)");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad("not a date");
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < lens[p]; ++i) {
      char c = text[static_cast<size_t>(starts[p] + i)];
      if (c < '0' || c > '9') return bad("not a date");
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  CivilDate d{parts[0], parts[1], parts[2]};
  if (d.year < 1900 || d.year > 2200) return bad("year outside 1900..2200");
  if (d.month < 1 || d.month > 12) return bad("no such month");
  if (d.day < 1 || d.day > DaysInMonth(d.year, d.month)) return bad("no such day in that month");
  return DaysFromCivil(d);
}

Result<int> ParsePeriod(const std::string& text, const std::string& what) {
  size_t i = 0;
  int64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && n < 100000000) {
    n = n * 10 + (text[i] - '0');
    ++i;
  }
  std::string unit = text.substr(i);
  int64_t scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "m" || unit == "min") scale = 60;
  if (unit == "h") scale = 3600;
  if (i == 0 || scale == 0 || n <= 0 || n * scale > 86400)
    return Status::InvalidArgument(what + " '" + text +
                                   "': expected a positive duration up to a day, such as 60s, "
                                   "5m or 1h");
  return static_cast<int>(n * scale);
}

void FormatTimestamp(int64_t seconds, char* out) {
  int64_t days = FloorDiv(seconds, kSecondsPerDay);
  int sod = static_cast<int>(seconds - days * kSecondsPerDay);
  CivilDate d = CivilFromDays(days);
  int y = d.year;
  out[0] = static_cast<char>('0' + y / 1000 % 10);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  Put2(d.month, out + 5);
  out[7] = '-';
  Put2(d.day, out + 8);
  out[10] = ' ';
  Put2(sod / 3600, out + 11);
  out[13] = ':';
  Put2(sod / 60 % 60, out + 14);
  out[16] = ':';
  Put2(sod % 60, out + 17);
}

std::string TimestampString(int64_t seconds) {
  char buf[19];
  FormatTimestamp(seconds, buf);
  return std::string(buf, 19);
}

}  // namespace emlkit::roomsim
