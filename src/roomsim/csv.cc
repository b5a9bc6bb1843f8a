#include "roomsim/csv.h"

#include <cmath>
#include <cstdint>

#include "roomsim/calendar.h"
#include "roomsim/faults.h"

namespace emlkit::roomsim {
namespace {

void AppendUnsigned(uint64_t v, std::string* out) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out->push_back(buf[--n]);
}

}  // namespace

void AppendFixed(double value, int decimals, std::string* out) {
  if (std::isnan(value)) return;
  static const double kPow10[7] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
  int64_t scaled = std::llround(value * kPow10[decimals]);
  if (scaled < 0) {
    out->push_back('-');
    scaled = -scaled;
  }
  uint64_t u = static_cast<uint64_t>(scaled);
  uint64_t p = static_cast<uint64_t>(kPow10[decimals]);
  AppendUnsigned(u / p, out);
  if (decimals == 0) return;
  out->push_back('.');
  uint64_t frac = u % p;
  for (uint64_t d = p / 10; d > 0; d /= 10) {
    out->push_back(static_cast<char>('0' + frac / d));
    frac %= d;
  }
}

CsvRowWriter::CsvRowWriter(const SensorSpecs& specs) {
  for (int i = 0; i < kNumAnalog; ++i)
    decimals_[i] = ResolutionDecimals(specs.analog[i].resolution);
}

void CsvRowWriter::Append(const Sample& s, std::string* out) const {
  if (s.row_missing) return;
  char ts[19];
  FormatTimestamp(s.time_s, ts);
  out->append(ts, 19);
  for (int i = 0; i < kNumAnalog; ++i) {
    out->push_back(',');
    AppendFixed(s.readings.value[i], decimals_[i], out);
  }
  out->push_back(',');
  if (s.readings.motion >= 0) AppendUnsigned(static_cast<uint64_t>(s.readings.motion), out);
  out->append(s.occupied ? ",1," : ",0,");
  AppendUnsigned(static_cast<uint64_t>(s.occupants), out);
  out->push_back(',');
  AppendFixed(s.heater_w, 0, out);
  out->push_back(',');
  AppendFaultText(s.faults, out);
  out->push_back('\n');
}

}  // namespace emlkit::roomsim
