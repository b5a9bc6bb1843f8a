#include "optimize/anomaly_quant.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace emlkit::optimize {
namespace {

// The index of the tensor called `name`, or -1.
int32_t FindTensor(const tflite::Model& m, const std::string& name) {
  for (size_t i = 0; i < m.tensors.size(); ++i)
    if (m.tensors[i].name == name) return static_cast<int32_t>(i);
  return -1;
}

// Raises the top of tensor `name`'s range to at least `hi` (and the bottom to at most `lo`).
bool Cover(const tflite::Model& m, const std::string& name, double lo, double hi,
           ActivationRanges* ranges) {
  const int32_t t = FindTensor(m, name);
  if (t < 0 || !ranges->count(t)) return false;
  Range& r = (*ranges)[t];
  const bool changed = r.hi < hi || r.lo > lo;
  r.hi = std::max(r.hi, hi);
  r.lo = std::min(r.lo, lo);
  return changed;
}

}  // namespace

std::optional<double> AnomalyThreshold(const nlohmann::json& meta) {
  if (!meta.is_object() || meta.value("task", "") != "anomaly" || !meta.contains("anomaly") ||
      !meta["anomaly"].is_object() || !meta["anomaly"].contains("threshold") ||
      !meta["anomaly"]["threshold"].is_number())
    return std::nullopt;
  return meta["anomaly"]["threshold"].get<double>();
}

std::string WidenForThreshold(const tflite::Model& m, double threshold, ActivationRanges* ranges) {
  if (!(threshold > 0) || m.outputs.size() != 1) return "";
  const double top = kThresholdMargin * threshold;
  const int32_t out = m.outputs[0];
  if (!ranges->count(out)) return "";
  const double before = (*ranges)[out].hi;
  bool changed = Cover(m, m.tensors[static_cast<size_t>(out)].name, 0, top, ranges);
  // Autoencoder: the score is the mean of F squared errors, and an anomaly often sits in a few
  // of them (a spike): one element alone must be able to carry a score of `top`, F x top. The
  // coarser step averages out over the F elements of the mean.
  if (const int32_t sq = FindTensor(m, "squared_error"); sq >= 0) {
    double f = 1;
    for (int32_t d : m.tensors[static_cast<size_t>(sq)].shape) f *= d;
    const double e = std::sqrt(std::sqrt(f) * top);
    changed |= Cover(m, "squared_error", 0, std::sqrt(f) * top, ranges);
    changed |= Cover(m, "reconstruction_error", -e, e, ranges);
  }
  // k-means: score = input_norm - best_affinity; a far input raises input_norm by the score.
  const int32_t norm = FindTensor(m, "kmeans/input_norm");
  if (norm >= 0 && ranges->count(norm)) {
    const double hi = (*ranges)[norm].hi + top;
    changed |= Cover(m, "kmeans/input_norm", 0, hi, ranges);
    changed |= Cover(m, "kmeans/input_squared", 0, hi, ranges);
  }
  // Every activation: records beyond the calibration data are what an anomaly model is for (a
  // level the training data never reached); clipped inside the network, the int8 model would
  // score another record than the float one. Half the calibrated span is added on each side
  // (one bit of resolution for headroom); the score path above is widened further.
  for (auto& [tensor, range] : *ranges) {
    const double half = (range.hi - range.lo) / 2;
    range.lo -= half;
    range.hi += half;
  }
  if (!ranges->empty()) changed = true;
  if (!changed) return "";
  return fmt::format(
      "output range widened from {:.6g} to {:.6g} (to cover {:.4g} x the anomaly threshold {:.6g}) "
      "so the "
      "int8 model can flag; every activation range widened by half its span on each side",
      before, (*ranges)[out].hi, kThresholdMargin, threshold);
}

double MaxRepresentableOutput(const tflite::Model& m) {
  if (m.outputs.empty()) return std::numeric_limits<double>::infinity();
  const tflite::Tensor& t = m.tensors[static_cast<size_t>(m.outputs[0])];
  if (t.type != tflite::TensorType::kInt8 || !t.quant || t.quant->scale.empty())
    return std::numeric_limits<double>::infinity();
  return (127.0 - static_cast<double>(t.quant->zero_point[0])) * t.quant->scale[0];
}

FlagComparison CompareFlags(const float* ref, const float* test, const int32_t* labels, int64_t n,
                            double threshold) {
  FlagComparison f;
  f.threshold = threshold;
  f.records = n;
  int64_t pos = 0, neg = 0, tp[2] = {0, 0}, fp[2] = {0, 0};
  for (int64_t i = 0; i < n; ++i) {
    const bool a = ref[i] > threshold, b = test[i] > threshold;
    f.float_flags += a;
    f.int8_flags += b;
    f.disagree += a != b;
    if (!labels) continue;
    const bool anomaly = labels[i] == 1;
    (anomaly ? pos : neg) += 1;
    (anomaly ? tp : fp)[0] += a;
    (anomaly ? tp : fp)[1] += b;
  }
  if (n > 0) f.agreement = 1.0 - static_cast<double>(f.disagree) / static_cast<double>(n);
  if (pos > 0) {
    f.float_recall = static_cast<double>(tp[0]) / static_cast<double>(pos);
    f.int8_recall = static_cast<double>(tp[1]) / static_cast<double>(pos);
  }
  if (neg > 0) {
    f.float_fpr = static_cast<double>(fp[0]) / static_cast<double>(neg);
    f.int8_fpr = static_cast<double>(fp[1]) / static_cast<double>(neg);
  }
  return f;
}

nlohmann::json FlagComparisonJson(const FlagComparison& f) {
  auto opt = [](const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  return {{"threshold", f.threshold},
          {"records", f.records},
          {"disagree", f.disagree},
          {"agreement", f.agreement},
          {"float_flags", f.float_flags},
          {"int8_flags", f.int8_flags},
          {"float_recall", opt(f.float_recall)},
          {"int8_recall", opt(f.int8_recall)},
          {"float_fpr", opt(f.float_fpr)},
          {"int8_fpr", opt(f.int8_fpr)},
          {"int8_max_score", f.int8_max_score}};
}

std::string FlagComparisonText(const FlagComparison& f) {
  std::string s = fmt::format(
      "anomaly flags at threshold {:.6g} (int8 output reaches {:.6g}): {:.2f} % of {} records "
      "flagged the same; float flags {}, int8 flags {}\n",
      f.threshold, f.int8_max_score, 100.0 * f.agreement, f.records, f.float_flags, f.int8_flags);
  if (f.float_recall)
    s += fmt::format("{:<12} {:>12} {:>12}\n{:<12} {:>12.4f} {:>12.4f}\n", "", "float", "int8",
                     "recall", *f.float_recall, *f.int8_recall);
  if (f.float_fpr)
    s += fmt::format("{:<12} {:>12.4f} {:>12.4f}\n", "false pos.", *f.float_fpr, *f.int8_fpr);
  return s;
}

}  // namespace emlkit::optimize
