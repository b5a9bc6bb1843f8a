#include "train/anomaly.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>

#include "common/rng.h"

namespace emlkit::train {
namespace {

double SquaredDistance(const float* a, const float* b, int dim) {
  double s = 0;
  for (int j = 0; j < dim; ++j) {
    double d = static_cast<double>(a[j]) - b[j];
    s += d * d;
  }
  return s;
}

// Index and squared distance of the nearest centroid.
std::pair<int, double> Nearest(const KMeansModel& m, const float* x) {
  int best = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (int c = 0; c < m.k; ++c) {
    double d = SquaredDistance(x, m.centroids.data() + static_cast<ptrdiff_t>(c) * m.dim, m.dim);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return {best, best_d};
}

}  // namespace

KMeansModel FitKMeans(const float* x, int64_t n, int dim, int k, uint64_t seed,
                      int max_iterations) {
  KMeansModel m;
  m.dim = dim;
  m.k = static_cast<int>(std::min<int64_t>(k, n));
  Rng rng(seed);
  auto row = [&](int64_t i) { return x + i * dim; };
  // k-means++: each next centroid drawn with probability proportional to D(x)^2.
  std::vector<double> d2(static_cast<size_t>(n), std::numeric_limits<double>::infinity());
  int64_t pick = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(n)));
  for (int c = 0; c < m.k; ++c) {
    m.centroids.insert(m.centroids.end(), row(pick), row(pick) + dim);
    double total = 0;
    for (int64_t i = 0; i < n; ++i) {
      d2[static_cast<size_t>(i)] =
          std::min(d2[static_cast<size_t>(i)], SquaredDistance(row(i), row(pick), dim));
      total += d2[static_cast<size_t>(i)];
    }
    if (total <= 0) {  // fewer distinct points than k
      m.k = c + 1;
      break;
    }
    double r = rng.Uniform() * total;
    pick = n - 1;
    for (int64_t i = 0; i < n; ++i) {
      r -= d2[static_cast<size_t>(i)];
      if (r < 0) {
        pick = i;
        break;
      }
    }
  }
  // Lloyd iterations.
  std::vector<int> assign(static_cast<size_t>(n), -1);
  std::vector<double> sums(static_cast<size_t>(m.k) * dim);
  std::vector<int64_t> counts(static_cast<size_t>(m.k));
  for (m.iterations = 0; m.iterations < max_iterations; ++m.iterations) {
    bool changed = false;
    for (int64_t i = 0; i < n; ++i) {
      int c = Nearest(m, row(i)).first;
      changed |= c != assign[static_cast<size_t>(i)];
      assign[static_cast<size_t>(i)] = c;
    }
    if (!changed) break;
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(counts.begin(), counts.end(), 0);
    for (int64_t i = 0; i < n; ++i) {
      int c = assign[static_cast<size_t>(i)];
      ++counts[static_cast<size_t>(c)];
      for (int j = 0; j < dim; ++j) sums[static_cast<size_t>(c) * dim + j] += row(i)[j];
    }
    for (int c = 0; c < m.k; ++c) {
      if (counts[static_cast<size_t>(c)] == 0) continue;  // an empty cluster keeps its centroid
      for (int j = 0; j < dim; ++j)
        m.centroids[static_cast<size_t>(c) * dim + j] =
            static_cast<float>(sums[static_cast<size_t>(c) * dim + j] /
                               static_cast<double>(counts[static_cast<size_t>(c)]));
    }
  }
  return m;
}

void KMeansScores(const KMeansModel& m, const float* x, int64_t n, float* scores) {
  for (int64_t i = 0; i < n; ++i)
    scores[i] = static_cast<float>(Nearest(m, x + i * m.dim).second / m.dim);
}

SeriesMetrics ComputeSeriesMetrics(const int32_t* truth, const int32_t* flagged, int64_t n) {
  SeriesMetrics m;
  for (int64_t i = 0; i < n; ++i) {
    if (truth[i] != 1) {
      ++m.normal_records;
      m.false_flags += flagged[i] != 0;
      continue;
    }
    if (i == 0 || truth[i - 1] != 1) {  // a window starts
      ++m.windows;
      m.first_flag.push_back(-1);
      int64_t k = i;
      for (; k < n && truth[k] == 1; ++k)
        if (flagged[k] != 0 && m.first_flag.back() < 0) m.first_flag.back() = k - i;
      m.windows_found += m.first_flag.back() >= 0;
    }
  }
  if (m.normal_records > 0)
    m.fp_per_1000 =
        1000.0 * static_cast<double>(m.false_flags) / static_cast<double>(m.normal_records);
  return m;
}

double Percentile(std::vector<float> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double pos = p / 100.0 * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return v[lo] + (static_cast<double>(v[hi]) - v[lo]) * frac;
}

