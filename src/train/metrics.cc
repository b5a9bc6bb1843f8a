#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

namespace emlkit::train {

int32_t ArgMax(const float* v, int width) {
  return static_cast<int32_t>(std::max_element(v, v + width) - v);
}

ClassificationMetrics ComputeClassification(const int32_t* truth, const int32_t* predicted,
                                            const float* score, int64_t n,
                                            const std::vector<std::string>& label_names) {
  const size_t k = label_names.size();
  ClassificationMetrics m;
  m.n = n;
  m.confusion.assign(k, std::vector<int64_t>(k, 0));
  int64_t correct = 0;
  for (int64_t i = 0; i < n; ++i) {
    ++m.confusion[static_cast<size_t>(truth[i])][static_cast<size_t>(predicted[i])];
    correct += truth[i] == predicted[i];
  }
  m.accuracy = n > 0 ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
  for (size_t c = 0; c < k; ++c) {
    int64_t tp = m.confusion[c][c], support = 0, predicted_c = 0;
    for (size_t j = 0; j < k; ++j) {
      support += m.confusion[c][j];
      predicted_c += m.confusion[j][c];
    }
    ClassMetrics cm;
    cm.name = label_names[c];
    cm.support = support;
    cm.precision = predicted_c > 0 ? static_cast<double>(tp) / static_cast<double>(predicted_c) : 0;
    cm.recall = support > 0 ? static_cast<double>(tp) / static_cast<double>(support) : 0;
    double pr = cm.precision + cm.recall;
    cm.f1 = pr > 0 ? 2 * cm.precision * cm.recall / pr : 0;
    m.per_class.push_back(cm);
  }
  // Macro F1 over the classes present: a class with no true record has no recall, so its F1 of
  // 0 would say "always missed" about a class that was never asked.
  int64_t present = 0;
  for (const ClassMetrics& cm : m.per_class) present += cm.support > 0;
  for (const ClassMetrics& cm : m.per_class)
    if (cm.support > 0) m.macro_f1 += cm.f1 / static_cast<double>(present);
  if (score && k == 2) m.auc = RocAuc(score, truth, n);
  return m;
}

RegressionMetrics ComputeRegression(const float* predicted, const float* truth, int64_t n,
                                    int width) {
  RegressionMetrics m;
  m.n = n;
  const int64_t total = n * width;
  if (total == 0) return m;
  double abs_sum = 0, sq_sum = 0, mean = 0;
  for (int64_t i = 0; i < total; ++i) mean += truth[i];
  mean /= static_cast<double>(total);
  double var_sum = 0;
  for (int64_t i = 0; i < total; ++i) {
    double e = static_cast<double>(predicted[i]) - truth[i];
    abs_sum += std::fabs(e);
    sq_sum += e * e;
    var_sum += (truth[i] - mean) * (truth[i] - mean);
  }
  m.mae = abs_sum / static_cast<double>(total);
  m.rmse = std::sqrt(sq_sum / static_cast<double>(total));
  m.r2 = var_sum > 0 ? 1.0 - sq_sum / var_sum : 0.0;
  return m;
}

std::optional<double> RocAuc(const float* score, const int32_t* truth, int64_t n) {
  // Mann-Whitney U: the sum of the positives' ranks (average ranks on ties).
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return score[a] < score[b]; });
  double rank_sum = 0;
  int64_t pos = 0;
  for (int64_t i = 0; i < n;) {
    int64_t j = i;
    while (j < n && score[order[static_cast<size_t>(j)]] == score[order[static_cast<size_t>(i)]])
      ++j;
    double avg_rank = (static_cast<double>(i) + static_cast<double>(j) + 1.0) / 2.0;  // 1-based
    for (int64_t t = i; t < j; ++t) {
      if (truth[order[static_cast<size_t>(t)]] == 1) {
        rank_sum += avg_rank;
        ++pos;
      }
    }
    i = j;
  }
  const int64_t neg = n - pos;
  if (pos == 0 || neg == 0) return std::nullopt;
  double p = static_cast<double>(pos);
  return (rank_sum - p * (p + 1) / 2) / (p * static_cast<double>(neg));
}

nlohmann::json ToJson(const ClassificationMetrics& m) {
  nlohmann::json per_class = nlohmann::json::array();
  for (const ClassMetrics& c : m.per_class)
    per_class.push_back({{"label", c.name},
                         {"precision", c.precision},
                         {"recall", c.recall},
                         {"f1", c.f1},
                         {"support", c.support}});
  nlohmann::json j = {{"n", m.n},
                      {"accuracy", m.accuracy},
                      {"macro_f1", m.macro_f1},
                      {"per_class", per_class},
                      {"confusion_matrix", m.confusion}};
  if (m.auc) j["auc"] = *m.auc;
  nlohmann::json absent = nlohmann::json::array();
  for (const ClassMetrics& c : m.per_class)
    if (c.support == 0) absent.push_back(c.name);
  if (!absent.empty()) j["classes_without_support"] = absent;
  return j;
}

nlohmann::json ToJson(const RegressionMetrics& m) {
  return {{"n", m.n}, {"mae", m.mae}, {"rmse", m.rmse}, {"r2", m.r2}};
}

}  // namespace emlkit::train
