// Civil dates and timestamps for the room simulator. Time is local standard time without
// daylight-saving shifts, counted in seconds since 1970-01-01 00:00:00 (proleptic Gregorian
// calendar), so every day has exactly 86,400 s.
#ifndef EMLKIT_ROOMSIM_CALENDAR_H_
#define EMLKIT_ROOMSIM_CALENDAR_H_

#include <cstdint>
#include <string>

#include "common/status.h"

namespace emlkit::roomsim {

inline constexpr int64_t kSecondsPerDay = 86400;

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01 of a valid civil date, and back.
int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(int64_t days);
// 0 = Monday ... 6 = Sunday.
int WeekdayOfDays(int64_t days);
// 1 ... 366.
int DayOfYear(int64_t days);

// Parses "YYYY-MM-DD" (years 1900..2200). `what` names the option in messages, e.g. "--start".
Result<int64_t> ParseDate(const std::string& text, const std::string& what);

// Parses a sampling period: "60", "60s", "5m", "5min", "1h" -> seconds (> 0). `what` names the
// option in messages.
Result<int> ParsePeriod(const std::string& text, const std::string& what);

// Writes "YYYY-MM-DD hh:mm:ss" (exactly 19 characters, no terminator) for `seconds`.
void FormatTimestamp(int64_t seconds, char* out);
std::string TimestampString(int64_t seconds);

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_CALENDAR_H_
