#include "train/train_options.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "train/names.h"

namespace emlkit::train {
namespace {

Status Bad(const std::string& where, const std::string& what) {
  return Status::InvalidArgument(where + ": " + what);
}

Result<double> ParseNumber(const std::string& v, const std::string& where, double lo, double hi,
                           const char* what) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(d) || d < lo || d > hi) {
    char range[96];
    std::snprintf(range, sizeof range, " from %g to %g", lo, hi);
    return Bad(where, std::string(what) + " must be a number" + range + ", got '" + v + "'");
  }
  return d;
}

Result<int64_t> ParseInt(const std::string& v, const std::string& where, int64_t lo, int64_t hi,
                         const char* what) {
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi)
    return Bad(where, std::string(what) + " must be an integer from " + std::to_string(lo) +
                          " to " + std::to_string(hi) + ", got '" + v + "'");
  return x;
}

// Setters for the table below: `field(o)` is the option a key sets.
template <typename Field>
auto Number(double lo, double hi, const char* what, Field field) {
  return [=](TrainOptions* o, const std::string& v, const std::string& where) -> Status {
    EMLKIT_ASSIGN_OR_RETURN(double d, ParseNumber(v, where, lo, hi, what));
    auto& f = field(o);
    f = static_cast<std::remove_reference_t<decltype(f)>>(d);
    return Status::Ok();
  };
}

template <typename Field>
auto Integer(int64_t lo, int64_t hi, const char* what, Field field) {
  return [=](TrainOptions* o, const std::string& v, const std::string& where) -> Status {
    EMLKIT_ASSIGN_OR_RETURN(int64_t x, ParseInt(v, where, lo, hi, what));
    auto& f = field(o);
    f = static_cast<std::remove_reference_t<decltype(f)>>(x);
    return Status::Ok();
  };
}

template <typename Enum, typename Field>
auto Choice(const char* what, bool (*parse)(const std::string&, Enum*), const char* valid,
            Field field) {
  return [=](TrainOptions* o, const std::string& v, const std::string& where) -> Status {
    if (!parse(v, &field(o)))
      return Bad(where, std::string("unknown ") + what + " '" + v + "'; use one of " + valid);
    return Status::Ok();
  };
}

constexpr const char* kAnomalyModelNames[] = {"autoencoder", "kmeans"};
constexpr const char* kThresholdNames[] = {"auto",     "best_f1", "percentile",
                                           "quantile", "sigma",   "value"};
static_assert(std::size(kAnomalyModelNames) == static_cast<size_t>(AnomalyModel::kKMeans) + 1);
static_assert(std::size(kThresholdNames) == static_cast<size_t>(ThresholdMethod::kValue) + 1);

bool ParseAnomalyModel(const std::string& v, AnomalyModel* m) {
  return ParseName(v, kAnomalyModelNames, m);
}
Status SetThreshold(TrainOptions* o, const std::string& v, const std::string& where) {
  if (!ParseThresholdSpec(v, &o->threshold, &o->threshold_param))
    return Bad(where, "unknown anomaly threshold '" + v +
                          "'; use auto, best_f1, percentile, quantile:Q (0 < Q < 1), sigma:K "
                          "(K > 0) or a number");
  return Status::Ok();
}

Status SetClassWeights(TrainOptions* o, const std::string& v, const std::string& where) {
  if (v == "none" || v == "balanced") {
    o->class_weighting = v == "none" ? ClassWeighting::kNone : ClassWeighting::kBalanced;
    o->class_weights.clear();
    return Status::Ok();
  }
  o->class_weighting = ClassWeighting::kExplicit;
  o->class_weights.clear();
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    std::string part =
        v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto w = ParseNumber(part, where, 0.0, 1e6, "each class weight (or 'none' / 'balanced')");
    if (!w.ok()) return w.status();
    o->class_weights.push_back(static_cast<float>(*w));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Status::Ok();
}

