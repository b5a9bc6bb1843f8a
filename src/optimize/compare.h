// Comparing two models on the same records, layer by layer: how far a quantized (or pruned, or
// otherwise rewritten) model strays from its float reference, and where the error comes from.
//
//   EMLKIT_ASSIGN_OR_RETURN(Runner ref, Runner::Open("model_float.tflite"));
//   EMLKIT_ASSIGN_OR_RETURN(Runner q, Runner::Open("model_int8.tflite"));
//   EMLKIT_ASSIGN_OR_RETURN(ModelComparison c, CompareModels(ref, q, {x_test}));
//   std::fputs(ComparisonText(c).c_str(), stdout);
//
// Both models run through emlkit's runtime on the same float records (an int8 model's inputs are
// quantized with its input scale and zero point, its tensors dequantized before comparing).
// The model inputs come first (as each model computes with them: an int8 input after its
// quantization). Layers are matched by operator: when the two models run the same sequence of
// operators
// (QUANTIZE / DEQUANTIZE edges left aside), the k-th operator's outputs are compared; otherwise
// tensors of the same name are. Per matched tensor, over all records:
//   SQNR      10 log10(sum ref^2 / sum (ref - test)^2), in dB: about 6 dB per bit of precision
//             left; a sharp drop from one layer to the next points at the layer that loses it
//   max / mean |error|, and the share of reference values outside the range the test tensor can
//             represent (clipped by its quantization parameters)
// Per output: the same, and for outputs with two or more values the share of records whose
// largest value (predicted class) is at the same index.
#ifndef EMLKIT_OPTIMIZE_COMPARE_H_
#define EMLKIT_OPTIMIZE_COMPARE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/npy.h"
#include "common/progress.h"
#include "common/status.h"
#include "tflite/runner.h"

namespace emlkit::optimize {

// Error statistics of one tensor of the test model against the reference's.
struct TensorError {
  double sqnr_db = 0;  // +inf when identical
  double max_abs_error = 0;
  double mean_abs_error = 0;
  double ref_rms = 0;        // root mean square of the reference values (for scale)
  double clipped_share = 0;  // reference values outside the test tensor's int8 range, 0..1
};

struct LayerComparison {
  int32_t op_index = 0;  // in the test model; -1 for a model input
  std::string op_name;
  int32_t ref_tensor = -1, test_tensor = -1;
  std::string tensor_name;  // the test model's
  std::vector<int64_t> shape;
  std::string test_type;  // "int8", "float32", ...
  float scale = 0;        // 0 when not quantized
  int32_t zero_point = 0;
  TensorError error;
};

struct OutputComparison {
  int index = 0;
  std::string name;
  int64_t width = 0;  // values per record
  TensorError error;
  bool has_argmax = false;   // width >= 2
  int64_t argmax_agree = 0;  // records whose argmax is the same in both models
};

struct ModelComparison {
  std::string reference, test;  // model names
  int64_t records = 0;
  std::string matching;  // "operators" or "names"
  std::vector<OutputComparison> outputs;
  std::vector<LayerComparison> layers;  // in the test model's execution order
  // Every record's outputs, dequantized: [output][record * width + j].
  std::vector<std::vector<float>> ref_outputs, test_outputs;
};

// Runs every record of `inputs` (float32, one array per model input: [records, *tensor shape],
// or without the leading batch dimension of 1) through both models. The models must have the
// same number of inputs and outputs with the same element counts (InvalidArgument otherwise,
// naming both). `progress` counts records; Ctrl-C stops with kCancelled.
Result<ModelComparison> CompareModels(tflite::Runner& reference, tflite::Runner& test,
                                      const std::vector<NpyArray>& inputs,
                                      Progress* progress = nullptr);

// JSON: {"reference", "test", "records", "matching", "outputs": [{index, name, width, sqnr_db,
// max_abs_error, mean_abs_error, ref_rms, clipped_share, agreement?}], "layers": [{op_index,
// op_name, tensor, tensor_name, shape, type, scale, zero_point, sqnr_db, ...}]}. Infinite SQNR is
// written as null.
nlohmann::json ComparisonJson(const ModelComparison& c);
// The per-output lines and the per-layer table for a terminal.
std::string ComparisonText(const ModelComparison& c);

}  // namespace emlkit::optimize

#endif  // EMLKIT_OPTIMIZE_COMPARE_H_
