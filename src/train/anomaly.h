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
  ThresholdMethod method = ThresholdMethod::kPercentile;  // the rule applied, never auto
  double percentile = 0;                                  // percentile method
  double param = 0;                                       // quantile: Q, sigma: K, value: the value
  double f1 = 0;        // best_f1 method: the F1 reached on the validation scores
  std::string rule;     // the rule as --threshold takes it ("quantile:0.99"); auto: what it chose
  int64_t records = 0;  // the normal records whose scores decided it
  double score_min = 0, score_median = 0, score_max = 0;  // of those scores
  std::vector<std::string> warnings;                      // few records, near-constant scores
};

// Records below this many decide a threshold with a warning.
inline constexpr int64_t kMinThresholdRecords = 200;

// Chooses the threshold from `scores` and optional 0/1 `labels` (null: unlabelled). Every rule
// but best_f1 looks at the normal scores only (all scores when unlabelled).
//   best_f1: the cut between two consecutive distinct scores that maximizes F1 of
//            "score > threshold" (ties: the higher threshold, fewer false alarms); needs both
//            classes in `labels`.
//   percentile: that percentile (0..100, linear interpolation) of the scores.
//   quantile:Q: the same with Q in (0, 1).   sigma:K: mean + K standard deviations.
//   value: `param` itself.
//   auto: best_f1 when labels hold both classes, else 1.5 x the 99.9th percentile (kAutoFactor,
//         kAutoQuantile): above nearly every normal score, with a margin for the unseen.
// Warns when fewer than kMinThresholdRecords scores decide it or when they are near-constant.
Result<ThresholdChoice> ChooseThreshold(const float* scores, const int32_t* labels, int64_t n,
                                        ThresholdMethod method, double percentile,
                                        double param = 0);
inline constexpr double kAutoQuantile = 0.999, kAutoFactor = 1.5;

// NAB-style figures of flags over a series of records in time order with 0/1 labels: a labelled
// window is a maximal run of consecutive label-1 records.
struct SeriesMetrics {
  int64_t windows = 0, windows_found = 0;  // found: at least one flag inside
  int64_t normal_records = 0, false_flags = 0;
  double fp_per_1000 = 0;  // false_flags per 1,000 records outside the windows
  // Per window: records from its first record to its first flag (0 = flagged at once), -1 when
  // never flagged.
  std::vector<int64_t> first_flag;
};
SeriesMetrics ComputeSeriesMetrics(const int32_t* truth, const int32_t* flagged, int64_t n);

// The p-th percentile (0..100) of `v` with linear interpolation between order statistics.
double Percentile(std::vector<float> v, double p);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_ANOMALY_H_