std::vector<TrainOptionDef> MakeDefs() {
  using O = TrainOptions;
  using S = const std::string&;
  return {
      {"layers", "layers", "SPEC",
       "Hidden layers, e.g. dense:16:relu,dense:16:relu or conv1d:16:3:relu,maxpool1d:2,gap "
       "(the output layer is added for the task; default depends on the data, see docs/train.md)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(o->layers, ParseLayers(v, where));
         return Status::Ok();
       }},
      {"epochs", "epochs", "INT", "Maximum number of epochs (default 100)",
       Integer(
           1, 100000, "epochs", [](O * o) -> auto& { return o->loop.epochs; })},
      {"batch_size", "batch-size", "INT", "Records per gradient step (default 32)",
       Integer(
           1, 65536, "batch size", [](O * o) -> auto& { return o->loop.batch_size; })},
      {"optimizer", "optimizer", "NAME", "sgd, adam or adamw (default adam)",
       Choice(
           "optimizer", ParseOptimizerName, "sgd, adam, adamw",
           [](O * o) -> auto& { return o->loop.optimizer.kind; })},
      {"lr", "lr", "NUM", "Learning rate (default 1e-3)",
       Number(
           1e-9, 10.0, "lr", [](O * o) -> auto& { return o->loop.lr; })},
      {"weight_decay", "weight-decay", "NUM",
       "Weight decay on weights (not biases): L2 for sgd/adam, decoupled for adamw (default 1e-2)",
       Number(
           0.0, 10.0, "weight decay",
           [](O * o) -> auto& { return o->loop.optimizer.weight_decay; })},
      {"momentum", "momentum", "NUM", "SGD momentum (default 0.9)",
       Number(
           0.0, 0.999999, "momentum", [](O * o) -> auto& { return o->loop.optimizer.momentum; })},
      {"schedule", "schedule", "NAME",
       "Learning-rate schedule: constant, step, cosine, plateau (default constant)",
       Choice(
           "schedule", ParseScheduleName, "constant, step, cosine, plateau",
           [](O * o) -> auto& { return o->loop.schedule.kind; })},
      {"lr_step_epochs", "lr-step-epochs", "INT",
       "step schedule: epochs between decays (default 10)",
       Integer(
           1, 100000, "lr_step_epochs",
           [](O * o) -> auto& { return o->loop.schedule.step_epochs; })},
      {"lr_factor", "lr-factor", "NUM",
       "step / plateau schedules: multiplier per decay (default 0.5)",
       Number(
           1e-6, 1.0, "lr_factor", [](O * o) -> auto& { return o->loop.schedule.factor; })},
      {"lr_patience", "lr-patience", "INT",
       "plateau schedule: epochs without improvement before a decay (default 5)",
       Integer(
           1, 100000, "lr_patience",
           [](O * o) -> auto& { return o->loop.schedule.plateau_patience; })},
      {"min_lr", "min-lr", "NUM", "cosine / plateau schedules: lowest learning rate (default 0)",
       Number(
           0.0, 10.0, "min_lr", [](O * o) -> auto& { return o->loop.schedule.min_lr; })},
      {"patience", "patience", "INT",
       "Early stopping: epochs without a better validation loss before stopping; 0 trains all "
       "epochs (default 10). The best epoch's weights are kept either way",
       Integer(
           0, 100000, "patience", [](O * o) -> auto& { return o->loop.patience; })},
      {"min_delta", "min-delta", "NUM",
       "Early stopping: smallest improvement that counts (default 0)",
       Number(
           0.0, 1e9, "min_delta", [](O * o) -> auto& { return o->loop.min_delta; })},
      {"cv", "cv", "INT",
       "K-fold cross-validation before training: train and validation records are cut into K "
       "folds of whole recordings (groups), stratified by class; prints each fold's validation "
       "score and their mean and spread, then trains the model as usual (default 0 = off)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(int64_t k, ParseInt(v, where, 0, 100, "cv"));
         if (k == 1) return Bad(where, "cv needs at least 2 folds (or 0 to turn it off)");
         o->cv = static_cast<int>(k);
         return Status::Ok();
       }},
      {"seed", "seed", "INT", "Seed for initialization, shuffling and dropout (default 0)",
       Integer(
           0, INT64_MAX, "seed", [](O * o) -> auto& { return o->loop.seed; })},
      {"loss", "loss", "NAME",
       "cross_entropy (classification), mse or huber (regression); default by task",
       [](O* o, S v, S where) -> Status {
         EMLKIT_RETURN_IF_ERROR(Choice(
             "loss", ParseLossName, "cross_entropy, mse, huber",
             [](O * p) -> auto& { return p->loss; })(o, v, where));
         o->loss_set = true;
         return Status::Ok();
       }},
      {"huber_delta", "huber-delta", "NUM",
       "Huber loss threshold, in scaled target units (default 1)",
       Number(
           1e-6, 1e6, "huber_delta", [](O * o) -> auto& { return o->huber_delta; })},
      {"class_weights", "class-weights", "LIST",
       "Classification: none, balanced (n / (K * count)) or one weight per class, e.g. 1,4 "
       "(default none)",
       SetClassWeights},
      {"anomaly_model", "anomaly-model", "NAME",
       "Anomaly task: autoencoder or kmeans (default autoencoder)",
       Choice(
           "anomaly model", ParseAnomalyModel, "autoencoder, kmeans",
           [](O * o) -> auto& { return o->anomaly_model; })},
      {"clusters", "clusters", "INT", "kmeans: number of clusters (default 8)",
       Integer(
           1, 4096, "clusters", [](O * o) -> auto& { return o->clusters; })},
      {"threshold", "threshold", "RULE",
       "Anomaly threshold on the --threshold-split scores: quantile:Q (e.g. quantile:0.99), "
       "sigma:K (mean + K standard deviations), a number, best_f1 (needs labelled anomalies), "
       "percentile (--percentile), or auto = best_f1 when the split holds labelled anomalies, "
       "else 1.5 x the 99.9th percentile of the scores (default auto)",
       SetThreshold},
      {"threshold_split", "threshold-split", "NAME",
       "The records the anomaly threshold is computed on: train+val, val or train (default "
       "train+val)",
       [](O* o, const std::string& v, const std::string& where) -> Status {
         if (v != "val" && v != "train" && v != "train+val")
           return Bad(where, "use train+val, val or train, got '" + v + "'");
         o->threshold_split = v;
         return Status::Ok();
       }},
      {"percentile", "percentile", "NUM",
       "Anomaly threshold percentile of normal validation scores (default 99)",
       Number(
           0.0, 100.0, "percentile", [](O * o) -> auto& { return o->percentile; })},
  };
}

