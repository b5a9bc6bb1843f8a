// Optimizers over a network's flat parameter buffer.
//
//   sgd:   v = momentum * v + g';  w -= lr * v            (nesterov: w -= lr * (g' + momentum*v))
//   adam:  m = b1 m + (1 - b1) g';  v = b2 v + (1 - b2) g'^2;
//          w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)     (PyTorch's form)
//   adamw: adam on g, then decoupled decay w -= lr * weight_decay * w
// where g' = g + weight_decay * w (L2) for sgd and adam. Weight decay touches only the blocks
// marked `decay` (weights, not biases).
#ifndef EMLKIT_TRAIN_OPTIMIZER_H_
#define EMLKIT_TRAIN_OPTIMIZER_H_

#include <string>
#include <vector>

#include "train/network.h"

namespace emlkit::train {

enum class OptimizerKind { kSgd, kAdam, kAdamW };
const char* OptimizerName(OptimizerKind k);  // "sgd", "adam", "adamw"
bool ParseOptimizerName(const std::string& name, OptimizerKind* out);

struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::kAdam;
  float weight_decay = 0.0f;                            // L2 (sgd, adam) or decoupled (adamw)
  float momentum = 0.9f;                                // sgd
  bool nesterov = false;                                // sgd
  float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;  // adam, adamw
};

class Optimizer {
 public:
  Optimizer(const OptimizerOptions& options, size_t num_params);
  // One update of `w` from gradients `g` (both of num_params floats) at learning rate `lr`.
  void Step(const std::vector<Network::Block>& blocks, float* w, const float* g, float lr);

 private:
  OptimizerOptions o_;
  std::vector<float> m_, v_;
  int64_t t_ = 0;
  double beta1_power_ = 1.0, beta2_power_ = 1.0;
};

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_OPTIMIZER_H_
