// Test fixtures (tests only, header-only): small data set folders in the layout LoadDataset()
// reads, built from ../shared data or synthesized, until `emlkit data prepare` can make them.
//
//   OccupancyDataset: the quality-bar data set: datatraining.txt's 5 sensor columns z-scored with
//     the training split's statistics, a stratified train/val split of that file (seeded), and
//     datatest.txt as the test split. Optionally the regression variant: predict the
//     temperature `horizon` rows ahead.
//   NabDataset: anomaly windows of a NAB series (non-overlapping windows of `window` steps,
//     label 1 when the window touches a labelled anomaly window), split stratified.
//   WriteDatasetFolder: any small data set from arrays.
#ifndef EMLKIT_TRAIN_TESTING_FIXTURES_H_
#define EMLKIT_TRAIN_TESTING_FIXTURES_H_

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/npy.h"
#include "common/rng.h"

namespace emlkit::train::testing {

struct SplitArrays {
  std::vector<float> x;         // [n, record elements]
  std::vector<int32_t> labels;  // classification / anomaly
  std::vector<float> targets;   // regression
};

struct DatasetArrays {
  std::string task = "classification";
  std::vector<int64_t> record_shape;
  std::vector<std::string> feature_names, label_names;
  std::string label_column = "label";
  nlohmann::json extra = nlohmann::json::object();  // merged into dataset.json
  SplitArrays train, val, test;
};

inline Status WriteDatasetFolder(const std::string& dir, const DatasetArrays& d) {
  int64_t per = 1;
  for (int64_t s : d.record_shape) per *= s;
  auto write_split = [&](const std::string& name, const SplitArrays& s) -> Status {
    int64_t n = static_cast<int64_t>(s.x.size()) / per;
    std::vector<int64_t> shape = {n};
    shape.insert(shape.end(), d.record_shape.begin(), d.record_shape.end());
    NpyArray x = NpyArray::Zeros(DType::kFloat32, shape);
    std::copy(s.x.begin(), s.x.end(), x.data<float>());
    EMLKIT_RETURN_IF_ERROR(WriteNpy(dir + "/X_" + name + ".npy", x));
    if (d.task == "regression") {
      int64_t k = n > 0 ? static_cast<int64_t>(s.targets.size()) / n : 1;
      NpyArray y = NpyArray::Zeros(DType::kFloat32,
                                   k == 1 ? std::vector<int64_t>{n} : std::vector<int64_t>{n, k});
      std::copy(s.targets.begin(), s.targets.end(), y.data<float>());
      return WriteNpy(dir + "/y_" + name + ".npy", y);
    }
    NpyArray y = NpyArray::Zeros(DType::kInt32, {n});
    std::copy(s.labels.begin(), s.labels.end(), y.data<int32_t>());
    return WriteNpy(dir + "/y_" + name + ".npy", y);
  };
  EMLKIT_RETURN_IF_ERROR(write_split("train", d.train));
  EMLKIT_RETURN_IF_ERROR(write_split("val", d.val));
  EMLKIT_RETURN_IF_ERROR(write_split("test", d.test));
  nlohmann::json j = {{"format", "emlkit-dataset"},
                      {"version", 1},
                      {"task", d.task},
                      {"record_shape", d.record_shape},
                      {"feature_names", d.feature_names},
                      {"label", {{"column", d.label_column}}}};
  if (d.task != "regression") j["label"]["names"] = d.label_names;
  j.update(d.extra);
  return WriteFileAtomic(dir + "/dataset.json", j.dump(2) + "\n");
}

// Rows of one UCI occupancy file: the 5 sensor values and the label. The header names 7 columns
// but rows have 8 fields (a quoted row id first).
struct OccupancyRows {
  std::vector<std::vector<double>> x;  // Temperature, Humidity, Light, CO2, HumidityRatio
  std::vector<int32_t> y;
};

inline OccupancyRows ReadOccupancyFile(const std::string& path) {
  OccupancyRows rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, ',')) f.push_back(field);
    if (f.size() != 8) continue;
    std::vector<double> v;
    for (int i = 2; i < 7; ++i)
      v.push_back(std::strtod(f[static_cast<size_t>(i)].c_str(), nullptr));
    rows.x.push_back(v);
    rows.y.push_back(std::atoi(f[7].c_str()));
  }
  return rows;
}

