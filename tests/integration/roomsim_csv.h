// Reading `emlkit roomsim` CSV output in the integration tests (a deliberately independent, tiny
// parser: the tests must not trust the writer they check).
#ifndef EMLKIT_TESTS_INTEGRATION_ROOMSIM_CSV_H_
#define EMLKIT_TESTS_INTEGRATION_ROOMSIM_CSV_H_

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace emlkit::testing {

struct RoomRow {
  std::string timestamp;
  double temperature_c = NAN, humidity_pct = NAN, light_lux = NAN, co2_ppm = NAN;
  int motion = -1;  // -1: empty field
  int occupied = 0, occupants = 0;
  double heater_w = 0;
  std::string fault;
  int Hour() const { return std::atoi(timestamp.substr(11, 2).c_str()); }
  std::string Day() const { return timestamp.substr(0, 10); }
  // Minutes since midnight of the first day, assuming the run starts at 00:00 on `first_day`.
  int64_t Minute(int day_index) const {
    return day_index * 1440 + std::atoi(timestamp.substr(11, 2).c_str()) * 60 +
           std::atoi(timestamp.substr(14, 2).c_str());
  }
};

inline double FieldOrNan(const std::string& s) { return s.empty() ? NAN : std::atof(s.c_str()); }

// Parses the whole text; `header` receives the first line. Rows with a wrong field count are
// kept with an empty timestamp so tests notice them.
inline std::vector<RoomRow> ParseRoomCsv(const std::string& text, std::string* header) {
  std::vector<RoomRow> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, *header);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ',') {
        f.push_back(line.substr(start, i - start));
        start = i + 1;
      }
    }
    RoomRow r;
    if (f.size() == 10) {
      r.timestamp = f[0];
      r.temperature_c = FieldOrNan(f[1]);
      r.humidity_pct = FieldOrNan(f[2]);
      r.light_lux = FieldOrNan(f[3]);
      r.co2_ppm = FieldOrNan(f[4]);
      r.motion = f[5].empty() ? -1 : std::atoi(f[5].c_str());
      r.occupied = std::atoi(f[6].c_str());
      r.occupants = std::atoi(f[7].c_str());
      r.heater_w = std::atof(f[8].c_str());
      r.fault = f[9];
    }
    rows.push_back(r);
  }
  return rows;
}

}  // namespace emlkit::testing

#endif  // EMLKIT_TESTS_INTEGRATION_ROOMSIM_CSV_H_
