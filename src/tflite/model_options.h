// Internal to the tflite module: builtin options between the host model's BuiltinOptions variant
// and the FlatBuffers BuiltinOptions union (schema/tflite.fbs).
#ifndef EMLKIT_TFLITE_MODEL_OPTIONS_H_
#define EMLKIT_TFLITE_MODEL_OPTIONS_H_

#include <utility>

#include "tflite/model.h"
#include "tflite/schema/tflite_generated.h"

namespace emlkit::tflite {

// Fills op->options from the file's union. What the variant cannot hold (an options table it has
// no alternative for, a field at a value it has no member for, BuiltinOptions2) is named in
// op->undecoded_options, and op->options keeps what could be decoded.
void DecodeOptions(const fb::Operator& in, Operator* op);

// Builds the union value for op.options: {NONE, 0} for std::monostate.
std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> EncodeOptions(
    flatbuffers::FlatBufferBuilder& fbb, const BuiltinOptions& options);

}  // namespace emlkit::tflite

#endif  // EMLKIT_TFLITE_MODEL_OPTIONS_H_
