// libFuzzer target: ReadModel must return a Status for any bytes, never crash or read out of
// bounds; whatever it accepts must be writable, and its rewrite must be a fixed point (bytes are
// compared rather than models, since a fuzzed NaN scale is never equal to itself). Seeds: the
// golden models (fuzz/seed-model_reader_fuzz).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tflite/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using emlkit::tflite::Model;
  emlkit::Result<Model> m = emlkit::tflite::ReadModel(data, size, "fuzz");
  if (!m.ok()) return 0;
  bool rewritable = true;
  for (const auto& op : m->operators) rewritable = rewritable && op.undecoded_options.empty();
  if (!rewritable) return 0;
  emlkit::Result<std::vector<uint8_t>> bytes = emlkit::tflite::WriteModel(*m);
  if (!bytes.ok()) std::abort();  // the reader accepted a model the writer refuses
  emlkit::Result<Model> back = emlkit::tflite::ReadModel(bytes->data(), bytes->size(), "again");
  if (!back.ok()) std::abort();
  emlkit::Result<std::vector<uint8_t>> again = emlkit::tflite::WriteModel(*back);
  if (!again.ok() || *again != *bytes) std::abort();
  return 0;
}