// Indices of `labels` split into (first, second) with `fraction` of each class in second.
inline void StratifiedSplit(const std::vector<int32_t>& labels, double fraction, uint64_t seed,
                            std::vector<size_t>* first, std::vector<size_t>* second) {
  Rng rng(seed);
  int32_t k = 0;
  for (int32_t y : labels) k = std::max(k, y + 1);
  std::vector<bool> in_second(labels.size(), false);
  for (int32_t c = 0; c < k; ++c) {
    std::vector<size_t> idx;
    for (size_t i = 0; i < labels.size(); ++i)
      if (labels[i] == c) idx.push_back(i);
    rng.Shuffle(idx.data(), idx.size());
    size_t take = static_cast<size_t>(std::llround(fraction * static_cast<double>(idx.size())));
    for (size_t i = 0; i < take; ++i) in_second[idx[i]] = true;
  }
  for (size_t i = 0; i < labels.size(); ++i) (in_second[i] ? second : first)->push_back(i);
}

// z-scores columns of `rows` (selected by `idx`) with mean/std (population) of `fit_idx`.
inline void ZScoreStats(const std::vector<std::vector<double>>& rows,
                        const std::vector<size_t>& fit_idx, std::vector<double>* mean,
                        std::vector<double>* std) {
  size_t f = rows[0].size();
  mean->assign(f, 0.0);
  std->assign(f, 0.0);
  for (size_t i : fit_idx)
    for (size_t j = 0; j < f; ++j) (*mean)[j] += rows[i][j] / static_cast<double>(fit_idx.size());
  for (size_t i : fit_idx)
    for (size_t j = 0; j < f; ++j)
      (*std)[j] += std::pow(rows[i][j] - (*mean)[j], 2) / static_cast<double>(fit_idx.size());
  for (double& s : *std) s = std::sqrt(s);
}

