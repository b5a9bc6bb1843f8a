// Network surgery for structured pruning: which units (dense neurons, conv1d filters) can be
// removed, which weights of the next layer each one feeds, and rebuilding a smaller network with
// the kept units' weights — really smaller: fewer parameters, MACs and activation memory.
//
//   std::vector<PrunableLayer> p = FindPrunableLayers(net);
//   std::vector<std::vector<int>> keep = ...;              // per prunable layer, sorted units
//   EMLKIT_ASSIGN_OR_RETURN(Shrunk s, ShrinkNetwork(net, specs, p, keep));
//
// A dense or conv1d layer is prunable unless it is the last layer with weights (its units are
// the model's outputs). Unit u of a prunable layer with C units feeds, in the next layer with
// weights (through dropout, activation, pooling, gap and flatten layers, which keep channels):
//   dense consumer on [C] (directly or after gap)    column u
//   dense consumer on [T * C] (after flatten)        columns t * C + u, t < T
//   conv1d consumer on [W, C] with kernel K          columns k * C + u, k < K
#ifndef EMLKIT_OPTIMIZE_STRUCTURE_H_
#define EMLKIT_OPTIMIZE_STRUCTURE_H_

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "train/network.h"

namespace emlkit::optimize {

struct PrunableLayer {
  size_t layer = 0;     // index in net.layers()
  size_t consumer = 0;  // index of the next layer with weights
  int units = 0;        // neurons or filters now
};

std::vector<PrunableLayer> FindPrunableLayers(const train::Network& net);

// The consumer's weight columns fed by unit `unit` of `p` (see the table above).
std::vector<int64_t> ConsumerColumns(const train::Network& net, const PrunableLayer& p, int unit);

struct Shrunk {
  std::vector<train::LayerSpec> specs;  // the prunable layers' units reduced
  train::Network net;                   // with the kept weights
};

// Keeps units keep[i] (sorted, non-empty, within range) of prunable layer i and every weight
// that connects kept units; biases of kept units. Same max batch as `net`.
Result<Shrunk> ShrinkNetwork(const train::Network& net, const std::vector<train::LayerSpec>& specs,
                             const std::vector<PrunableLayer>& prunable,
                             const std::vector<std::vector<int>>& keep);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_STRUCTURE_H_