// The value of `key` as text, whatever its TOML type (arrays joined with commas).
Result<std::string> ConfigValueText(const ConfigSection& s, const std::string& key) {
  std::string text;
  if (s.Get(key, &text).ok()) return text;
  int64_t i = 0;
  if (s.Get(key, &i).ok()) return std::to_string(i);
  double d = 0;
  if (s.Get(key, &d).ok()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    return std::string(buf);
  }
  bool b = false;
  if (s.Get(key, &b).ok()) return std::string(b ? "true" : "false");
  std::vector<double> nums;
  if (s.Get(key, &nums).ok()) {
    for (double v : nums) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", v);
      text += (text.empty() ? "" : ",") + std::string(buf);
    }
    return text;
  }
  std::vector<std::string> strs;
  if (s.Get(key, &strs).ok()) {
    for (const std::string& v : strs) text += (text.empty() ? "" : ",") + v;
    return text;
  }
  return Status::InvalidArgument(s.Where(key) + ": [" + s.name() + "] '" + key +
                                 "' must be a string, a number or an array of them");
}

}  // namespace

LoopOptions TrainOptions::DefaultLoopOptions() {
  LoopOptions l;
  l.epochs = 100;
  l.batch_size = 32;
  l.lr = 1e-3f;
  l.optimizer.kind = OptimizerKind::kAdam;
  l.optimizer.weight_decay = 1e-2f;
  l.patience = 10;
  return l;
}

const std::vector<TrainOptionDef>& TrainOptionDefs() {
  static const std::vector<TrainOptionDef> defs = MakeDefs();
  return defs;
}

