#include "train/fit.h"

#include <algorithm>
#include <cmath>

#include "train/metrics.h"

namespace emlkit::train {
namespace {

std::vector<LayerSpec> Parse(const std::string& text) {
  auto specs = ParseLayers(text, "default layers");
  return specs.ok() ? *specs : std::vector<LayerSpec>{};
}

LayerSpec OutputLayer(int units) {
  LayerSpec s;
  s.kind = LayerKind::kDense;
  s.units = units;
  s.text = FormatLayer(s);
  return s;
}

// The records of `split` (and their labels) whose label is 0; for anomaly models.
struct NormalRecords {
  std::vector<float> x;
  int64_t n = 0;
};
NormalRecords Normal(const data::Split& split) {
  NormalRecords r;
  const int64_t per = split.x.record_elements();
  for (int64_t i = 0; i < split.size(); ++i) {
    if (split.y.data<int32_t>()[i] != 0) continue;
    const float* row = split.x.data<float>() + i * per;
    r.x.insert(r.x.end(), row, row + per);
    ++r.n;
  }
  return r;
}

Status CheckOptionsForTask(const data::Dataset& ds, const TrainOptions& o) {
  const std::string& task = ds.info.task;
  const size_t k = ds.info.label_names.size();
  if (task == "classification") {
    if (o.loss_set && o.loss != LossKind::kCrossEntropy)
      return Status::InvalidArgument(std::string("loss '") + LossName(o.loss) +
                                     "' does not fit a classification data set; use "
                                     "cross_entropy (the default)");
    if (o.class_weighting == ClassWeighting::kExplicit && o.class_weights.size() != k)
      return Status::InvalidArgument(
          "class_weights lists " + std::to_string(o.class_weights.size()) +
          " weights but the data set has " + std::to_string(k) + " classes (" +
          [&] {
            std::string s;
            for (const auto& n : ds.info.label_names) s += (s.empty() ? "" : ", ") + n;
            return s;
          }() +
          ")");
  } else {
    if (o.class_weighting != ClassWeighting::kNone)
      return Status::InvalidArgument(
          "class_weights apply to classification only; this data set's "
          "task is " +
          task);
    if (o.loss_set && o.loss == LossKind::kCrossEntropy)
      return Status::InvalidArgument(
          "loss cross_entropy needs a classification data set; this "
          "one's task is " +
          task + " (use mse or huber)");
  }
  if (task == "anomaly") {
    if (o.loss_set && o.loss != LossKind::kMse)
      return Status::InvalidArgument(
          "anomaly models are trained with mse (the score is the mean "
          "squared reconstruction error); remove --loss");
    if (o.anomaly_model == AnomalyModel::kKMeans && !o.layers.empty())
      return Status::InvalidArgument("--layers does not apply to --anomaly-model kmeans");
    if (Normal(ds.train).n == 0)
      return Status::InvalidArgument(
          "the training split has no normal (label 0) records to "
          "learn from");
    if (o.threshold == ThresholdMethod::kBestF1) {
      int64_t pos = 0;
      for (int64_t i = 0; i < ds.val.size(); ++i) pos += ds.val.y.data<int32_t>()[i] == 1;
      if (pos == 0 || pos == ds.val.size())
        return Status::InvalidArgument(
            "threshold best_f1 needs normal and anomalous records in "
            "the validation split; use --threshold percentile");
    }
  }
  return Status::Ok();
}

// Regression targets z-scored per column with the training split's mean / std.
std::vector<float> ScaledTargets(const data::Split& s, const std::vector<float>& mean,
                                 const std::vector<float>& sd) {
  const int64_t k = static_cast<int64_t>(mean.size());
  std::vector<float> t(static_cast<size_t>(s.size() * k));
  for (int64_t i = 0; i < s.size() * k; ++i)
    t[static_cast<size_t>(i)] =
        (s.y.data<float>()[i] - mean[static_cast<size_t>(i % k)]) / sd[static_cast<size_t>(i % k)];
  return t;
}

}  // namespace

std::vector<LayerSpec> DefaultLayers(const std::string& task, const std::vector<int64_t>& shape) {
  const bool windowed = shape.size() == 2;
  if (task == "anomaly") {
    int64_t f = 1;
    for (int64_t d : shape) f *= d;
    const std::string h = std::to_string(std::max<int64_t>(4, f / 2));
    const std::string b = std::to_string(std::max<int64_t>(2, f / 4));
    return Parse(std::string(windowed ? "flatten," : "") + "dense:" + h + ":relu,dense:" + b +
                 ":relu,dense:" + h + ":relu");
  }
  if (!windowed) return Parse("dense:16:relu,dense:16:relu");
  if (shape[0] >= 8)
    return Parse("conv1d:16:3:relu,maxpool1d:2,conv1d:16:3:relu,gap,dense:16:relu");
  return Parse("flatten,dense:16:relu,dense:16:relu");
}

Result<FittedModel> Fit(const data::Dataset& ds, const TrainOptions& options,
                        const LoopCallbacks& callbacks) {
  EMLKIT_RETURN_IF_ERROR(CheckOptionsForTask(ds, options));
  FittedModel m;
  m.info = ds.info;
  m.options = options;
  const std::string& task = ds.info.task;
  const Shape shape(ds.info.record_shape.begin(), ds.info.record_shape.end());
  const int64_t per = ShapeSize(shape);
  const bool kmeans = task == "anomaly" && options.anomaly_model == AnomalyModel::kKMeans;

  if (task == "classification") {
    m.output_width = static_cast<int>(ds.info.label_names.size());
  } else if (task == "regression") {
    const int k = static_cast<int>(ds.train.y.record_elements());
    m.output_width = k;
    m.target_mean.assign(static_cast<size_t>(k), 0.0f);
    m.target_std.assign(static_cast<size_t>(k), 1.0f);
    for (int j = 0; j < k; ++j) {
      double mean = 0, var = 0;
      const int64_t n = ds.train.size();
      for (int64_t i = 0; i < n; ++i) mean += ds.train.y.data<float>()[i * k + j];
      mean /= static_cast<double>(n);
      for (int64_t i = 0; i < n; ++i)
        var += std::pow(ds.train.y.data<float>()[i * k + j] - mean, 2);
      const double sd = std::sqrt(var / static_cast<double>(n));
      m.target_mean[static_cast<size_t>(j)] = static_cast<float>(mean);
      m.target_std[static_cast<size_t>(j)] = sd > 1e-12 ? static_cast<float>(sd) : 1.0f;
    }
  } else {
    m.output_width = static_cast<int>(per);
  }
  const TrainingData data = MakeTrainingData(ds, m);

  if (kmeans) {
    m.kmeans = FitKMeans(data.train.x, data.train.n, static_cast<int>(per), options.clusters,
                         options.loop.seed);
  } else {
    if (m.options.layers.empty()) m.options.layers = DefaultLayers(task, ds.info.record_shape);
    m.specs = m.options.layers;
    // Windowed features reaching the output layer are flattened first.
    Shape s = shape;
    for (const LayerSpec& spec : m.specs) {
      auto layer = MakeLayer(spec, s);
      if (!layer.ok()) break;  // Network::Build reports it with the layer's position
      s = (*layer)->out_shape();
    }
    if (s.size() > 1) {
      LayerSpec flatten;
      flatten.kind = LayerKind::kFlatten;
      flatten.text = "flatten";
      m.specs.push_back(flatten);
    }
    m.specs.push_back(OutputLayer(m.output_width));
    const int max_batch = std::max(options.loop.batch_size, 256);
    auto net = Network::Build(shape, m.specs, max_batch);
    if (!net.ok())
      return Status::InvalidArgument("architecture '" + FormatLayers(m.options.layers) +
                                     "' does not fit records of shape " + ShapeText(shape) + ": " +
                                     net.status().message());
    m.net.emplace(std::move(*net));
    m.net->Init(options.loop.seed);
    LoopOptions loop = options.loop;
    loop.mae_scale = data.mae_scale;
    m.loop = RunTrainingLoop(*m.net, data.train, &data.val, data.loss, loop, callbacks);
  }
  EMLKIT_RETURN_IF_ERROR(ScoreFittedModel(ds, m));
  return m;
}

TrainingData MakeTrainingData(const data::Dataset& ds, const FittedModel& m) {
  const std::string& task = ds.info.task;
  TrainingData d;
  d.train = {ds.train.x.data<float>(), ds.train.size()};
  d.val = {ds.val.x.data<float>(), ds.val.size()};
  if (task == "classification") {
    d.train.labels = ds.train.y.data<int32_t>();
    d.val.labels = ds.val.y.data<int32_t>();
    std::vector<float> weights;
    const TrainOptions& options = m.options;
    if (options.class_weighting == ClassWeighting::kBalanced)
      weights = BalancedClassWeights(d.train.labels, d.train.n, m.output_width);
    else if (options.class_weighting == ClassWeighting::kExplicit)
      weights = options.class_weights;
    d.loss = Loss::CrossEntropy(weights);
  } else if (task == "regression") {
    d.train_targets = ScaledTargets(ds.train, m.target_mean, m.target_std);
    d.val_targets = ScaledTargets(ds.val, m.target_mean, m.target_std);
    d.train.targets = d.train_targets.data();
    d.val.targets = d.val_targets.data();
    if (m.options.loss_set && m.options.loss == LossKind::kHuber)
      d.loss = Loss::Huber(m.options.huber_delta);
    if (m.target_std.size() == 1) d.mae_scale = m.target_std[0];
  } else {
    NormalRecords train_normal = Normal(ds.train), val_normal = Normal(ds.val);
    d.train_records = std::move(train_normal.x);
    d.val_records = std::move(val_normal.x);
    d.train = {d.train_records.data(), train_normal.n, nullptr, d.train_records.data()};
    d.val = {d.val_records.data(), val_normal.n, nullptr, d.val_records.data()};
  }
  return d;
}

Result<LoopResult> ContinueTraining(FittedModel& m, const data::Dataset& ds,
                                    const LoopOptions& loop, const LoopCallbacks& callbacks) {
  if (!m.net) return Status::InvalidArgument("a k-means model has no network to train further");
  const TrainingData data = MakeTrainingData(ds, m);
  LoopOptions o = loop;
  o.mae_scale = data.mae_scale;
  LoopResult r = RunTrainingLoop(*m.net, data.train, &data.val, data.loss, o, callbacks);
  if (r.reason != StopReason::kDiverged) EMLKIT_RETURN_IF_ERROR(ScoreFittedModel(ds, m));
  return r;
}

Status ScoreFittedModel(const data::Dataset& ds, FittedModel& m) {
  const std::string& task = ds.info.task;
  const bool kmeans = m.kmeans.has_value();

  if (task == "anomaly" && m.loop.reason != StopReason::kDiverged) {
    // The basis: the records of the named split(s), an empty validation split skipped.
    std::vector<float> scores;
    std::vector<int32_t> labels;
    std::vector<std::string> used;
    for (const char* name : {"train", "val"}) {
      const data::Split& sp = ds.split(name);
      const std::string& want = m.options.threshold_split;
      if (sp.size() == 0 || (want != "train+val" && want != name)) continue;
      std::vector<float> s = PredictOutputs(m, sp.x.data<float>(), sp.size());
      scores.insert(scores.end(), s.begin(), s.end());
      labels.insert(labels.end(), sp.y.data<int32_t>(), sp.y.data<int32_t>() + sp.size());
      used.push_back(name);
    }
    if (used.empty()) {  // --threshold-split val without validation records
      std::vector<float> s = PredictOutputs(m, ds.train.x.data<float>(), ds.train.size());
      scores = s;
      labels.assign(ds.train.y.data<int32_t>(), ds.train.y.data<int32_t>() + ds.train.size());
      used.push_back("train");
    }
    EMLKIT_ASSIGN_OR_RETURN(
        m.threshold,
        ChooseThreshold(scores.data(), labels.data(), static_cast<int64_t>(scores.size()),
                        m.options.threshold, m.options.percentile, m.options.threshold_param));
    m.threshold_split = used.size() == 2 ? "train+val" : used[0];
    if (m.threshold_split != m.options.threshold_split)
      m.threshold->warnings.push_back(
          "the validation split is empty: the anomaly threshold was computed on the training "
          "records, whose scores are optimistic");
  }
  if (m.loop.best_epoch > 0 || kmeans) {
    m.metrics = nlohmann::json::object();
    for (const char* name : {"train", "val", "test"}) {
      const data::Split& split = ds.split(name);
      if (split.size() == 0) continue;
      std::vector<float> out = PredictOutputs(m, split.x.data<float>(), split.size());
      std::optional<double> thr;
      if (m.threshold) thr = m.threshold->threshold;
      m.metrics[name] =
          ScoreOutputs(ds.info, out.data(), task == "anomaly" ? 1 : m.output_width, split, thr);
    }
  }
  return Status::Ok();
}

std::vector<float> PredictOutputs(FittedModel& m, const float* x, int64_t n) {
  const std::string& task = m.info.task;
  const int64_t per = [&] {
    int64_t p = 1;
    for (int64_t d : m.info.record_shape) p *= d;
    return p;
  }();
  if (m.kmeans) {
    std::vector<float> scores(static_cast<size_t>(n));
    KMeansScores(*m.kmeans, x, n, scores.data());
    return scores;
  }
  const int w = m.net->output_size();
  std::vector<float> out(static_cast<size_t>(n * w));
  m.net->Predict(x, n, out.data());
  if (task == "classification") {
    for (int64_t i = 0; i < n; ++i) {
      float* z = out.data() + i * w;
      const float mx = *std::max_element(z, z + w);
      float sum = 0;
      for (int j = 0; j < w; ++j) sum += (z[j] = std::exp(z[j] - mx));
      for (int j = 0; j < w; ++j) z[j] /= sum;
    }
    return out;
  }
  if (task == "regression") {
    for (int64_t i = 0; i < n * w; ++i)
      out[static_cast<size_t>(i)] =
          out[static_cast<size_t>(i)] * m.target_std[static_cast<size_t>(i % w)] +
          m.target_mean[static_cast<size_t>(i % w)];
    return out;
  }
  std::vector<float> scores(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int64_t j = 0; j < per; ++j) {
      double e = static_cast<double>(out[static_cast<size_t>(i * per + j)]) - x[i * per + j];
      s += e * e;
    }
    scores[static_cast<size_t>(i)] = static_cast<float>(s / static_cast<double>(per));
  }
  return scores;
}

