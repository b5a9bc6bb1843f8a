#include "optimize/trainable.h"

#include <fmt/format.h>

#include <cstring>

#include "tflite/metadata.h"
#include "train/export.h"
#include "train/train_options.h"

namespace emlkit::optimize {
namespace {

using nlohmann::json;

Result<json> TrainingMetadata(const tflite::Model& model, const std::string& name) {
  EMLKIT_ASSIGN_OR_RETURN(std::optional<json> md, tflite::GetEmlkitMetadata(model, name));
  json meta = md ? *md : json();
  const std::string hint =
      "pruning and quantization-aware training fine-tune models `emlkit train` wrote (their "
      "architecture and preprocessing come from it)";
  if (!meta.is_object() || !meta.contains("training") || !meta["training"].is_object() ||
      !meta.contains("preprocessing")) {
    return Status::InvalidArgument(
        fmt::format("{} has no emlkit training metadata: {}", name, hint));
  }
  const json& t = meta["training"];
  if (t.contains("options") && t["options"].value("anomaly_model", "") == "kmeans") {
    return Status::InvalidArgument(
        fmt::format("{} is a k-means anomaly model: it has no layers to prune or fine-tune", name));
  }
  if (!t.contains("architecture") || !t["architecture"].is_string()) {
    return Status::InvalidArgument(
        fmt::format("{}: its emlkit metadata records no training.architecture: {}", name, hint));
  }
  return meta;
}

// Options as recorded (training.options); keys this version does not know are skipped.
train::TrainOptions RecordedOptions(const json& recorded) {
  train::TrainOptions o;
  if (!recorded.is_object()) return o;
  for (const auto& [key, value] : recorded.items()) {
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_array()) {
      for (const json& v : value) text += (text.empty() ? "" : ",") + v.dump();
    } else {
      text = value.dump();
    }
    (void)train::SetTrainOption(&o, key, text, "metadata training.options." + key);
  }
  return o;
}

std::vector<float> Floats(const tflite::Model& m, int32_t t) {
  const std::vector<uint8_t>& b = m.TensorData(t);
  std::vector<float> v(b.size() / sizeof(float));
  if (!v.empty()) std::memcpy(v.data(), b.data(), v.size() * sizeof(float));
  return v;
}

// Copies the weights of the FULLY_CONNECTED / CONV_2D operators, in order, into the network's
// dense / conv1d layers.
Status LoadWeights(const tflite::Model& model, const std::string& name, train::FittedModel& m) {
  std::vector<const tflite::Operator*> ops;
  for (const tflite::Operator& op : model.operators) {
    if (op.builtin_code == tflite::op::kFullyConnected || op.builtin_code == tflite::op::kConv2D) {
      ops.push_back(&op);
    }
  }
  std::vector<train::Layer*> layers;
  for (const auto& l : m.net->layers()) {
    if (!l->params().empty()) layers.push_back(l.get());
  }
  if (ops.size() != layers.size()) {
    return Status::InvalidArgument(fmt::format(
        "{}: {} FULLY_CONNECTED / CONV_2D operators but its recorded architecture '{}' has {} "
        "layers with weights: the file does not match its metadata",
        name, ops.size(), train::FormatLayers(m.specs), layers.size()));
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    const tflite::Operator& op = *ops[i];
    std::vector<train::ParamBlock>& params = layers[i]->params();
    for (size_t p = 0; p < 2; ++p) {
      const int32_t t = p + 1 < op.inputs.size() ? op.inputs[p + 1] : -1;
      const bool ok =
          t >= 0 && model.tensors[static_cast<size_t>(t)].type == tflite::TensorType::kFloat32;
      std::vector<float> v = ok ? Floats(model, t) : std::vector<float>();
      if (static_cast<int64_t>(v.size()) != params[p].size()) {
        return Status::InvalidArgument(fmt::format(
            "{}: the {} of op {} do not fit layer '{}' (expected {} float32 values, found {}): "
            "the file does not match its metadata",
            name, p == 0 ? "weights" : "bias", &op - model.operators.data(), layers[i]->spec().text,
            params[p].size(), v.size()));
      }
      std::copy(v.begin(), v.end(), params[p].value);
    }
  }
  // A regression model's last layer has the target scaling folded in: undo it.
  if (m.info.task == "regression") {
    train::Layer* last = layers.back();
    const int64_t out = last->out_size(), in = last->in_size();
    for (int64_t o = 0; o < out; ++o) {
      const float sd = m.target_std[static_cast<size_t>(o)];
      const float mean = m.target_mean[static_cast<size_t>(o)];
      for (int64_t k = 0; k < in; ++k) last->params()[0].value[o * in + k] /= sd;
      last->params()[1].value[o] = (last->params()[1].value[o] - mean) / sd;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<train::FittedModel> ImportTrainedModel(const tflite::Model& model, const std::string& name) {
  EMLKIT_ASSIGN_OR_RETURN(json meta, TrainingMetadata(model, name));
  train::FittedModel m;
  EMLKIT_ASSIGN_OR_RETURN(m.info, data::ParseDatasetInfo(meta["preprocessing"].dump(),
                                                         name + " (metadata preprocessing)"));
  const json& t = meta["training"];
  m.options = RecordedOptions(t.value("options", json::object()));
  auto specs = train::ParseLayers(t["architecture"].get<std::string>(),
                                  name + " (metadata training.architecture)");
  if (!specs.ok()) return specs.status();
  m.specs = *specs;
  const std::string& task = m.info.task;
  int64_t per = 1;
  for (int64_t d : m.info.record_shape) per *= d;
  if (task == "classification") {
    m.output_width = static_cast<int>(m.info.label_names.size());
  } else if (task == "regression") {
    const json& outs = meta.value("outputs", json::object());
    m.target_mean = outs.value("target_mean", std::vector<float>{});
    m.target_std = outs.value("target_std", std::vector<float>{});
    m.output_width = static_cast<int>(m.target_mean.size());
    if (m.output_width == 0 || m.target_std.size() != m.target_mean.size()) {
      return Status::InvalidArgument(
          name + ": a regression model's metadata needs outputs.target_mean and target_std");
    }
  } else {
    m.output_width = static_cast<int>(per);
    if (meta.contains("anomaly") && meta["anomaly"].contains("threshold")) {
      train::ThresholdChoice c;
      c.threshold = meta["anomaly"]["threshold"].get<double>();
      m.threshold = c;
    }
  }
  const int max_batch = std::max(m.options.loop.batch_size, 256);
  auto net = train::Network::Build(
      train::Shape(m.info.record_shape.begin(), m.info.record_shape.end()), m.specs, max_batch);
  if (!net.ok()) {
    return Status::InvalidArgument(
        name + ": its recorded architecture does not build: " + net.status().message());
  }
  m.net.emplace(std::move(*net));
  EMLKIT_RETURN_IF_ERROR(LoadWeights(model, name, m));
  m.loop.best_epoch = std::max(1, t.value("best_epoch", 1));
  m.metrics = t.value("metrics", json::object());
  return m;
}

Result<std::string> CheckDatasetFits(const train::FittedModel& m, const data::Dataset& ds,
                                     const std::string& model_name, const std::string& data_dir) {
  if (ds.info.task != m.info.task) {
    return Status::InvalidArgument(fmt::format("{} was trained for {} but {} holds a {} data set",
                                               model_name, m.info.task, data_dir, ds.info.task));
  }
  if (ds.info.record_shape != m.info.record_shape ||
      (m.info.task != "regression" && ds.info.label_names != m.info.label_names)) {
    return Status::InvalidArgument(fmt::format(
        "{} takes records of shape [{}] with classes [{}]; {} has [{}] and [{}]: use the data "
        "set the model was trained on",
        model_name, fmt::join(m.info.record_shape, ", "), fmt::join(m.info.label_names, ", "),
        data_dir, fmt::join(ds.info.record_shape, ", "), fmt::join(ds.info.label_names, ", ")));
  }
  if (json::parse(ds.info.json_text, nullptr, false) !=
      json::parse(m.info.json_text, nullptr, false)) {
    return std::string(
        "the data set's dataset.json differs from the one the model was trained "
        "with (its 'preprocessing' metadata)");
  }
  return std::string();
}

Result<tflite::Model> ExportFineTuned(const train::FittedModel& m, const tflite::Model& original,
                                      const std::string& key, const nlohmann::json& section) {
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model out, train::ExportModel(m));
  EMLKIT_ASSIGN_OR_RETURN(std::optional<json> md, tflite::GetEmlkitMetadata(original, "model"));
  json meta = md ? *md : json::object();
  const json fresh = train::ModelMetadata(m);
  if (fresh.contains("anomaly")) meta["anomaly"] = fresh["anomaly"];
  // The network's shape changed (pruning): what the metadata says about it must follow, or the
  // model could not be imported again.
  if (meta.contains("training") && meta["training"].is_object()) {
    json& t = meta["training"];
    t["architecture"] = fresh["training"]["architecture"];
    t["parameters"] = fresh["training"]["parameters"];
    if (t.contains("options") && t["options"].is_object()) {
      t["options"]["layers"] = fresh["training"]["options"]["layers"];
    }
  }
  meta[key] = section;
  tflite::SetEmlkitMetadata(&out, meta);
  return out;
}

}  // namespace emlkit::optimize
