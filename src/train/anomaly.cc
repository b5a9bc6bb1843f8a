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

double Percentile(std::vector<float> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double pos = p / 100.0 * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return v[lo] + (static_cast<double>(v[hi]) - v[lo]) * frac;
}

Result<ThresholdChoice> ChooseThreshold(const float* scores, const int32_t* labels, int64_t n,
                                        ThresholdMethod method, double percentile) {
  int64_t positives = 0;
  if (labels)
    for (int64_t i = 0; i < n; ++i) positives += labels[i] == 1;
  const bool both = labels && positives > 0 && positives < n;
  if (method == ThresholdMethod::kBestF1 && !both)
    return Status::InvalidArgument(
        "threshold best_f1 needs both normal and anomalous records in the validation split; use "
        "--threshold percentile");
  if (n == 0) return Status::InvalidArgument("no records to choose an anomaly threshold from");
  ThresholdChoice out;
  if (method == ThresholdMethod::kPercentile || (method == ThresholdMethod::kAuto && !both)) {
    std::vector<float> normal;
    for (int64_t i = 0; i < n; ++i)
      if (!labels || labels[i] == 0) normal.push_back(scores[i]);
    out.method = ThresholdMethod::kPercentile;
    out.percentile = percentile;
    out.threshold = Percentile(std::move(normal), percentile);
    return out;
  }
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
