// Internal to the prune job (prune_job.cc): the two pruning methods and what they share.
#ifndef EMLKIT_OPTIMIZE_PRUNE_INTERNAL_H_
#define EMLKIT_OPTIMIZE_PRUNE_INTERNAL_H_

#include <string>
#include <vector>

#include "data/dataset.h"
#include "optimize/prune_job.h"
#include "train/fit.h"

namespace emlkit::optimize {

// The validation score the accuracy budget is measured on (m.metrics["val"], or "train" when
// the data set has no validation split): accuracy in points, or the MAE for regression.
double ValScore(const train::FittedModel& m);
// How far `score` fell from `base`: accuracy points lost, or (regression) the MAE's increase in
// percent of the base MAE. Negative when it improved.
double ScoreDrop(const std::string& task, double base, double score);

// The loop options of a fine-tuning run: the model's own, with `epochs` and `seed` from the job.
train::LoopOptions FineTuneLoop(const train::FittedModel& m, const PruneJobOptions& o);

// MACs of the model as exported (the figure `emlkit inspect` shows).
Result<int64_t> ExportedMacs(const train::FittedModel& m);

// Structured pruning rounds on `m` (replaced by the pruned model). Returns the stop reason.
Result<std::string> PruneStructured(train::FittedModel& m, const data::Dataset& ds,
                                    const PruneJobOptions& o, std::vector<PruneRound>* rounds);

// Magnitude pruning of `m` in place; per-layer sparsity reached.
Status PruneMagnitude(train::FittedModel& m, const data::Dataset& ds, const PruneJobOptions& o,
                      std::vector<std::pair<std::string, double>>* layer_sparsity);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_PRUNE_INTERNAL_H_
