#include "train/cross_validation.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "common/rng.h"
#include "train/fit.h"

namespace emlkit::train {
namespace {

// Records `rows` of the pool (train then val) as one array.
NpyArray Gather(const NpyArray& a, const NpyArray& b, const std::vector<int64_t>& rows) {
  std::vector<int64_t> shape = a.shape();
  shape[0] = static_cast<int64_t>(rows.size());
  NpyArray out = NpyArray::Zeros(a.dtype(), shape);
  const size_t bytes = a.records() > 0   ? a.num_bytes() / static_cast<size_t>(a.records())
                       : b.records() > 0 ? b.num_bytes() / static_cast<size_t>(b.records())
                                         : 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t r = rows[i];
    const uint8_t* src = r < a.records() ? a.raw() + static_cast<size_t>(r) * bytes
                                         : b.raw() + static_cast<size_t>(r - a.records()) * bytes;
    std::memcpy(out.raw() + i * bytes, src, bytes);
  }
  return out;
}

}  // namespace

std::vector<int64_t> PooledRecordGroups(const data::Dataset& ds) {
  const nlohmann::json j = nlohmann::json::parse(ds.info.json_text, nullptr, false);
  if (!j.is_object() || !j.contains("recordings") || !j["recordings"].contains("list")) return {};
  std::vector<int64_t> train, val;
  // Rows [file, line, rows, group, train, val, test] (docs/dataset-json.md).
  for (const auto& rec : j["recordings"]["list"]) {
    if (!rec.is_array() || rec.size() != 7 || !rec[3].is_number_integer()) continue;
    const int64_t g = rec[3].get<int64_t>();
    train.insert(train.end(), static_cast<size_t>(rec[4].get<int64_t>()), g);
    val.insert(val.end(), static_cast<size_t>(rec[5].get<int64_t>()), g);
  }
  if (static_cast<int64_t>(train.size()) != ds.train.size() ||
      static_cast<int64_t>(val.size()) != ds.val.size())
    return {};
  train.insert(train.end(), val.begin(), val.end());
  return train;
}

