// Anomaly models through int8: the threshold must stay representable, and the int8 model must
// flag what the float model flags.
//
// An anomaly model's graph ends in its score (train/export.h); a record is an anomaly when
// score > threshold (the `anomaly.threshold` metadata). Calibration on normal records sees scores
// well below the threshold, so an output range taken from calibration alone can end below it
// and the int8 model could never flag. The threshold is a property of the model, not of the
// calibration data: WidenForThreshold makes the score tensor (and the tensors that feed it)
// cover kThresholdMargin x threshold, so the threshold lies at about half the output range.
//
//   ActivationRanges ranges = ...;                          // from calibration
//   WidenForThreshold(float_model, threshold, &ranges);     // before QuantizeModel
//   ... quantize, run both models on the report records ...
//   FlagComparison f = CompareFlags(float_scores, int8_scores, labels, n, threshold);
#ifndef EMLKIT_OPTIMIZE_ANOMALY_QUANT_H_
#define EMLKIT_OPTIMIZE_ANOMALY_QUANT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "optimize/quantizer.h"
#include "tflite/model.h"

namespace emlkit::optimize {

inline constexpr double kThresholdMargin = 2.0;

// The anomaly threshold in a model's `emlkit` metadata, if any.
std::optional<double> AnomalyThreshold(const nlohmann::json& metadata);

// Widens the ranges of the score path of an emlkit anomaly graph (autoencoder: reconstruction
// error, squared error — up to F x the score, so one element of F can carry it —, score;
// k-means: squared input, input norm, score) so that a score of kThresholdMargin x threshold is
// representable. Returns a note for the report ("" when
// calibration already covered it).
std::string WidenForThreshold(const tflite::Model& float_model, double threshold,
                              ActivationRanges* ranges);

// The largest value the model's (first) int8 output can represent, dequantized; +inf for a
// float output.
double MaxRepresentableOutput(const tflite::Model& model);

// Float vs int8 flags (score > threshold) on the same records; labels (0/1, may be null) give
// recall and false-positive rate of each.
struct FlagComparison {
  double threshold = 0;
  int64_t records = 0, disagree = 0;
  int64_t float_flags = 0, int8_flags = 0;
  double agreement = 1;  // share of records flagged the same by both
  std::optional<double> float_recall, int8_recall, float_fpr, int8_fpr;
  double int8_max_score = 0;  // MaxRepresentableOutput of the int8 model
};
FlagComparison CompareFlags(const float* float_scores, const float* int8_scores,
                            const int32_t* labels, int64_t n, double threshold);
nlohmann::json FlagComparisonJson(const FlagComparison& f);
std::string FlagComparisonText(const FlagComparison& f);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_ANOMALY_QUANT_H_
