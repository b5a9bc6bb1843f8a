// Training losses over a batch of network outputs, with their gradients.
//
//   softmax cross-entropy (classification): outputs are logits [n, K], labels int32 [n].
//     Record loss = -log softmax(logits)[y], weighted by the class weight w_y; the batch loss is
//     sum(w_y * loss) / sum(w_y) (equal weights: the plain mean).
//   mse (regression, autoencoders): outputs and targets [n, k]; record loss = mean_j e_j^2.
//   huber (regression): record loss = mean_j h(e_j), h(e) = e^2 / 2 if |e| <= delta, else
//     delta * (|e| - delta / 2).
#ifndef EMLKIT_TRAIN_LOSS_H_
#define EMLKIT_TRAIN_LOSS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace emlkit::train {

enum class LossKind { kCrossEntropy, kMse, kHuber };
const char* LossName(LossKind k);  // "cross_entropy", "mse", "huber"
bool ParseLossName(const std::string& name, LossKind* out);

// A weighted sum of record losses; the batch (or split) loss is sum / weight.
struct LossSum {
  double sum = 0.0;
  double weight = 0.0;
  double mean() const { return weight > 0 ? sum / weight : 0.0; }
  void Add(const LossSum& o) {
    sum += o.sum;
    weight += o.weight;
  }
};

class Loss {
 public:
  // `class_weights` empty means every class weighs 1.
  static Loss CrossEntropy(std::vector<float> class_weights = {});
  static Loss Mse();
  static Loss Huber(float delta);

  LossKind kind() const { return kind_; }

  // Loss of n records of `width` outputs, feature-major (out [width][n], see kernels.h).
  // Classification reads `labels` [n], the others `targets` [width][n]. If `grad` is not null it
  // receives d(sum / weight)/d(outputs) [width][n].
  LossSum Compute(const float* out, const int32_t* labels, const float* targets, int n, int width,
                  float* grad) const;

 private:
  LossKind kind_ = LossKind::kCrossEntropy;
  std::vector<float> class_weights_;
  float delta_ = 1.0f;
};

// "Balanced" class weights: n / (K * count_k) for each class present (1 for absent classes).
std::vector<float> BalancedClassWeights(const int32_t* labels, int64_t n, int num_classes);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_LOSS_H_
