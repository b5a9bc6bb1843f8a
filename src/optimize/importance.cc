#include "optimize/importance.h"

#include <algorithm>
#include <cmath>

#include "train/kernels.h"

namespace emlkit::optimize {

std::vector<std::vector<double>> UnitImportance(train::Network& net,
                                                const std::vector<PrunableLayer>& prunable,
                                                const float* x, int64_t n) {
  const auto& layers = net.layers();
  std::vector<std::vector<double>> activity(prunable.size());
  for (size_t i = 0; i < prunable.size(); ++i) {
    activity[i].assign(static_cast<size_t>(prunable[i].units), 0.0);
  }
  // Layer outputs of one chunk, feature-major.
  const int chunk = net.max_batch();
  std::vector<std::vector<float>> outs(layers.size());
  std::vector<float> xb(static_cast<size_t>(chunk) * static_cast<size_t>(net.input_size()));
  train::ForwardContext ctx;
  for (int64_t start = 0; start < n; start += chunk) {
    const int m = static_cast<int>(std::min<int64_t>(chunk, n - start));
    train::kernels::ToFeatureMajor(x + start * net.input_size(), m, net.input_size(), xb.data());
    const float* in = xb.data();
    for (size_t li = 0; li < layers.size(); ++li) {
      outs[li].resize(static_cast<size_t>(m) * static_cast<size_t>(layers[li]->out_size()));
      layers[li]->Forward(in, m, outs[li].data(), ctx);
      in = outs[li].data();
    }
    for (size_t i = 0; i < prunable.size(); ++i) {
      const std::vector<float>& y = outs[prunable[i].layer];
      const int units = prunable[i].units;
      const int64_t features = layers[prunable[i].layer]->out_size();
      for (int64_t f = 0; f < features; ++f) {
        double s = 0;
        for (int r = 0; r < m; ++r) s += std::fabs(y[static_cast<size_t>(f * m + r)]);
        activity[i][static_cast<size_t>(f % units)] += s;
      }
    }
  }
  std::vector<std::vector<double>> score(prunable.size());
  for (size_t i = 0; i < prunable.size(); ++i) {
    const PrunableLayer& p = prunable[i];
    const train::ParamBlock& w = layers[p.consumer]->params()[0];
    const int64_t cols = w.shape[1];
    const double per_unit_values =
        static_cast<double>(n) * static_cast<double>(layers[p.layer]->out_size() / p.units);
    for (int u = 0; u < p.units; ++u) {
      double norm = 0;
      for (int64_t c : ConsumerColumns(net, p, u)) {
        for (int64_t r = 0; r < w.shape[0]; ++r) {
          const double v = w.value[r * cols + c];
          norm += v * v;
        }
      }
      const double mean_activity =
          per_unit_values > 0 ? activity[i][static_cast<size_t>(u)] / per_unit_values : 0.0;
      score[i].push_back(mean_activity * std::sqrt(norm));
    }
  }
  return score;
}

}  // namespace emlkit::optimize
