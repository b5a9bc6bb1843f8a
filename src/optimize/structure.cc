#include "optimize/structure.h"

#include <map>
#include <numeric>

namespace emlkit::optimize {
namespace {

using train::Layer;
using train::LayerKind;

bool HasWeights(const Layer& l) { return !l.params().empty(); }

// How many times unit columns repeat in the consumer's weight rows: time steps after flatten
// (dense) or kernel taps (conv1d).
int64_t Repeats(const Layer& consumer, int units) {
  if (consumer.spec().kind == LayerKind::kConv1D) return consumer.spec().size;
  return consumer.in_size() / units;
}

// The consumer's old columns, in the order of the new (shrunk) columns.
std::vector<int64_t> OldColumns(const Layer& consumer, int units, const std::vector<int>& keep) {
  std::vector<int64_t> cols;
  const int64_t repeats = Repeats(consumer, units);
  for (int64_t r = 0; r < repeats; ++r) {
    for (int u : keep) cols.push_back(r * units + u);
  }
  return cols;
}

std::vector<int64_t> All(int64_t n) {
  std::vector<int64_t> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

}  // namespace

std::vector<PrunableLayer> FindPrunableLayers(const train::Network& net) {
  std::vector<size_t> weighted;
  for (size_t i = 0; i < net.layers().size(); ++i) {
    if (HasWeights(*net.layers()[i])) weighted.push_back(i);
  }
  std::vector<PrunableLayer> out;
  for (size_t i = 0; i + 1 < weighted.size(); ++i) {
    out.push_back({weighted[i], weighted[i + 1], net.layers()[weighted[i]]->spec().units});
  }
  return out;
}

std::vector<int64_t> ConsumerColumns(const train::Network& net, const PrunableLayer& p, int unit) {
  std::vector<int64_t> cols;
  const int64_t repeats = Repeats(*net.layers()[p.consumer], p.units);
  for (int64_t r = 0; r < repeats; ++r) cols.push_back(r * p.units + unit);
  return cols;
}

Result<Shrunk> ShrinkNetwork(const train::Network& net, const std::vector<train::LayerSpec>& specs,
                             const std::vector<PrunableLayer>& prunable,
                             const std::vector<std::vector<int>>& keep) {
  if (keep.size() != prunable.size()) {
    return Status::Internal("ShrinkNetwork: one keep list per prunable layer is needed");
  }
  std::vector<train::LayerSpec> new_specs = specs;
  std::map<size_t, std::vector<int64_t>> rows, cols;  // layer -> kept old rows / old columns
  for (size_t i = 0; i < prunable.size(); ++i) {
    const PrunableLayer& p = prunable[i];
    if (keep[i].empty()) return Status::Internal("ShrinkNetwork: a layer would lose every unit");
    for (int u : keep[i]) {
      if (u < 0 || u >= p.units) return Status::Internal("ShrinkNetwork: unit out of range");
    }
    train::LayerSpec& s = new_specs[p.layer];
    s.units = static_cast<int>(keep[i].size());
    s.text = train::FormatLayer(s);
    rows[p.layer] = std::vector<int64_t>(keep[i].begin(), keep[i].end());
    cols[p.consumer] = OldColumns(*net.layers()[p.consumer], p.units, keep[i]);
  }
  EMLKIT_ASSIGN_OR_RETURN(train::Network out,
                          train::Network::Build(net.input_shape(), new_specs, net.max_batch()));
  for (size_t li = 0; li < net.layers().size(); ++li) {
    const Layer& old_layer = *net.layers()[li];
    if (!HasWeights(old_layer)) continue;
    Layer& new_layer = *out.layers()[li];
    const train::ParamBlock& ow = old_layer.params()[0];
    const train::ParamBlock& ob = old_layer.params()[1];
    train::ParamBlock& nw = new_layer.params()[0];
    train::ParamBlock& nb = new_layer.params()[1];
    const int64_t old_cols = ow.shape[1], new_cols = nw.shape[1];
    const std::vector<int64_t> r = rows.count(li) ? rows[li] : All(ow.shape[0]);
    const std::vector<int64_t> c = cols.count(li) ? cols[li] : All(old_cols);
    if (static_cast<int64_t>(r.size()) != nw.shape[0] ||
        static_cast<int64_t>(c.size()) != new_cols) {
      return Status::Internal("ShrinkNetwork: rebuilt layer " + old_layer.spec().text +
                              " has an unexpected weight shape");
    }
    for (size_t i = 0; i < r.size(); ++i) {
      for (size_t j = 0; j < c.size(); ++j) {
        nw.value[static_cast<int64_t>(i) * new_cols + static_cast<int64_t>(j)] =
            ow.value[r[i] * old_cols + c[j]];
      }
      nb.value[i] = ob.value[r[i]];
    }
  }
  return Shrunk{std::move(new_specs), std::move(out)};
}

}  // namespace emlkit::optimize
