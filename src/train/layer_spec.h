// Architecture specs: the text a user writes for `emlkit train --layers` (or `layers` in the
// [train] section of a config) parsed into a list of LayerSpec.
//
// Grammar: layers separated by ',', fields of a layer separated by ':'; optional fields are
// key=value. Whitespace around tokens is ignored.
//   dense:UNITS[:ACT]                        fully connected (ACT defaults to linear)
//   conv1d:FILTERS:KERNEL[:ACT][:stride=S][:padding=valid|same]
//   maxpool1d:SIZE[:stride=S]   avgpool1d:SIZE[:stride=S]   (stride defaults to SIZE)
//   flatten   gap (global average pooling over time)   dropout:RATE (0 <= RATE < 1)
//   relu | relu6 | tanh | sigmoid | softmax   (a standalone activation)
// ACT is one of linear, relu, relu6, tanh, sigmoid, softmax.
//
// Example: "conv1d:16:3:relu,maxpool1d:2,gap,dense:16:relu,dropout:0.2"
// The output layer is not part of the spec: the trainer adds it for the task (see trainer.h).
#ifndef EMLKIT_TRAIN_LAYER_SPEC_H_
#define EMLKIT_TRAIN_LAYER_SPEC_H_

#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::train {

// X-macro tables: one line per kind generates the enum and the name table.
#define EMLKIT_TRAIN_ACTIVATIONS(X) \
  X(kLinear, "linear")              \
  X(kRelu, "relu")                  \
  X(kRelu6, "relu6")                \
  X(kTanh, "tanh")                  \
  X(kSigmoid, "sigmoid")            \
  X(kSoftmax, "softmax")

#define EMLKIT_TRAIN_LAYER_KINDS(X) \
  X(kDense, "dense")                \
  X(kConv1D, "conv1d")              \
  X(kMaxPool1D, "maxpool1d")        \
  X(kAvgPool1D, "avgpool1d")        \
  X(kFlatten, "flatten")            \
  X(kGlobalAvgPool1D, "gap")        \
  X(kDropout, "dropout")            \
  X(kActivation, "activation")

#define EMLKIT_TRAIN_ENUM_ENTRY(id, name) id,
enum class Act { EMLKIT_TRAIN_ACTIVATIONS(EMLKIT_TRAIN_ENUM_ENTRY) kCount };
enum class LayerKind { EMLKIT_TRAIN_LAYER_KINDS(EMLKIT_TRAIN_ENUM_ENTRY) kCount };
#undef EMLKIT_TRAIN_ENUM_ENTRY

const char* ActName(Act a);
const char* LayerKindName(LayerKind k);
// Parses an activation name ("relu", ...); false if unknown.
bool ParseActName(const std::string& name, Act* out);

enum class Pad { kValid, kSame };

struct LayerSpec {
  LayerKind kind = LayerKind::kDense;
  int units = 0;   // dense: outputs; conv1d: filters
  int size = 0;    // conv1d: kernel width; pooling: window
  int stride = 1;  // conv1d / pooling
  Pad padding = Pad::kValid;
  Act act = Act::kLinear;  // dense / conv1d fused activation; activation layer: the function
  float rate = 0.0f;       // dropout probability
  std::string text;        // the layer as written (or as FormatLayer prints it)
};

// Parses a whole spec. `where` names the source in messages (e.g. "--layers" or
// "emlkit.toml:12:10 (train.layers)"); errors say which layer (1-based), the column in `text`
// and what would be valid.
Result<std::vector<LayerSpec>> ParseLayers(const std::string& text, const std::string& where);

// The canonical text of one layer / a list (round-trips through ParseLayers).
std::string FormatLayer(const LayerSpec& spec);
std::string FormatLayers(const std::vector<LayerSpec>& specs);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_LAYER_SPEC_H_
