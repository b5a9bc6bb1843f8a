// The golden models (../shared/golden/<model>/: model.tflite, meta.json, input<i>.npy,
// output<i>.npy) for the CLI tests of `emlkit inspect` and `emlkit invoke`.
#ifndef EMLKIT_TESTS_INTEGRATION_GOLDEN_MODELS_H_
#define EMLKIT_TESTS_INTEGRATION_GOLDEN_MODELS_H_

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/fs.h"

namespace emlkit::testing {

struct GoldenModel {
  std::string name;  // folder name, e.g. "thermostat_mlp_int8"
  std::string dir;
  std::string model;  // dir + "/model.tflite"
  nlohmann::json meta;
  // Models the issue does not require the runtime to run (LSTM, audio-signal custom ops).
  bool optional() const {
    for (const auto& op : meta["ops"]) {
      std::string name = op.get<std::string>();
      if (name.find("LSTM") != std::string::npos || name.rfind("CUSTOM:", 0) == 0) return true;
    }
    return false;
  }
};

// Every golden model under `golden_dir`, sorted by name.
inline std::vector<GoldenModel> LoadGoldenModels(const std::string& golden_dir) {
  std::vector<GoldenModel> models;
  for (const auto& e : std::filesystem::directory_iterator(golden_dir)) {
    std::string dir = e.path().string();
    auto meta = ReadFileText(dir + "/meta.json");
    if (!meta.ok() || !std::filesystem::exists(dir + "/model.tflite")) continue;
    models.push_back(
        {e.path().filename().string(), dir, dir + "/model.tflite", nlohmann::json::parse(*meta)});
  }
  std::sort(models.begin(), models.end(),
            [](const GoldenModel& a, const GoldenModel& b) { return a.name < b.name; });
  return models;
}

}  // namespace emlkit::testing

#endif  // EMLKIT_TESTS_INTEGRATION_GOLDEN_MODELS_H_