Result<CvResult> CrossValidate(const data::Dataset& ds, const TrainOptions& options, int k,
                               FILE* progress) {
  if (k < 2) return Status::InvalidArgument("--cv needs at least 2 folds");
  const std::string& task = ds.info.task;
  if (task == "anomaly")
    return Status::InvalidArgument("--cv works on classification and regression data sets");
  CvResult res;
  res.metric = task == "classification" ? "accuracy" : "mae";
  const int64_t n = ds.train.size() + ds.val.size();
  std::vector<int64_t> groups = PooledRecordGroups(ds);
  if (groups.empty()) {
    res.warnings.push_back(
        "the data set records no recordings (made by an older emlkit): folds are cut per "
        "record, so overlapping windows of one recording can sit on both sides; prepare it "
        "again for folds of whole recordings");
    for (int64_t i = 0; i < n; ++i) groups.push_back(i);
  }
  // Each group's majority class (0 for regression) and its records.
  std::map<int64_t, std::vector<int64_t>> members;
  for (int64_t i = 0; i < n; ++i) members[groups[static_cast<size_t>(i)]].push_back(i);
  const bool classes = task == "classification";
  const size_t nc = classes ? ds.info.label_names.size() : 1;
  auto label = [&](int64_t r) -> size_t {
    if (!classes) return 0;
    return static_cast<size_t>(r < ds.train.size() ? ds.train.y.data<int32_t>()[r]
                                                   : ds.val.y.data<int32_t>()[r - ds.train.size()]);
  };
  std::vector<std::vector<int64_t>> by_class(nc);
  for (const auto& [g, rows] : members) {
    std::vector<int64_t> votes(nc, 0);
    for (int64_t r : rows) ++votes[label(r)];
    by_class[static_cast<size_t>(std::max_element(votes.begin(), votes.end()) - votes.begin())]
        .push_back(g);
  }
  if (static_cast<int64_t>(members.size()) < k)
    return Status::InvalidArgument("--cv " + std::to_string(k) + ": the data set has only " +
                                   std::to_string(members.size()) +
                                   " recordings (groups) in train + validation; use a smaller K");
  for (size_t c = 0; c < nc; ++c) {
    if (classes && by_class[c].empty()) continue;
    if (static_cast<int64_t>(by_class[c].size()) < k)
      return Status::InvalidArgument(
          "--cv " + std::to_string(k) + ": class '" + (classes ? ds.info.label_names[c] : "") +
          "' has only " + std::to_string(by_class[c].size()) +
          " recordings (groups), so some folds would not hold it; use --cv " +
          std::to_string(std::max<size_t>(2, by_class[c].size())) + " or record more");
  }
  // Deal each class's shuffled groups to the folds in turn.
  Rng rng(options.loop.seed);
  std::map<int64_t, int> fold_of;
  size_t turn = 0;
  for (std::vector<int64_t>& gs : by_class) {
    rng.Shuffle(gs.data(), gs.size());
    for (int64_t g : gs) fold_of[g] = static_cast<int>(turn++ % static_cast<size_t>(k));
  }
  for (int f = 0; f < k; ++f) {
    std::vector<int64_t> train_rows, val_rows;
    std::map<int64_t, bool> val_groups;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t g = groups[static_cast<size_t>(i)];
      if (fold_of[g] == f) {
        val_rows.push_back(i);
        val_groups[g] = true;
      } else {
        train_rows.push_back(i);
      }
    }
    data::Dataset fd;
    fd.info = ds.info;
    fd.train.x = Gather(ds.train.x, ds.val.x, train_rows);
    fd.train.y = Gather(ds.train.y, ds.val.y, train_rows);
    fd.val.x = Gather(ds.train.x, ds.val.x, val_rows);
    fd.val.y = Gather(ds.train.y, ds.val.y, val_rows);
    fd.test.x = Gather(ds.train.x, ds.val.x, {});
    fd.test.y = Gather(ds.train.y, ds.val.y, {});
    EMLKIT_ASSIGN_OR_RETURN(FittedModel m, Fit(fd, options));
    CvFold fold;
    fold.train_records = static_cast<int64_t>(train_rows.size());
    fold.val_records = static_cast<int64_t>(val_rows.size());
    fold.val_groups = static_cast<int64_t>(val_groups.size());
    fold.metrics = m.metrics.contains("val") ? m.metrics["val"] : nlohmann::json::object();
    fold.score = fold.metrics.value(res.metric, std::nan(""));
    res.folds.push_back(fold);
    if (progress)
      std::fprintf(progress, "cv fold %d/%d: %s %.4f on %lld records (%lld recordings)\n", f + 1, k,
                   res.metric.c_str(), fold.score, static_cast<long long>(fold.val_records),
                   static_cast<long long>(fold.val_groups));
  }
  double sum = 0;
  for (const CvFold& f : res.folds) sum += f.score;
  res.mean = sum / k;
  double ss = 0;
  for (const CvFold& f : res.folds) ss += (f.score - res.mean) * (f.score - res.mean);
  res.spread = std::sqrt(ss / (k - 1));
  return res;
}

nlohmann::json CvResultJson(const CvResult& r) {
  nlohmann::json folds = nlohmann::json::array();
  for (const CvFold& f : r.folds)
    folds.push_back({{"train_records", f.train_records},
                     {"val_records", f.val_records},
                     {"val_recordings", f.val_groups},
                     {r.metric, f.score},
                     {"metrics", f.metrics}});
  nlohmann::json j = {{"k", r.folds.size()},
                      {"metric", r.metric},
                      {"mean", r.mean},
                      {"std", r.spread},
                      {"folds", folds}};
  if (!r.warnings.empty()) j["warnings"] = r.warnings;
  return j;
}

}  // namespace emlkit::train
