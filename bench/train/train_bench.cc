// train_bench: emlkit's training loop in the exact setting of the peer scripts in
// ../shared/bench (train_torch.py, train_sklearn.py, train_scaled.py), for bench/train/run.
//
//   train_bench DIR [--epochs 50] [--scales 1] [--noise 0.01] [--seed 0] [--batch 32]
//
// DIR is a data set folder of the whole occupancy training file (emlkit data prepare
// --val-frac 0: z-scored with the file's statistics, like the peers). The model is theirs:
// n -> 16 ReLU -> 16 ReLU -> 2 logits, softmax cross-entropy, Adam lr 1e-3, batch 32, no weight
// decay, no early stopping, shuffled every epoch. With a scale s > 1 the training set is tiled s
// times and N(0, noise^2) is added to every copy but the first (as train_scaled.py does).
// Prints one JSON line per scale: per-epoch wall times (the loop's own timer, training only),
// CPU time, microseconds per step, samples per second and test accuracy.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/rng.h"
#include "data/dataset.h"
#include "train/metrics.h"
#include "train/network.h"
#include "train/trainer.h"

namespace {

using namespace emlkit;

int Run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: train_bench DIR [--epochs N] [--scales 1,10,100] [--noise S] "
                 "[--seed N] [--batch N]\n");
    return 2;
  }
  std::string dir = argv[1], scales = "1";
  int epochs = 50, batch = 32;
  double noise = 0.01;
  uint64_t seed = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--epochs")
      epochs = std::atoi(v.c_str());
    else if (k == "--scales")
      scales = v;
    else if (k == "--noise")
      noise = std::atof(v.c_str());
    else if (k == "--seed")
      seed = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--batch")
      batch = std::atoi(v.c_str());
    else {
      std::fprintf(stderr, "train_bench: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  auto ds = data::LoadDataset(dir);
  if (!ds.ok()) {
    std::fprintf(stderr, "train_bench: %s\n", ds.status().message().c_str());
    return 2;
  }
  const int f = static_cast<int>(ds->train.x.record_elements());
  const int64_t n0 = ds->train.size();
  const float* x0 = ds->train.x.data<float>();
  const int32_t* y0 = ds->train.y.data<int32_t>();
  auto specs = train::ParseLayers("dense:16:relu,dense:16:relu,dense:2", "bench");

  size_t start = 0;
  while (start <= scales.size()) {
    size_t comma = scales.find(',', start);
    const int scale = std::atoi(scales.substr(start, comma - start).c_str());
    start = comma == std::string::npos ? scales.size() + 1 : comma + 1;
    // Tiled training set with noise on the copies.
    std::vector<float> x(x0, x0 + n0 * f);
    std::vector<int32_t> y(y0, y0 + n0);
    Rng rng(seed);
    for (int s = 1; s < scale; ++s) {
      for (int64_t i = 0; i < n0 * f; ++i)
        x.push_back(static_cast<float>(x0[i] + rng.Normal(0, noise)));
      y.insert(y.end(), y0, y0 + n0);
    }
    const int64_t n = static_cast<int64_t>(y.size());
    auto net = train::Network::Build({f}, *specs, 256);
    net->Init(seed);
    train::LoopOptions o;
    o.epochs = epochs;
    o.batch_size = batch;
    o.lr = 1e-3f;
    o.optimizer.weight_decay = 0;
    o.patience = 0;
    o.seed = seed;
    train::TrainSet set{x.data(), n, y.data(), nullptr};
    const std::clock_t c0 = std::clock();
    train::LoopResult r =
        train::RunTrainingLoop(*net, set, nullptr, train::Loss::CrossEntropy(), o);
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    std::vector<double> ep;
    double total = 0;
    for (const auto& h : r.history) {
      ep.push_back(h.seconds);
      total += h.seconds;
    }
    std::vector<double> sorted = ep;
    std::sort(sorted.begin(), sorted.end());
    // Test accuracy of the last epoch's weights (restore_best keeps the lowest training loss).
    const data::Split& test = ds->test;
    std::vector<float> out(static_cast<size_t>(test.size() * 2));
    net->Predict(test.x.data<float>(), test.size(), out.data());
    int64_t correct = 0;
    for (int64_t i = 0; i < test.size(); ++i)
      correct += train::ArgMax(out.data() + i * 2, 2) == test.y.data<int32_t>()[i];
    const int64_t steps = static_cast<int64_t>(epochs) * ((n + batch - 1) / batch);
    nlohmann::json j = {
        {"bench", "train_emlkit"},
        {"scale", scale},
        {"n_train", n},
        {"epochs", epochs},
        {"batch", batch},
        {"train_s", total},
        {"train_cpu_s", cpu},
        {"epoch_s_mean", total / epochs},
        {"epoch_s_median", sorted[sorted.size() / 2]},
        {"epoch_s_min", sorted.front()},
        {"epoch_s_max", sorted.back()},
        {"us_per_step", total / static_cast<double>(steps) * 1e6},
        {"samples_per_s", static_cast<double>(epochs * n) / total},
        {"final_loss", r.history.back().train_loss},
        {"acc_test", static_cast<double>(correct) / static_cast<double>(test.size())}};
    std::printf("%s\n", j.dump().c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
