// Magnitude pruning: the smallest weights of each layer zeroed on a gradual schedule while
// fine-tuning, and kept at zero after every optimizer step.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/progress.h"
#include "optimize/prune_internal.h"

namespace emlkit::optimize {
namespace {

// A zero/one mask per layer with weights, over that layer's weight block.
class Masks {
 public:
  explicit Masks(train::Network& net) {
    for (const auto& l : net.layers()) {
      if (l->params().empty()) continue;
      blocks_.push_back(&l->params()[0]);
      masks_.emplace_back(static_cast<size_t>(l->params()[0].size()), 1);
    }
  }

  // Zeroes the floor(sparsity x size) smallest-magnitude weights of every layer (ties: the
  // lower index first); weights zeroed before stay zeroed.
  void SetSparsity(double sparsity) {
    for (size_t b = 0; b < blocks_.size(); ++b) {
      const train::ParamBlock& w = *blocks_[b];
      const int64_t n = w.size();
      const int64_t k = static_cast<int64_t>(std::floor(sparsity * static_cast<double>(n)));
      std::vector<int64_t> idx(static_cast<size_t>(n));
      std::iota(idx.begin(), idx.end(), 0);
      std::vector<uint8_t>& mask = masks_[b];
      auto magnitude = [&](int64_t i) {
        return mask[static_cast<size_t>(i)] ? std::fabs(w.value[i]) : -1.0f;
      };
      std::stable_sort(idx.begin(), idx.end(),
                       [&](int64_t a, int64_t c) { return magnitude(a) < magnitude(c); });
      for (int64_t j = 0; j < k; ++j) mask[static_cast<size_t>(idx[static_cast<size_t>(j)])] = 0;
    }
    Apply();
  }

  void Apply() {
    for (size_t b = 0; b < blocks_.size(); ++b) {
      float* v = blocks_[b]->value;
      const std::vector<uint8_t>& mask = masks_[b];
      for (size_t i = 0; i < mask.size(); ++i) {
        if (!mask[i]) v[i] = 0.0f;
      }
    }
  }

 private:
  std::vector<train::ParamBlock*> blocks_;
  std::vector<std::vector<uint8_t>> masks_;
};

// Zhu & Gupta's schedule: s(e) = S (1 - (1 - e / ramp)^3), reaching S at epoch `ramp`.
double ScheduledSparsity(double target, int epoch, int ramp) {
  const double t = std::min(1.0, static_cast<double>(epoch) / static_cast<double>(ramp));
  return target * (1.0 - std::pow(1.0 - t, 3.0));
}

}  // namespace

Status PruneMagnitude(train::FittedModel& m, const data::Dataset& ds, const PruneJobOptions& o,
                      std::vector<std::pair<std::string, double>>* layer_sparsity) {
  Masks masks(*m.net);
  const int ramp = std::max(1, (2 * o.epochs) / 3);
  masks.SetSparsity(ScheduledSparsity(o.sparsity, 1, ramp));
  train::LoopOptions loop = FineTuneLoop(m, o);
  loop.patience = 0;          // every epoch runs: the schedule needs them all
  loop.restore_best = false;  // an earlier epoch is less sparse
  train::LoopCallbacks callbacks;
  callbacks.after_step = [&] { masks.Apply(); };
  callbacks.on_epoch = [&](const train::EpochStats& st) {
    masks.SetSparsity(ScheduledSparsity(o.sparsity, st.epoch + 1, ramp));
    if (o.log != nullptr) {
      std::fprintf(o.log, "epoch %d/%d: sparsity %.3f, validation %s %.4g\n", st.epoch, o.epochs,
                   ScheduledSparsity(o.sparsity, st.epoch, ramp),
                   m.info.task == "regression" ? "MAE" : "accuracy", st.val_metric);
    }
  };
  callbacks.stop_requested = [] { return InterruptRequested(); };
  EMLKIT_ASSIGN_OR_RETURN(train::LoopResult r, train::ContinueTraining(m, ds, loop, callbacks));
  if (r.reason == train::StopReason::kInterrupted) return Status::Cancelled("pruning interrupted");
  if (r.reason == train::StopReason::kDiverged) {
    return Status::Failed("fine-tuning diverged at epoch " + std::to_string(r.diverged_epoch) +
                          ": try fewer epochs or a lower sparsity");
  }
  masks.SetSparsity(o.sparsity);
  EMLKIT_RETURN_IF_ERROR(train::ScoreFittedModel(ds, m));
  for (size_t li = 0; li < m.net->layers().size(); ++li) {
    const train::Layer& l = *m.net->layers()[li];
    if (l.params().empty()) continue;
    const train::ParamBlock& w = l.params()[0];
    int64_t zeros = 0;
    for (int64_t i = 0; i < w.size(); ++i) zeros += w.value[i] == 0.0f;
    layer_sparsity->emplace_back("layer " + std::to_string(li + 1) + " (" + l.spec().text + ")",
                                 static_cast<double>(zeros) / static_cast<double>(w.size()));
  }
  return Status::Ok();
}

}  // namespace emlkit::optimize
