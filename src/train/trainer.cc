#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <numeric>

#include "train/kernels.h"

namespace emlkit::train {
namespace {

// Per-batch metric accumulator: correct predictions or absolute errors.
struct MetricSum {
  double sum = 0;
  int64_t count = 0;
  double mean() const { return count > 0 ? sum / static_cast<double>(count) : 0.0; }
};

// Outputs, targets and gradients are feature-major [width][n] (see kernels.h).
void AddMetric(const float* out, const TrainSet& s, const int32_t* labels, const float* targets,
               int n, int width, MetricSum* m) {
  if (s.labels) {
    for (int r = 0; r < n; ++r) {
      int best = 0;
      for (int j = 1; j < width; ++j)
        if (out[static_cast<ptrdiff_t>(j) * n + r] > out[static_cast<ptrdiff_t>(best) * n + r])
          best = j;
      m->sum += best == labels[r];
    }
    m->count += n;
  } else {
    const ptrdiff_t total = static_cast<ptrdiff_t>(n) * width;
    for (ptrdiff_t i = 0; i < total; ++i) m->sum += std::fabs(out[i] - targets[i]);
    m->count += total;
  }
}

}  // namespace

const char* StopReasonName(StopReason r) {
  constexpr const char* kNames[] = {"epochs", "early_stopping", "interrupted", "diverged"};
  static_assert(std::size(kNames) == static_cast<size_t>(StopReason::kDiverged) + 1);
  return kNames[static_cast<int>(r)];
}

SplitScore ScoreSplit(Network& net, const TrainSet& set, const Loss& loss, double mae_scale) {
  const int in = net.input_size(), width = net.output_size(), chunk = net.max_batch();
  std::vector<float> xb(static_cast<size_t>(chunk) * in);
  std::vector<float> tb(set.targets ? static_cast<size_t>(chunk) * width : 0);
  LossSum ls;
  MetricSum ms;
  for (int64_t start = 0; start < set.n; start += chunk) {
    const int m = static_cast<int>(std::min<int64_t>(chunk, set.n - start));
    kernels::ToFeatureMajor(set.x + start * in, m, in, xb.data());
    if (set.targets) kernels::ToFeatureMajor(set.targets + start * width, m, width, tb.data());
    const float* out = net.Forward(xb.data(), m, false);
    const int32_t* labels = set.labels ? set.labels + start : nullptr;
    ls.Add(loss.Compute(out, labels, tb.data(), m, width, nullptr));
    AddMetric(out, set, labels, tb.data(), m, width, &ms);
  }
  return {ls.mean(), set.labels ? ms.mean() : ms.mean() * mae_scale};
}

LoopResult RunTrainingLoop(Network& net, const TrainSet& train, const TrainSet* val,
                           const Loss& loss, const LoopOptions& o, const LoopCallbacks& callbacks) {
  using Clock = std::chrono::steady_clock;
  const int in = net.input_size(), width = net.output_size();
  const int batch = std::min(o.batch_size, net.max_batch());
  const bool has_val = val && val->n > 0;

  std::vector<int64_t> order(static_cast<size_t>(train.n));
  std::iota(order.begin(), order.end(), 0);
  std::vector<float> xb(static_cast<size_t>(batch) * in), gb(static_cast<size_t>(batch) * width);
  std::vector<float> tb(train.targets ? static_cast<size_t>(batch) * width : 0);
  std::vector<int32_t> lb(train.labels ? static_cast<size_t>(batch) : 0);
  std::vector<float> best_weights = net.weights(), last_good = net.weights();

  Optimizer optimizer(o.optimizer, net.weights().size());
  LrSchedule schedule(o.schedule, o.lr, o.epochs);
  EarlyStopping stopper(o.patience, o.min_delta);
  Rng shuffle_rng(o.seed ^ 0x5EED5EED5EED5EEDull);
  LoopResult result;

  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    const auto t0 = Clock::now();
    const float lr = schedule.lr();
    shuffle_rng.Shuffle(order.data(), order.size());
    LossSum ls;
    MetricSum ms;
    bool diverged = false;
    for (int64_t start = 0; start < train.n && !diverged; start += batch) {
      const int m = static_cast<int>(std::min<int64_t>(batch, train.n - start));
      // Gather the batch, feature-major, fetching the next batch's rows into the cache
      // meanwhile (on large shuffled sets every row is a cache miss otherwise).
      const int64_t next = std::min<int64_t>(train.n - (start + m), batch);
      for (int64_t r = 0; r < next; ++r) {
        const int64_t idx = order[static_cast<size_t>(start + m + r)];
        __builtin_prefetch(train.x + idx * in);
        if (train.targets) __builtin_prefetch(train.targets + idx * width);
      }
      for (int r = 0; r < m; ++r) {
        const int64_t idx = order[static_cast<size_t>(start + r)];
        const float* xr = train.x + idx * in;
        for (int j = 0; j < in; ++j) xb[static_cast<size_t>(j) * m + r] = xr[j];
        if (train.labels) lb[static_cast<size_t>(r)] = train.labels[idx];
        if (train.targets) {
          const float* tr = train.targets + idx * width;
          for (int j = 0; j < width; ++j) tb[static_cast<size_t>(j) * m + r] = tr[j];
        }
      }
      if (callbacks.before_batch) callbacks.before_batch();
      const float* out = net.Forward(xb.data(), m, true);
      LossSum b = loss.Compute(out, lb.data(), tb.data(), m, width, gb.data());
      if (!std::isfinite(b.sum)) {
        if (callbacks.after_backward) callbacks.after_backward();
        diverged = true;
        break;
      }
      ls.Add(b);
      AddMetric(out, train, lb.data(), tb.data(), m, width, &ms);
      net.Backward(xb.data(), gb.data(), m);
      if (callbacks.after_backward) callbacks.after_backward();
      optimizer.Step(net.blocks(), net.weights().data(), net.grads().data(), lr);
      if (callbacks.after_step) callbacks.after_step();
    }
    EpochStats st;
    st.epoch = epoch + 1;
    st.lr = lr;
    st.train_loss = ls.mean();
    st.train_metric = train.labels ? ms.mean() : ms.mean() * o.mae_scale;
    st.val_loss = std::nan("");
    if (!diverged && has_val) {
      SplitScore v = ScoreSplit(net, *val, loss, o.mae_scale);
      st.val_loss = v.loss;
      st.val_metric = v.metric;
    }
    const double monitored = has_val ? st.val_loss : st.train_loss;
    if (diverged || !std::isfinite(monitored)) {
      result.reason = StopReason::kDiverged;
      result.diverged_epoch = epoch + 1;
      break;
    }
    st.best = stopper.Update(epoch, monitored);
    if (st.best) {
      best_weights = net.weights();
      result.best_epoch = epoch + 1;
    }
    last_good = net.weights();
    schedule.EndEpoch(epoch, monitored);
    st.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    result.history.push_back(st);
    if (callbacks.on_epoch) callbacks.on_epoch(st);
    if (stopper.ShouldStop()) {
      result.reason = StopReason::kEarlyStopping;
      break;
    }
    if (callbacks.stop_requested && callbacks.stop_requested()) {
      result.reason = StopReason::kInterrupted;
      break;
    }
  }
  // Copies keep the buffer (and the layers' pointers into it) in place.
  if (o.restore_best && result.best_epoch > 0) {
    std::copy(best_weights.begin(), best_weights.end(), net.weights().begin());
  } else {
    std::copy(last_good.begin(), last_good.end(), net.weights().begin());
    if (!result.history.empty()) result.best_epoch = result.history.back().epoch;
  }
  return result;
}

}  // namespace emlkit::train