// horizon 0: classification of Occupancy; horizon h > 0: regression of the Temperature h rows
// later (records without a row h ahead are dropped).
inline Status OccupancyDataset(const std::string& occupancy_dir, const std::string& out_dir,
                               uint64_t seed, double val_fraction = 0.2, int horizon = 0) {
  OccupancyRows tr = ReadOccupancyFile(occupancy_dir + "/datatraining.txt");
  OccupancyRows te = ReadOccupancyFile(occupancy_dir + "/datatest.txt");
  if (tr.x.size() != 8143 || te.x.size() != 2665)
    return Status::Corruption("unexpected occupancy files in " + occupancy_dir);
  auto shift = [&](OccupancyRows& r, std::vector<float>* targets) {
    if (horizon == 0) return;
    for (size_t i = 0; i + static_cast<size_t>(horizon) < r.x.size(); ++i)
      targets->push_back(static_cast<float>(r.x[i + static_cast<size_t>(horizon)][0]));
    r.x.resize(r.x.size() - static_cast<size_t>(horizon));
    r.y.resize(r.x.size());
  };
  std::vector<float> tr_t, te_t;
  shift(tr, &tr_t);
  shift(te, &te_t);
  std::vector<size_t> train_idx, val_idx;
  StratifiedSplit(tr.y, val_fraction, seed, &train_idx, &val_idx);
  std::vector<double> mean, std;
  ZScoreStats(tr.x, train_idx, &mean, &std);
  DatasetArrays d;
  d.task = horizon == 0 ? "classification" : "regression";
  d.record_shape = {5};
  d.feature_names = {"Temperature", "Humidity", "Light", "CO2", "HumidityRatio"};
  d.label_names = {"0", "1"};
  d.label_column = horizon == 0 ? "Occupancy" : "Temperature";
  d.extra["normalization"] = {{"method", "zscore"}, {"mean", mean}, {"std", std}};
  auto fill = [&](const OccupancyRows& r, const std::vector<float>& t,
                  const std::vector<size_t>& idx, SplitArrays* s) {
    for (size_t i : idx) {
      for (size_t j = 0; j < 5; ++j)
        s->x.push_back(static_cast<float>((r.x[i][j] - mean[j]) / std[j]));
      s->labels.push_back(r.y[i]);
      if (horizon > 0) s->targets.push_back(t[i]);
    }
  };
  fill(tr, tr_t, train_idx, &d.train);
  fill(tr, tr_t, val_idx, &d.val);
  std::vector<size_t> all(te.x.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  fill(te, te_t, all, &d.test);
  return WriteDatasetFolder(out_dir, d);
}

// Seconds since the epoch of "YYYY-MM-DD hh:mm:ss" (UTC; only differences matter here).
inline int64_t ParseTime(const std::string& s) {
  int y, mo, d, h, mi, se;
  if (std::sscanf(s.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &se) != 6) return 0;
  // Days from civil (Howard Hinnant's algorithm).
  y -= mo <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = era * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + se;
}

// `name`: e.g. "machine_temperature_system_failure".
inline Status NabDataset(const std::string& nab_dir, const std::string& name,
                         const std::string& out_dir, int window, uint64_t seed) {
  std::ifstream in(nab_dir + "/data/" + name + ".csv");
  std::string line;
  std::getline(in, line);
  std::vector<int64_t> t;
  std::vector<double> v;
  while (std::getline(in, line)) {
    size_t c = line.find(',');
    if (c == std::string::npos) continue;
    t.push_back(ParseTime(line.substr(0, c)));
    v.push_back(std::strtod(line.c_str() + c + 1, nullptr));
  }
  auto text = ReadFileText(nab_dir + "/labels/combined_windows.json");
  if (!text.ok()) return text.status();
  nlohmann::json labels = nlohmann::json::parse(*text);
  std::vector<std::pair<int64_t, int64_t>> anomalies;
  for (const auto& w : labels["realKnownCause/" + name + ".csv"])
    anomalies.push_back({ParseTime(w[0].get<std::string>()), ParseTime(w[1].get<std::string>())});
  std::vector<std::vector<double>> rows;
  std::vector<int32_t> y;
  for (size_t s = 0; s + static_cast<size_t>(window) <= v.size();
       s += static_cast<size_t>(window)) {
    rows.emplace_back(v.begin() + static_cast<ptrdiff_t>(s),
                      v.begin() + static_cast<ptrdiff_t>(s) + window);
    int32_t label = 0;
    for (auto [a, b] : anomalies)
      if (t[s] <= b && t[s + static_cast<size_t>(window) - 1] >= a) label = 1;
    y.push_back(label);
  }
  std::vector<size_t> rest, test_idx, train_idx, val_idx;
  StratifiedSplit(y, 0.3, seed, &rest, &test_idx);
  std::vector<int32_t> rest_y;
  for (size_t i : rest) rest_y.push_back(y[i]);
  std::vector<size_t> a, b;
  StratifiedSplit(rest_y, 0.3, seed + 1, &a, &b);
  for (size_t i : a) train_idx.push_back(rest[i]);
  for (size_t i : b) val_idx.push_back(rest[i]);
  // One mean / std for the whole series, from the normal training windows.
  double mean = 0, var = 0;
  size_t count = 0;
  for (size_t i : train_idx)
    if (y[i] == 0)
      for (double e : rows[i]) mean += e, ++count;
  mean /= static_cast<double>(count);
  for (size_t i : train_idx)
    if (y[i] == 0)
      for (double e : rows[i]) var += (e - mean) * (e - mean);
  double sd = std::sqrt(var / static_cast<double>(count));
  DatasetArrays d;
  d.task = "anomaly";
  d.record_shape = {window, 1};
  for (int i = 0; i < window; ++i)
    d.feature_names.push_back("value[t-" + std::to_string(window - 1 - i) + "]");
  d.label_names = {"normal", "anomaly"};
  d.label_column = "";
  d.extra["normalization"] = {{"method", "zscore"}, {"mean", {mean}}, {"std", {sd}}};
  d.extra["window"] = {{"size", window}, {"stride", window}};
  auto fill = [&](const std::vector<size_t>& idx, SplitArrays* s) {
    for (size_t i : idx) {
      for (double e : rows[i]) s->x.push_back(static_cast<float>((e - mean) / sd));
      s->labels.push_back(y[i]);
    }
  };
  fill(train_idx, &d.train);
  fill(val_idx, &d.val);
  fill(test_idx, &d.test);
  return WriteDatasetFolder(out_dir, d);
}

// Small synthetic data sets for fast tests (no ../shared needed), split 60/20/20:
//   "classification": 3 Gaussian blobs in 4 features;
//   "windows": [16, 2] windows of a noisy sine, class 0 slow / class 1 fast;
//   "regression": y = 3 x0 - 2 x1 + x2^2 + 10 (+ noise) from 3 features;
//   "anomaly": 6 features near a 2-D plane (normal) or off it (anomaly, 10 %).
inline DatasetArrays Synthetic(const std::string& kind, int n, uint64_t seed) {
  Rng rng(seed);
  DatasetArrays d;
  std::vector<float> x;
  std::vector<int32_t> y;
  std::vector<float> t;
  int per = 0;
  if (kind == "classification") {
    d.record_shape = {4};
    d.label_names = {"a", "b", "c"};
    per = 4;
    const double centers[3][4] = {{0, 0, 0, 0}, {2, 2, 0, 1}, {-2, 1, 2, 0}};
    for (int i = 0; i < n; ++i) {
      int c = static_cast<int>(rng.Below(3));
      for (int j = 0; j < 4; ++j)
        x.push_back(static_cast<float>(centers[c][j] + rng.Normal() * 0.7));
      y.push_back(c);
    }
  } else if (kind == "windows") {
    d.record_shape = {16, 2};
    d.label_names = {"slow", "fast"};
    per = 32;
    for (int i = 0; i < n; ++i) {
      int c = static_cast<int>(rng.Below(2));
      double f = c == 0 ? 0.15 : 0.6, phase = rng.Uniform(0, 6.283);
      for (int s = 0; s < 16; ++s) {
        x.push_back(static_cast<float>(std::sin(f * s + phase) + rng.Normal() * 0.3));
        x.push_back(static_cast<float>(std::cos(f * s + phase) + rng.Normal() * 0.3));
      }
      y.push_back(c);
    }
  } else if (kind == "regression") {
    d.task = "regression";
    d.record_shape = {3};
    d.label_column = "y";
    per = 3;
    for (int i = 0; i < n; ++i) {
      double a = rng.Normal(), b = rng.Normal(), c = rng.Normal();
      x.insert(x.end(), {static_cast<float>(a), static_cast<float>(b), static_cast<float>(c)});
      t.push_back(static_cast<float>(3 * a - 2 * b + c * c + 10 + rng.Normal() * 0.1));
    }
  } else {
    d.task = "anomaly";
    d.record_shape = {6};
    d.label_names = {"normal", "anomaly"};
    d.label_column = "";
    per = 6;
    for (int i = 0; i < n; ++i) {
      bool anomalous = rng.Uniform() < 0.1;
      double u = rng.Normal(), v = rng.Normal();
      double p[6] = {u, v, u + v, u - v, 0.5 * u, -v};
      for (double& e : p) e += rng.Normal() * (anomalous ? 1.5 : 0.05);
      for (double e : p) x.push_back(static_cast<float>(e));
      y.push_back(anomalous ? 1 : 0);
    }
  }
  for (int j = 0; j < per; ++j) d.feature_names.push_back("f" + std::to_string(j));
  for (int i = 0; i < n; ++i) {
    SplitArrays& s = i < n * 6 / 10 ? d.train : i < n * 8 / 10 ? d.val : d.test;
    s.x.insert(s.x.end(), x.begin() + static_cast<ptrdiff_t>(i) * per,
               x.begin() + static_cast<ptrdiff_t>(i + 1) * per);
    if (!y.empty()) s.labels.push_back(y[static_cast<size_t>(i)]);
    if (!t.empty()) s.targets.push_back(t[static_cast<size_t>(i)]);
  }
  return d;
}

}  // namespace emlkit::train::testing

#endif  // EMLKIT_TRAIN_TESTING_FIXTURES_H_
