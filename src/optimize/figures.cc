#include "optimize/figures.h"

#include <zlib.h>

#include <cstring>
#include <optional>
#include <set>

#include "tflite/metadata.h"
#include "tflite/summary.h"
#include "train/fit.h"

namespace emlkit::optimize {
namespace {

std::optional<double> Threshold(const tflite::Model& model) {
  auto meta = tflite::GetEmlkitMetadata(model, "model");
  if (!meta.ok() || !*meta || !(**meta).contains("anomaly")) return std::nullopt;
  const nlohmann::json& a = (**meta)["anomaly"];
  if (!a.contains("threshold")) return std::nullopt;
  return a["threshold"].get<double>();
}

}  // namespace

size_t ConstantBytes(const tflite::Model& model) {
  size_t bytes = 0;
  for (const tflite::Tensor& t : model.tensors) bytes += model.buffers[t.buffer].size();
  return bytes;
}

size_t DeflatedSize(const std::vector<uint8_t>& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::vector<Bytef> out(size);
  if (compress2(out.data(), &size, data.data(), static_cast<uLong>(data.size()), 9) != Z_OK) {
    return data.size();
  }
  return static_cast<size_t>(size);
}

Result<nlohmann::json> SplitMetrics(tflite::Runner& runner, const tflite::Model& model,
                                    const data::Dataset& ds, const std::string& split_name) {
  const data::Split& split = ds.split(split_name);
  if (split.size() == 0) return nlohmann::json();
  if (runner.num_inputs() != 1 || runner.num_outputs() != 1) {
    return Status::InvalidArgument(runner.name() + ": metrics need one input and one output");
  }
  const int64_t per = split.x.record_elements();
  int64_t width = 1;
  for (int64_t d : runner.output(0).shape) width *= d;
  std::vector<float> outputs(static_cast<size_t>(split.size() * width));
  for (int64_t i = 0; i < split.size(); ++i) {
    EMLKIT_RETURN_IF_ERROR(runner.SetInputFloat(
        0, std::span<const float>(split.x.data<float>() + i * per, static_cast<size_t>(per))));
    EMLKIT_RETURN_IF_ERROR(runner.Invoke());
    const std::vector<float> out = runner.OutputFloat(0);
    std::copy(out.begin(), out.end(), outputs.begin() + i * width);
  }
  return train::ScoreOutputs(ds.info, outputs.data(), static_cast<int>(width), split,
                             Threshold(model));
}

Result<ModelFigures> MeasureModel(const tflite::Model& model, const std::string& name,
                                  const data::Dataset& ds) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, tflite::WriteModel(model));
  EMLKIT_ASSIGN_OR_RETURN(tflite::ModelSummary s, tflite::SummarizeModel(bytes, name));
  ModelFigures f;
  f.params = s.params;
  f.macs = s.macs;
  f.model_bytes = bytes.size();
  f.arena_bytes = s.arena_bytes.value_or(0);
  f.deflated_bytes = DeflatedSize(bytes);
  std::set<int32_t> seen;
  for (const tflite::OpSummary& op : s.ops) {
    for (int32_t t : op.cost.param_tensors) {
      if (!seen.insert(t).second) continue;
      const tflite::Tensor& tensor = model.tensors[static_cast<size_t>(t)];
      const std::vector<uint8_t>& data = model.TensorData(t);
      const int64_t n = tflite::NumElements(tensor.shape);
      int64_t nonzero = n;
      if (tensor.type == tflite::TensorType::kFloat32) {
        nonzero = 0;
        for (int64_t i = 0; i < n; ++i) {
          float v;
          std::memcpy(&v, data.data() + i * 4, 4);
          nonzero += v != 0.0f;
        }
      }
      f.nonzero_params += nonzero;
      // Weights (not biases) become int8: count them dense and as bitmap + non-zero values.
      if (tensor.shape.size() >= 2) {
        f.int8_weight_bytes += n;
        f.int8_sparse_bytes += (n + 7) / 8 + nonzero;
      }
    }
  }
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner runner, tflite::Runner::FromBytes(bytes, name));
  EMLKIT_ASSIGN_OR_RETURN(f.val, SplitMetrics(runner, model, ds, "val"));
  EMLKIT_ASSIGN_OR_RETURN(f.test, SplitMetrics(runner, model, ds, "test"));
  return f;
}

}  // namespace emlkit::optimize