namespace {

// The rules that look at the normal scores only.
void NormalScoreRule(std::vector<float> normal, ThresholdMethod method, double percentile,
                     double param, ThresholdChoice* out) {
  out->method = method;
  out->param = param;
  out->records = static_cast<int64_t>(normal.size());
  double sum = 0, sum2 = 0;
  for (float v : normal) {
    sum += v;
    sum2 += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(normal.size());
  const double mean = sum / n, sd = std::sqrt(std::max(0.0, sum2 / n - mean * mean));
  std::sort(normal.begin(), normal.end());
  out->score_min = normal.front();
  out->score_max = normal.back();
  out->score_median = Percentile(normal, 50);
  switch (method) {
    case ThresholdMethod::kPercentile:
      out->percentile = percentile;
      out->threshold = Percentile(normal, percentile);
      out->rule = "percentile:" + std::to_string(percentile);
      break;
    case ThresholdMethod::kQuantile:
      out->threshold = Percentile(normal, 100 * param);
      break;
    case ThresholdMethod::kSigma:
      out->threshold = mean + param * sd;
      break;
    case ThresholdMethod::kValue:
      out->threshold = param;
      break;
    default:  // auto without labelled anomalies
      out->method = ThresholdMethod::kQuantile;
      out->param = kAutoQuantile;
      out->threshold = kAutoFactor * Percentile(normal, 100 * kAutoQuantile);
      out->rule = "auto (1.5 x quantile:0.999)";
      break;
  }
  if (out->rule.empty()) out->rule = ThresholdSpecText(out->method, out->param);
  if (out->records < kMinThresholdRecords)
    out->warnings.push_back("the anomaly threshold was decided by only " +
                            std::to_string(out->records) + " records (fewer than " +
                            std::to_string(kMinThresholdRecords) +
                            "): it may not hold; prepare with a longer --train-until or a "
                            "larger --val-frac, or give --threshold VALUE");
  const double spread = out->score_max - out->score_min;
  if (!(spread > 1e-3 * std::max(std::fabs(out->score_max), 1e-12)) ||
      Percentile(normal, 90) - Percentile(normal, 10) <= 1e-6 * std::fabs(out->score_median))
    out->warnings.push_back(
        "the anomaly scores the threshold was chosen on are near-constant (min " +
        std::to_string(out->score_min) + ", median " + std::to_string(out->score_median) +
        ", max " + std::to_string(out->score_max) +
        "): the threshold does not separate anything; check the data (a flat or stuck "
        "stretch?) or give --threshold VALUE");
}

}  // namespace

Result<ThresholdChoice> ChooseThreshold(const float* scores, const int32_t* labels, int64_t n,
                                        ThresholdMethod method, double percentile, double param) {
  int64_t positives = 0;
  if (labels)
    for (int64_t i = 0; i < n; ++i) positives += labels[i] == 1;
  const bool both = labels && positives > 0 && positives < n;
  if (method == ThresholdMethod::kBestF1 && !both)
    return Status::InvalidArgument(
        "threshold best_f1 needs both normal and anomalous records in the validation split; use "
        "--threshold quantile:0.99 or auto");
  if (n == 0) return Status::InvalidArgument("no records to choose an anomaly threshold from");
  ThresholdChoice out;
  if (method != ThresholdMethod::kBestF1 && !(method == ThresholdMethod::kAuto && both)) {
    std::vector<float> normal;
    for (int64_t i = 0; i < n; ++i)
      if (!labels || labels[i] == 0) normal.push_back(scores[i]);
    if (normal.empty())
      return Status::InvalidArgument("no normal records to choose an anomaly threshold from");
    NormalScoreRule(std::move(normal), method, percentile, param, &out);
    return out;
  }
  out.records = n;
  out.rule = "best_f1";
  // Sweep cuts from the highest score down: predicting "anomaly" for the top i records.
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int64_t a, int64_t b) { return scores[a] > scores[b]; });
  int64_t tp = 0, fp = 0;
  double best_f1 = -1;
  out.method = ThresholdMethod::kBestF1;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t idx = order[static_cast<size_t>(i)];
    (labels[idx] == 1 ? tp : fp) += 1;
    // Only cut where the next score differs (equal scores fall on the same side).
    if (i + 1 < n && scores[order[static_cast<size_t>(i + 1)]] == scores[idx]) continue;
    const double f1 = 2.0 * static_cast<double>(tp) / static_cast<double>(tp + fp + positives);
    if (f1 > best_f1) {
      best_f1 = f1;
      const double below = i + 1 < n ? scores[order[static_cast<size_t>(i + 1)]] : scores[idx] - 1;
      out.threshold = (static_cast<double>(scores[idx]) + below) / 2.0;
    }
  }
  out.f1 = best_f1;
  return out;
}

}  // namespace emlkit::train
