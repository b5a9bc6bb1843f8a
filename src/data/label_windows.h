// Anomaly labels from time windows, as in the Numenta Anomaly Benchmark's
// labels/combined_windows.json: {"<folder>/<file>.csv": [["start", "end"], ...], ...} with
// timestamps "YYYY-MM-DD hh:mm:ss[.ffffff]". A row is an anomaly (label 1) when its timestamp
// lies in any [start, end] window (both ends included).
#ifndef EMLKIT_DATA_LABEL_WINDOWS_H_
#define EMLKIT_DATA_LABEL_WINDOWS_H_

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace emlkit::data {

struct TimeWindows {
  std::string key;                                // the key used
  std::vector<std::pair<double, double>> ranges;  // [start, end] in seconds
  bool Contains(double t) const {
    for (const auto& [a, b] : ranges)
      if (t >= a && t <= b) return true;
    return false;
  }
};

// Reads the windows for `csv_path` from `json_path`: the key `key` if given, else the key whose
// file name equals csv_path's file name. Errors name the JSON file and list close keys.
Result<TimeWindows> LoadTimeWindows(const std::string& json_path, const std::string& key,
                                    const std::string& csv_path);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_LABEL_WINDOWS_H_
