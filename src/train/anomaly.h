// Anomaly detection pieces: k-means (the light alternative to an autoencoder), and the choice of
// the decision threshold on validation scores.
//
// Both anomaly models score a record with a "mean squared distance per feature":
//   autoencoder: mean_j (x_j - reconstruction_j)^2
//   k-means:     min_k ||x - c_k||^2 / F
// and call it an anomaly when score > threshold.
#ifndef EMLKIT_TRAIN_ANOMALY_H_
#define EMLKIT_TRAIN_ANOMALY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "train/train_options.h"

namespace emlkit::train {

struct KMeansModel {
  int k = 0, dim = 0;
  std::vector<float> centroids;  // [k, dim]
  int iterations = 0;            // Lloyd iterations run
};

// k-means++ seeding (seeded), then Lloyd iterations until no assignment changes or
// `max_iterations`. k is capped at n. x [n, dim], n >= 1.
KMeansModel FitKMeans(const float* x, int64_t n, int dim, int k, uint64_t seed,
                      int max_iterations = 100);
// scores[i] = min_k ||x_i - c_k||^2 / dim.
void KMeansScores(const KMeansModel& m, const float* x, int64_t n, float* scores);

struct ThresholdChoice {
  double threshold = 0;
  ThresholdMethod method = ThresholdMethod::kPercentile;  // best_f1 or percentile, never auto
  double percentile = 0;                                  // percentile method
  double f1 = 0;  // best_f1 method: the F1 reached on the validation scores
};

// Chooses the threshold from validation `scores` and optional 0/1 `labels` (null: unlabelled).
//   best_f1: the cut between two consecutive distinct scores that maximizes F1 of
//            "score > threshold" (ties: the higher threshold, fewer false alarms); needs both
//            classes in `labels`.
//   percentile: that percentile (linear interpolation) of the normal scores (all scores when
//            unlabelled).
//   auto: best_f1 when labels hold both classes, else percentile.
Result<ThresholdChoice> ChooseThreshold(const float* scores, const int32_t* labels, int64_t n,
                                        ThresholdMethod method, double percentile);

// The p-th percentile (0..100) of `v` with linear interpolation between order statistics.
double Percentile(std::vector<float> v, double p);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_ANOMALY_H_
