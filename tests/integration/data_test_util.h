// Helpers for the `emlkit data` integration tests: a plain CSV reader independent of emlkit's
// (std::getline + std::stod) to recompute expected values, and .npy loading.
#ifndef EMLKIT_TESTS_INTEGRATION_DATA_TEST_UTIL_H_
#define EMLKIT_TESTS_INTEGRATION_DATA_TEST_UTIL_H_

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/npy.h"

namespace emlkit::testing {

// Rows of a simple CSV (no quoted delimiters); quotes around fields are removed. The header
// becomes the keys; a row one field longer than the header drops its first field (row id).
inline std::map<std::string, std::vector<std::string>> ReadSimpleCsv(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::vector<std::string> names;
  std::map<std::string, std::vector<std::string>> out;
  auto split = [](const std::string& l) {
    std::vector<std::string> v;
    std::stringstream ss(l);
    std::string x;
    while (std::getline(ss, x, ',')) {
      if (!x.empty() && x.back() == '\r') x.pop_back();
      if (x.size() >= 2 && x.front() == '"') x = x.substr(1, x.size() - 2);
      v.push_back(x);
    }
    return v;
  };
  std::getline(f, line);
  names = split(line);
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    std::vector<std::string> v = split(line);
    size_t skip = v.size() == names.size() + 1 ? 1 : 0;
    for (size_t i = 0; i < names.size(); ++i) out[names[i]].push_back(v[i + skip]);
  }
  return out;
}

inline std::vector<double> Numbers(const std::vector<std::string>& v) {
  std::vector<double> out;
  for (const std::string& s : v) out.push_back(std::stod(s));
  return out;
}

inline NpyArray Load(const std::string& path) {
  auto a = ReadNpy(path);
  return a.ok() ? std::move(a).value() : NpyArray();
}

}  // namespace emlkit::testing

#endif  // EMLKIT_TESTS_INTEGRATION_DATA_TEST_UTIL_H_
