// Structured pruning rounds: score units, remove the cheapest-to-lose ones, rebuild, fine-tune.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <tuple>

#include "common/progress.h"
#include "common/rng.h"
#include "optimize/importance.h"
#include "optimize/prune_internal.h"
#include "optimize/records.h"
#include "optimize/structure.h"

namespace emlkit::optimize {
namespace {

// Records the importance scores are computed on: a seeded sample of the training split.
constexpr int64_t kImportanceRecords = 4096;

// MACs of one layer with weights, from its shapes: dense in x units; conv1d out_w x F x K x C.
double LayerMacs(const train::Layer& l) {
  const train::ParamBlock& w = l.params()[0];
  const double per_position = static_cast<double>(w.size());
  if (l.spec().kind == train::LayerKind::kConv1D) {
    return per_position * static_cast<double>(l.out_shape()[0]);
  }
  return per_position;
}

// A copy of `m` with another network (the pruned one) and its specs.
train::FittedModel WithNetwork(const train::FittedModel& m, train::Network net,
                               std::vector<train::LayerSpec> specs) {
  train::FittedModel c;
  c.info = m.info;
  c.options = m.options;
  c.options.layers.assign(specs.begin(), specs.end() - 1);  // the output layer is added by Fit
  c.specs = std::move(specs);
  c.net.emplace(std::move(net));
  c.loop = m.loop;
  c.output_width = m.output_width;
  c.target_mean = m.target_mean;
  c.target_std = m.target_std;
  c.threshold = m.threshold;
  c.metrics = m.metrics;
  return c;
}

// The units to keep in each prunable layer after removing about `goal` MACs, lowest
// (importance / layer mean) / (MACs the unit costs) first; every layer keeps at least one unit.
std::vector<std::vector<int>> ChooseKeep(const train::Network& net,
                                         const std::vector<PrunableLayer>& prunable,
                                         const std::vector<std::vector<double>>& score,
                                         double goal) {
  std::vector<std::tuple<double, size_t, int>> order;  // priority, layer, unit
  std::vector<double> unit_cost(prunable.size());
  for (size_t i = 0; i < prunable.size(); ++i) {
    const PrunableLayer& p = prunable[i];
    unit_cost[i] = (LayerMacs(*net.layers()[p.layer]) + LayerMacs(*net.layers()[p.consumer])) /
                   static_cast<double>(p.units);
    const double mean =
        std::accumulate(score[i].begin(), score[i].end(), 0.0) / static_cast<double>(p.units);
    for (int u = 0; u < p.units; ++u) {
      const double relative = mean > 0 ? score[i][static_cast<size_t>(u)] / mean : 0.0;
      order.emplace_back(relative / unit_cost[i], i, u);
    }
  }
  std::sort(order.begin(), order.end());
  std::vector<std::vector<bool>> removed(prunable.size());
  std::vector<int> left(prunable.size());
  for (size_t i = 0; i < prunable.size(); ++i) {
    removed[i].assign(static_cast<size_t>(prunable[i].units), false);
    left[i] = prunable[i].units;
  }
  double saved = 0;
  for (const auto& [priority, i, u] : order) {
    if (saved >= goal) break;
    if (left[i] <= 1) continue;
    removed[i][static_cast<size_t>(u)] = true;
    --left[i];
    saved += unit_cost[i];
  }
  std::vector<std::vector<int>> keep(prunable.size());
  for (size_t i = 0; i < prunable.size(); ++i) {
    for (int u = 0; u < prunable[i].units; ++u) {
      if (!removed[i][static_cast<size_t>(u)]) keep[i].push_back(u);
    }
  }
  return keep;
}

double NetworkMacs(const train::Network& net) {
  double macs = 0;
  for (const auto& l : net.layers()) {
    if (!l->params().empty()) macs += LayerMacs(*l);
  }
  return macs;
}

}  // namespace

Result<std::string> PruneStructured(train::FittedModel& m, const data::Dataset& ds,
                                    const PruneJobOptions& o, std::vector<PruneRound>* rounds) {
  const std::string& task = m.info.task;
  const double base = ValScore(m);
  EMLKIT_ASSIGN_OR_RETURN(const int64_t start_macs, ExportedMacs(m));
  const double target = o.target_macs * static_cast<double>(start_macs);
  // The importance sample (fixed for all rounds).
  std::vector<int64_t> rows(static_cast<size_t>(ds.train.size()));
  std::iota(rows.begin(), rows.end(), 0);
  if (ds.train.size() > kImportanceRecords) {
    Rng rng(o.seed);
    rng.Shuffle(rows.data(), rows.size());
    rows.resize(kImportanceRecords);
    std::sort(rows.begin(), rows.end());
  }
  const NpyArray sample = SelectRows(ds.train.x, rows);
  int64_t macs = start_macs;
  for (int round = 1; static_cast<double>(macs) > target; ++round) {
    if (InterruptRequested()) return Status::Cancelled("pruning interrupted");
    const std::vector<PrunableLayer> prunable = FindPrunableLayers(*m.net);
    const std::vector<std::vector<double>> score =
        UnitImportance(*m.net, prunable, sample.data<float>(), sample.records());
    // Remove `step` of the network's MACs this round, or just what is left to the target.
    const double net_macs = NetworkMacs(*m.net);
    const double goal =
        std::min(o.step * static_cast<double>(macs), static_cast<double>(macs) - target) *
        net_macs / static_cast<double>(macs);
    const std::vector<std::vector<int>> keep = ChooseKeep(*m.net, prunable, score, goal);
    bool any = false;
    for (size_t i = 0; i < prunable.size(); ++i) {
      any = any || static_cast<int>(keep[i].size()) < prunable[i].units;
    }
    if (!any) return std::string("no_units_left");
    EMLKIT_ASSIGN_OR_RETURN(Shrunk shrunk, ShrinkNetwork(*m.net, m.specs, prunable, keep));
    train::FittedModel candidate = WithNetwork(m, std::move(shrunk.net), std::move(shrunk.specs));
    train::LoopCallbacks callbacks;
    callbacks.stop_requested = [] { return InterruptRequested(); };
    EMLKIT_ASSIGN_OR_RETURN(train::LoopResult loop,
                            train::ContinueTraining(candidate, ds, FineTuneLoop(m, o), callbacks));
    if (loop.reason == train::StopReason::kInterrupted) {
      return Status::Cancelled("pruning interrupted");
    }
    PruneRound r;
    r.round = round;
    r.architecture = train::FormatLayers(candidate.specs);
    EMLKIT_ASSIGN_OR_RETURN(r.macs, ExportedMacs(candidate));
    r.val_score = ValScore(candidate);
    r.drop = ScoreDrop(task, base, r.val_score);
    r.epochs = static_cast<int>(loop.history.size());
    r.kept = loop.reason != train::StopReason::kDiverged && r.drop <= o.max_drop;
    rounds->push_back(r);
    if (o.log != nullptr) {
      const bool regression = task == "regression";
      std::fprintf(o.log, "round %d: %s, %lld MACs (%.0f %%), validation %s %.4g (%+.2f %s), %s\n",
                   round, r.architecture.c_str(), static_cast<long long>(r.macs),
                   100.0 * static_cast<double>(r.macs) / static_cast<double>(start_macs),
                   regression ? "MAE" : "accuracy", r.val_score, regression ? r.drop : -r.drop,
                   regression ? "%" : "points", r.kept ? "kept" : "over --max-drop: undone");
    }
    if (!r.kept) return std::string("max_drop");
    m = std::move(candidate);
    macs = r.macs;
  }
  return std::string("target_macs");
}

}  // namespace emlkit::optimize
