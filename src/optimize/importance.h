// How much each unit (dense neuron, conv1d filter) of a prunable layer matters: the mean
// magnitude of what it sends to the next layer,
//
//   importance(u) = mean over records (and time steps) of |a_u|  x  || W_next[:, cols(u)] ||_2
//
// where a_u is the unit's activation and cols(u) the next layer's weight columns it feeds
// (structure.h). A unit that is nearly always 0 (a dead ReLU) or whose outgoing weights are
// tiny scores near 0 and is removed first.
#ifndef EMLKIT_OPTIMIZE_IMPORTANCE_H_
#define EMLKIT_OPTIMIZE_IMPORTANCE_H_

#include <cstdint>
#include <vector>

#include "optimize/structure.h"
#include "train/network.h"

namespace emlkit::optimize {

// One score per unit of each prunable layer, from records x [n, input size] (record-major).
std::vector<std::vector<double>> UnitImportance(train::Network& net,
                                                const std::vector<PrunableLayer>& prunable,
                                                const float* x, int64_t n);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_IMPORTANCE_H_
