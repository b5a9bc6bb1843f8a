// Evaluation metrics for the three tasks, shared by `emlkit train` (final metrics) and
// `emlkit eval` (metrics of any .tflite through the runtime).
//
// Classification: accuracy, per-class precision / recall / F1 / support, confusion matrix
// (rows = true class, columns = predicted class), macro F1, and ROC-AUC for two classes
// (score = probability of class 1). A class with no true record (support 0) has no recall: its
// recall and F1 are reported as 0 but it is left out of macro F1 (the mean over the classes
// present) and listed under "classes_without_support" in the JSON form. Regression: MAE, RMSE, R^2
// over every target value. Anomaly: ROC-AUC of the score against the 0/1 labels plus the
// classification metrics of "score > threshold".
#ifndef EMLKIT_TRAIN_METRICS_H_
#define EMLKIT_TRAIN_METRICS_H_

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace emlkit::train {

struct ClassMetrics {
  std::string name;
  double precision = 0, recall = 0, f1 = 0;  // 0 when undefined (no predictions / no support)
  int64_t support = 0;                       // records whose true class this is
};

struct ClassificationMetrics {
  int64_t n = 0;
  double accuracy = 0;
  double macro_f1 = 0;
  std::vector<ClassMetrics> per_class;
  std::vector<std::vector<int64_t>> confusion;  // [true][predicted]
  std::optional<double> auc;                    // two classes, both present
};

struct RegressionMetrics {
  int64_t n = 0;  // records
  double mae = 0, rmse = 0, r2 = 0;
};

// `score` (may be null): the positive-class score per record, for ROC-AUC with two classes.
ClassificationMetrics ComputeClassification(const int32_t* truth, const int32_t* predicted,
                                            const float* score, int64_t n,
                                            const std::vector<std::string>& label_names);
// n records of `width` values each (predicted and true, same layout).
RegressionMetrics ComputeRegression(const float* predicted, const float* truth, int64_t n,
                                    int width);
// Area under the ROC curve of `score` for labels 0/1 (ties count half); nullopt unless both
// classes are present.
std::optional<double> RocAuc(const float* score, const int32_t* truth, int64_t n);

// JSON forms. Classification: n, accuracy, macro_f1, per_class (an array in class order of
// {label, precision, recall, f1, support}), confusion_matrix, auc (when defined).
// Regression: n, mae, rmse, r2.
nlohmann::json ToJson(const ClassificationMetrics& m);
nlohmann::json ToJson(const RegressionMetrics& m);

// Index of the largest of `width` values (the first on ties).
int32_t ArgMax(const float* v, int width);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_METRICS_H_