Status SetTrainOption(TrainOptions* o, const std::string& key, const std::string& value,
                      const std::string& where) {
  for (const TrainOptionDef& d : TrainOptionDefs())
    if (key == d.key) return d.set(o, value, where);
  return Status::InvalidArgument(where + ": unknown training option '" + key + "'");
}

Status ApplyTrainConfig(const ConfigSection& section, TrainOptions* o) {
  if (!section.present()) return Status::Ok();
  std::vector<std::string> known;
  for (const TrainOptionDef& d : TrainOptionDefs()) known.push_back(d.key);
  EMLKIT_RETURN_IF_ERROR(section.CheckKnown(known));
  for (const std::string& key : section.Keys()) {
    EMLKIT_ASSIGN_OR_RETURN(std::string text, ConfigValueText(section, key));
    EMLKIT_RETURN_IF_ERROR(
        SetTrainOption(o, key, text, section.Where(key) + " (train." + key + ")"));
  }
  return Status::Ok();
}

const char* AnomalyModelName(AnomalyModel m) { return kAnomalyModelNames[static_cast<int>(m)]; }
const char* ThresholdMethodName(ThresholdMethod m) { return kThresholdNames[static_cast<int>(m)]; }

bool ParseThresholdSpec(const std::string& v, ThresholdMethod* method, double* param) {
  const size_t colon = v.find(':');
  const std::string head = v.substr(0, colon);
  auto number = [](const std::string& t, double* out) {
    char* end = nullptr;
    *out = std::strtod(t.c_str(), &end);
    return !t.empty() && *end == '\0' && std::isfinite(*out);
  };
  if (colon == std::string::npos) {
    if (ParseName(v, kThresholdNames, method))
      return *method == ThresholdMethod::kAuto || *method == ThresholdMethod::kBestF1 ||
             *method == ThresholdMethod::kPercentile;
    *method = ThresholdMethod::kValue;
    return number(v, param);
  }
  double d = 0;
  if (!number(v.substr(colon + 1), &d)) return false;
  if (head == "quantile" && d > 0 && d < 1) {
    *method = ThresholdMethod::kQuantile;
  } else if (head == "sigma" && d > 0) {
    *method = ThresholdMethod::kSigma;
  } else {
    return false;
  }
  *param = d;
  return true;
}

std::string ThresholdSpecText(ThresholdMethod m, double param) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9g", param);
  if (m == ThresholdMethod::kQuantile) return std::string("quantile:") + buf;
  if (m == ThresholdMethod::kSigma) return std::string("sigma:") + buf;
  if (m == ThresholdMethod::kValue) return buf;
  return ThresholdMethodName(m);
}

double AsDecimal(float f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7g", static_cast<double>(f));
  return std::strtod(buf, nullptr);
}

nlohmann::json TrainOptionsToJson(const TrainOptions& o) {
  const LoopOptions& l = o.loop;
  nlohmann::json j = {
      {"layers", FormatLayers(o.layers)},
      {"epochs", l.epochs},
      {"batch_size", l.batch_size},
      {"optimizer", OptimizerName(l.optimizer.kind)},
      {"lr", AsDecimal(l.lr)},
      {"weight_decay", AsDecimal(l.optimizer.weight_decay)},
      {"schedule", ScheduleName(l.schedule.kind)},
      {"patience", l.patience},
      {"min_delta", l.min_delta},
      {"seed", l.seed},
  };
  if (o.cv > 0) j["cv"] = o.cv;
  if (l.optimizer.kind == OptimizerKind::kSgd) j["momentum"] = AsDecimal(l.optimizer.momentum);
  if (l.schedule.kind == ScheduleKind::kStep) {
    j["lr_step_epochs"] = l.schedule.step_epochs;
    j["lr_factor"] = AsDecimal(l.schedule.factor);
  }
  if (l.schedule.kind == ScheduleKind::kPlateau) {
    j["lr_patience"] = l.schedule.plateau_patience;
    j["lr_factor"] = AsDecimal(l.schedule.factor);
  }
  if (l.schedule.kind == ScheduleKind::kCosine || l.schedule.kind == ScheduleKind::kPlateau)
    j["min_lr"] = AsDecimal(l.schedule.min_lr);
  return j;
}

}  // namespace emlkit::train
