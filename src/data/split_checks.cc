#include "data/split_checks.h"

#include <nlohmann/json.hpp>

namespace emlkit::data {
namespace {
constexpr const char* kNames[3] = {"train", "validation", "test"};
}

Status CheckSplits(const SplitCounts& c, const std::string& fix, std::vector<std::string>* warnings,
                   const std::vector<std::string>& why_missing) {
  const size_t nc = c.class_names.size();
  // A class with no record anywhere first: its cause (e.g. windows longer than its recordings)
  // explains the empty splits too.
  for (size_t k = 0; k < nc && k < why_missing.size(); ++k)
    if (!why_missing[k].empty())
      return Status::InvalidArgument("class '" + c.class_names[k] +
                                     "' has no record: " + why_missing[k]);
  for (int s = 0; s < 3; ++s)
    if (c.expected[s] && c.records[s] == 0)
      return Status::InvalidArgument("the " + std::string(kNames[s]) +
                                     " split is empty (0 records): " + fix);
  for (size_t k = 0; k < nc; ++k) {
    if (c.per_class[0].size() == nc && c.per_class[0][k] > 0) continue;
    int64_t elsewhere = 0;
    for (int s = 1; s < 3; ++s)
      if (c.per_class[s].size() == nc) elsewhere += c.per_class[s][k];
    std::string why =
        k < why_missing.size() && !why_missing[k].empty() ? " (" + why_missing[k] + ")"
        : elsewhere
            ? " (" + std::to_string(elsewhere) + " records of it are in validation/test only)"
            : " (no record of it at all)";
    return Status::InvalidArgument("class '" + c.class_names[k] +
                                   "' has no record in the train split" + why +
                                   ", so the model could never predict it: " + fix);
  }
  for (int s = 1; s < 3; ++s) {
    if (!c.expected[s] || c.per_class[s].size() != nc) continue;
    for (size_t k = 0; k < nc; ++k)
      if (c.per_class[s][k] == 0)
        return Status::InvalidArgument("class '" + c.class_names[k] +
                                       "' is in train but has no record in the " + kNames[s] +
                                       " split, so its scores there would mean nothing: " + fix);
  }
  if (!warnings) return Status::Ok();
  for (int s = 0; s < 3; ++s) {
    if (!c.expected[s]) continue;
    std::string few;
    if (c.records[s] < kFewRecords)
      few = std::to_string(c.records[s]) + " records (under " + std::to_string(kFewRecords) + ")";
    std::string classes;
    if (c.per_class[s].size() == nc)
      for (size_t k = 0; k < nc; ++k)
        if (c.per_class[s][k] > 0 && c.per_class[s][k] < kFewPerClass)
          classes += (classes.empty() ? "" : ", ") + c.class_names[k] + " " +
                     std::to_string(c.per_class[s][k]);
    if (!classes.empty())
      few += (few.empty() ? "" : "; ") + classes + " (under " + std::to_string(kFewPerClass) +
             " per class)";
    if (!few.empty())
      warnings->push_back("the " + std::string(kNames[s]) + " split is small: " + few +
                          ", so its scores are rough; record more, or use train --cv K");
  }
  return Status::Ok();
}

Status CheckDatasetSplits(const Dataset& ds, const std::string& fix,
                          std::vector<std::string>* warnings) {
  if (ds.info.task == "anomaly") return Status::Ok();
  SplitCounts c;
  const Split* splits[3] = {&ds.train, &ds.val, &ds.test};
  const nlohmann::json j = nlohmann::json::parse(ds.info.json_text, nullptr, false);
  const nlohmann::json split =
      j.is_object() ? j.value("split", nlohmann::json::object()) : nlohmann::json::object();
  c.expected[1] = split.contains("val") && split["val"].is_number() ? split["val"].get<double>() > 0
                                                                    : ds.val.size() > 0;
  c.expected[2] = split.contains("test") && split["test"].is_number()
                      ? split["test"].get<double>() > 0 || split.value("explicit_test_files", false)
                      : ds.test.size() > 0;
  const bool classes = ds.info.task == "classification";
  if (classes) c.class_names = ds.info.label_names;
  for (int s = 0; s < 3; ++s) {
    c.records[s] = splits[s]->size();
    if (!classes) continue;
    c.per_class[s].assign(c.class_names.size(), 0);
    const int32_t* y = splits[s]->y.data<int32_t>();
    for (int64_t i = 0; i < splits[s]->size(); ++i) ++c.per_class[s][static_cast<size_t>(y[i])];
  }
  return CheckSplits(c, fix, warnings);
}

}  // namespace emlkit::data
