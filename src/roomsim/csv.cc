#include "roomsim/csv.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "roomsim/calendar.h"
#include "roomsim/faults.h"

namespace emlkit::roomsim {
namespace {

constexpr double kPow10[7] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

// Writes the digits of v at p; returns the end.
char* PutUnsigned(uint64_t v, char* p) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *p++ = buf[--n];
  return p;
}

// `value` with exactly `decimals` decimals (round half away from zero); nothing for NaN.
char* PutFixed(double value, int decimals, char* p) {
  if (std::isnan(value)) return p;
  int64_t scaled = std::llround(value * kPow10[decimals]);
  if (scaled < 0) {
    *p++ = '-';
    scaled = -scaled;
  }
  uint64_t u = static_cast<uint64_t>(scaled);
  char digits[24];  // least significant first, at least decimals + 1 of them
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0 || n <= decimals);
  for (int i = n - 1; i >= decimals; --i) *p++ = digits[i];
  if (decimals > 0) {
    *p++ = '.';
    for (int i = decimals - 1; i >= 0; --i) *p++ = digits[i];
  }
  return p;
}

}  // namespace

void AppendFixed(double value, int decimals, std::string* out) {
  char buf[48];
  char* end = PutFixed(value, decimals, buf);
  out->append(buf, static_cast<size_t>(end - buf));
}

CsvRowWriter::CsvRowWriter(const SensorSpecs& specs) {
  for (int i = 0; i < kNumAnalog; ++i)
    decimals_[i] = ResolutionDecimals(specs.analog[i].resolution);
}

void CsvRowWriter::Append(const Sample& s, std::string* out) {
  if (s.row_missing) return;
  int64_t day = s.time_s >= 0 ? s.time_s / kSecondsPerDay : (s.time_s + 1) / kSecondsPerDay - 1;
  if (day != cached_day_) {
    char ts[19];
    FormatTimestamp(day * kSecondsPerDay, ts);
    std::memcpy(date_, ts, 11);
    cached_day_ = day;
  }
  int sod = static_cast<int>(s.time_s - day * kSecondsPerDay);
  char buf[256];
  char* p = buf;
  std::memcpy(p, date_, 11);
  p += 11;
  int hms[3] = {sod / 3600, sod / 60 % 60, sod % 60};
  for (int i = 0; i < 3; ++i) {
    *p++ = static_cast<char>('0' + hms[i] / 10);
    *p++ = static_cast<char>('0' + hms[i] % 10);
    *p++ = i < 2 ? ':' : ',';
  }
  for (int i = 0; i < kNumAnalog; ++i) {
    p = PutFixed(s.readings.value[i], decimals_[i], p);
    *p++ = ',';
  }
  if (s.readings.motion >= 0) p = PutUnsigned(static_cast<uint64_t>(s.readings.motion), p);
  *p++ = ',';
  *p++ = s.occupied ? '1' : '0';
  *p++ = ',';
  p = PutUnsigned(static_cast<uint64_t>(s.occupants), p);
  *p++ = ',';
  p = PutFixed(s.heater_w, 0, p);
  *p++ = ',';
  out->append(buf, static_cast<size_t>(p - buf));
  AppendFaultText(s.faults, out);
  out->push_back('\n');
}

}  // namespace emlkit::roomsim