nlohmann::json ScoreOutputs(const data::DatasetInfo& info, const float* outputs, int output_width,
                            const data::Split& split, std::optional<double> threshold) {
  const int64_t n = split.size();
  if (info.task == "regression")
    return ToJson(ComputeRegression(outputs, split.y.data<float>(), n, output_width));
  std::vector<int32_t> pred(static_cast<size_t>(n));
  std::vector<float> score(static_cast<size_t>(n));
  if (info.task == "classification") {
    for (int64_t i = 0; i < n; ++i) {
      pred[static_cast<size_t>(i)] = ArgMax(outputs + i * output_width, output_width);
      if (output_width == 2) score[static_cast<size_t>(i)] = outputs[i * output_width + 1];
    }
    return ToJson(ComputeClassification(split.y.data<int32_t>(), pred.data(),
                                        output_width == 2 ? score.data() : nullptr, n,
                                        info.label_names));
  }
  const double thr = threshold.value_or(0.0);
  for (int64_t i = 0; i < n; ++i) pred[static_cast<size_t>(i)] = outputs[i] > thr ? 1 : 0;
  nlohmann::json j = ToJson(
      ComputeClassification(split.y.data<int32_t>(), pred.data(), outputs, n, info.label_names));
  j["threshold"] = thr;
  const SeriesMetrics sm = ComputeSeriesMetrics(split.y.data<int32_t>(), pred.data(), n);
  j["windows"] = sm.windows;
  j["windows_found"] = sm.windows_found;
  j["window_recall"] =
      sm.windows > 0
          ? nlohmann::json(static_cast<double>(sm.windows_found) / static_cast<double>(sm.windows))
          : nlohmann::json();
  j["fp_per_1000"] = sm.fp_per_1000;
  j["first_flag_records"] = sm.first_flag;
  return j;
}

}  // namespace emlkit::train
