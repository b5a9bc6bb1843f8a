#include "data/label_windows.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "data/timestamp.h"

namespace emlkit::data {

Result<TimeWindows> LoadTimeWindows(const std::string& json_path, const std::string& key,
                                    const std::string& csv_path) {
  EMLKIT_ASSIGN_OR_RETURN(std::string text, ReadFileText(json_path));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::InvalidArgument(json_path +
                                   ": not a JSON object of label windows (NAB "
                                   "combined_windows.json style: {\"file.csv\": [[start, end]]})");
  const std::string base = std::filesystem::path(csv_path).filename().string();
  std::string use = key;
  if (use.empty()) {
    std::vector<std::string> hits;
    for (auto it = j.begin(); it != j.end(); ++it)
      if (std::filesystem::path(it.key()).filename().string() == base) hits.push_back(it.key());
    if (hits.size() != 1) {
      std::string list;
      for (const auto& h : hits) list += (list.empty() ? "" : ", ") + h;
      return Status::InvalidArgument(
          json_path + ": " +
          (hits.empty() ? "no key names the file '" + base + "'"
                        : "several keys name the file '" + base + "' (" + list + ")") +
          "; give the key with --label-windows-key");
    }
    use = hits[0];
  } else if (!j.contains(use)) {
    return Status::InvalidArgument(json_path + ": no key '" + use +
                                   "' (check --label-windows-key)");
  }
  TimeWindows w;
  w.key = use;
  const nlohmann::json& list = j[use];
  if (!list.is_array())
    return Status::InvalidArgument(json_path + ": '" + use + "' must be a list of [start, end]");
  for (size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& p = list[i];
    double a, b;
    if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_string() ||
        !ParseTimestamp(p[0].get<std::string>(), &a) ||
        !ParseTimestamp(p[1].get<std::string>(), &b) || b < a)
      return Status::InvalidArgument(json_path + ": '" + use + "' window " + std::to_string(i) +
                                     " must be [\"start\", \"end\"] timestamps with start <= end");
    w.ranges.emplace_back(a, b);
  }
  return w;
}

}  // namespace emlkit::data
