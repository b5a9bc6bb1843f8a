#include "data/dataset.h"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/fs.h"

namespace emlkit::data {
namespace {

using nlohmann::json;

Status LoadSplit(const std::string& dir, const std::string& name, const DatasetInfo& info,
                 Split* out) {
  std::string xp = dir + "/X_" + name + ".npy", yp = dir + "/y_" + name + ".npy";
  EMLKIT_ASSIGN_OR_RETURN(out->x, ReadNpy(xp));
  EMLKIT_ASSIGN_OR_RETURN(out->y, ReadNpy(yp));
  const NpyArray& x = out->x;
  const NpyArray& y = out->y;
  if (x.dtype() != DType::kFloat32)
    return Status::InvalidArgument(xp + ": features must be float32, found " +
                                   DTypeName(x.dtype()));
  std::vector<int64_t> want = {x.records()};
  want.insert(want.end(), info.record_shape.begin(), info.record_shape.end());
  if (x.shape() != want) {
    std::string got, exp;
    for (int64_t d : x.shape()) got += (got.empty() ? "" : ",") + std::to_string(d);
    for (int64_t d : want) exp += (exp.empty() ? "" : ",") + std::to_string(d);
    return Status::InvalidArgument(xp + ": shape (" + got +
                                   ") does not match dataset.json's "
                                   "record_shape; expected (" +
                                   exp + ") — re-run emlkit data prepare");
  }
  if (y.shape().empty() || y.records() != x.records())
    return Status::InvalidArgument(yp + ": has " + std::to_string(y.records()) + " labels but " +
                                   xp + " has " + std::to_string(x.records()) + " records");
  const float* xv = x.data<float>();
  int64_t per = x.record_elements();
  for (int64_t i = 0; i < x.num_elements(); ++i) {
    if (!std::isfinite(xv[i])) {
      int64_t f = i % per;
      std::string feat = f < static_cast<int64_t>(info.feature_names.size())
                             ? info.feature_names[static_cast<size_t>(f)]
                             : "#" + std::to_string(f);
      return Status::InvalidArgument(xp + ": record " + std::to_string(i / per) + ", feature '" +
                                     feat +
                                     "' is NaN or infinite; clean the data (emlkit data "
                                     "prepare drops or interpolates missing values)");
    }
  }
  if (info.task == "regression") {
    if (y.dtype() != DType::kFloat32)
      return Status::InvalidArgument(yp + ": regression targets must be float32, found " +
                                     DTypeName(y.dtype()));
    for (int64_t i = 0; i < y.num_elements(); ++i)
      if (!std::isfinite(y.data<float>()[i]))
        return Status::InvalidArgument(
            yp + ": target of record " +
            std::to_string(i / std::max<int64_t>(1, y.record_elements())) + " is NaN or infinite");
  } else {
    if (y.dtype() != DType::kInt32 || y.shape().size() != 1)
      return Status::InvalidArgument(yp + ": class labels must be a 1-D int32 array");
    int64_t k = static_cast<int64_t>(info.label_names.size());
    for (int64_t i = 0; i < y.records(); ++i) {
      int32_t c = y.data<int32_t>()[i];
      if (c < 0 || c >= k)
        return Status::InvalidArgument(yp + ": record " + std::to_string(i) + " has label " +
                                       std::to_string(c) + ", outside the " + std::to_string(k) +
                                       " classes named in dataset.json");
    }
  }
  return Status::Ok();
}

}  // namespace

const Split& Dataset::split(const std::string& name) const {
  if (name == "val") return val;
  if (name == "test") return test;
  return train;
}

Result<DatasetInfo> ParseDatasetInfo(const std::string& json_text, const std::string& name) {
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Status::Corruption(name + ": not valid JSON; re-run emlkit data prepare");
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument(name + ": " + what + " (see docs/dataset-json.md)");
  };
  if (j.value("format", "") != kDatasetFormat) return bad("'format' must be \"emlkit-dataset\"");
  if (!j.contains("version") || !j["version"].is_number_integer() ||
      j["version"].get<int>() > kDatasetVersion)
    return bad("'version' missing or newer than this emlkit understands");
  DatasetInfo info;
  info.json_text = json_text;
  if (!j.contains("task") || !j["task"].is_string()) return bad("'task' missing");
  info.task = j["task"].get<std::string>();
  if (info.task != "classification" && info.task != "regression" && info.task != "anomaly")
    return bad("'task' must be classification, regression or anomaly");
  if (!j.contains("record_shape") || !j["record_shape"].is_array() || j["record_shape"].empty())
    return bad("'record_shape' missing");
  int64_t elements = 1;
  for (const json& d : j["record_shape"]) {
    if (!d.is_number_integer() || d.get<int64_t>() <= 0)
      return bad("'record_shape' must hold positive integers");
    info.record_shape.push_back(d.get<int64_t>());
    elements *= info.record_shape.back();
  }
  if (!j.contains("feature_names") || !j["feature_names"].is_array())
    return bad("'feature_names' missing");
  for (const json& f : j["feature_names"]) {
    if (!f.is_string()) return bad("'feature_names' must hold strings");
    info.feature_names.push_back(f.get<std::string>());
  }
  if (static_cast<int64_t>(info.feature_names.size()) != elements)
    return bad("'feature_names' has " + std::to_string(info.feature_names.size()) +
               " names but a record has " + std::to_string(elements) + " elements");
  if (!j.contains("label") || !j["label"].is_object()) return bad("'label' missing");
  const json& label = j["label"];
  if (label.contains("column") && label["column"].is_string())
    info.label_column = label["column"].get<std::string>();
  if (info.task != "regression") {
    if (!label.contains("names") || !label["names"].is_array() || label["names"].size() < 2)
      return bad("'label.names' must list at least two classes");
    for (const json& n : label["names"]) {
      if (!n.is_string()) return bad("'label.names' must hold strings");
      info.label_names.push_back(n.get<std::string>());
    }
  }
  return info;
}

Result<Dataset> LoadDataset(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return Status::NotFound(dir +
                            ": no such data set folder (create one with emlkit data prepare)");
  std::string meta = dir + "/dataset.json";
  auto text = ReadFileText(meta);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound)
      return Status::NotFound(meta + ": missing; is '" + dir +
                              "' a folder written by emlkit data prepare?");
    return text.status();
  }
  Dataset ds;
  EMLKIT_ASSIGN_OR_RETURN(ds.info, ParseDatasetInfo(*text, meta));
  EMLKIT_RETURN_IF_ERROR(LoadSplit(dir, "train", ds.info, &ds.train));
  EMLKIT_RETURN_IF_ERROR(LoadSplit(dir, "val", ds.info, &ds.val));
  EMLKIT_RETURN_IF_ERROR(LoadSplit(dir, "test", ds.info, &ds.test));
  if (ds.train.size() == 0)
    return Status::InvalidArgument(dir + "/X_train.npy: the training split is empty");
  return ds;
}

}  // namespace emlkit::data
