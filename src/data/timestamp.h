// Timestamps in sensor logs: parsing ISO-8601-like text to seconds since 1970-01-01 UTC, and the
// calendar fields derived features need (time of day, weekday).
//
// Accepted forms (the date part is required; the rest is optional, in this order):
//   YYYY-MM-DD or YYYY/MM/DD
//   then 'T' or one space, hh:mm, optionally :ss, optionally .fraction (up to 9 digits)
//   then optionally 'Z' or an offset +hh:mm / -hh:mm / +hhmm / +hh
// Values without an offset are taken as written (naive wall-clock time, treated as UTC); values
// with an offset are converted to UTC. Time-of-day features therefore follow the wall clock for
// naive timestamps, and UTC for zoned ones.
#ifndef EMLKIT_DATA_TIMESTAMP_H_
#define EMLKIT_DATA_TIMESTAMP_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace emlkit::data {

// Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1..12, d 1..31).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

// Parses `text` (no surrounding spaces) as a timestamp. Returns false if it is not one of the
// accepted forms or a field is out of range (month 13, Feb 30, hour 25, ...).
bool ParseTimestamp(std::string_view text, double* seconds);

// Cheap pre-check: true if `text` starts like a date (4 digits then '-' or '/').
inline bool LooksLikeDate(std::string_view t) {
  return t.size() >= 10 && static_cast<unsigned>(t[0] - '0') < 10 &&
         static_cast<unsigned>(t[1] - '0') < 10 && static_cast<unsigned>(t[2] - '0') < 10 &&
         static_cast<unsigned>(t[3] - '0') < 10 && (t[4] == '-' || t[4] == '/');
}

// "YYYY-MM-DD hh:mm:ss" (UTC, fraction dropped) for reports.
std::string FormatTimestamp(double seconds);

// Seconds since midnight, in [0, 86400).
double SecondsOfDay(double seconds);
// Day of the week, 0 = Monday .. 6 = Sunday.
int Weekday(double seconds);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_TIMESTAMP_H_
