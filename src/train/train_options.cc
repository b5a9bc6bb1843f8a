#include "train/train_options.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

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

// Setters for the table below.
template <typename T>
auto Num(T LoopOptions::*field, double lo, double hi, const char* what) {
  return [=](TrainOptions* o, const std::string& v, const std::string& where) -> Status {
    EMLKIT_ASSIGN_OR_RETURN(double d, ParseNumber(v, where, lo, hi, what));
    o->loop.*field = static_cast<T>(d);
    return Status::Ok();
  };
}

auto Int(int LoopOptions::*field, int64_t lo, int64_t hi, const char* what) {
  return [=](TrainOptions* o, const std::string& v, const std::string& where) -> Status {
    EMLKIT_ASSIGN_OR_RETURN(int64_t x, ParseInt(v, where, lo, hi, what));
    o->loop.*field = static_cast<int>(x);
    return Status::Ok();
  };
}

template <typename Enum>
Status ParseEnum(const std::string& v, const std::string& where, const char* what,
                 bool (*parse)(const std::string&, Enum*), const char* valid, Enum* out) {
  if (!parse(v, out))
    return Bad(where, std::string("unknown ") + what + " '" + v + "'; use one of " + valid);
  return Status::Ok();
}

bool ParseAnomalyModel(const std::string& v, AnomalyModel* m) {
  if (v == "autoencoder")
    *m = AnomalyModel::kAutoencoder;
  else if (v == "kmeans")
    *m = AnomalyModel::kKMeans;
  else
    return false;
  return true;
}

bool ParseThreshold(const std::string& v, ThresholdMethod* m) {
  if (v == "auto")
    *m = ThresholdMethod::kAuto;
  else if (v == "best_f1")
    *m = ThresholdMethod::kBestF1;
  else if (v == "percentile")
    *m = ThresholdMethod::kPercentile;
  else
    return false;
  return true;
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
       Int(&LoopOptions::epochs, 1, 100000, "epochs")},
      {"batch_size", "batch-size", "INT", "Records per gradient step (default 32)",
       Int(&LoopOptions::batch_size, 1, 65536, "batch size")},
      {"optimizer", "optimizer", "NAME", "sgd, adam or adamw (default adam)",
       [](O* o, S v, S where) {
         return ParseEnum(v, where, "optimizer", ParseOptimizerName, "sgd, adam, adamw",
                          &o->loop.optimizer.kind);
       }},
      {"lr", "lr", "NUM", "Learning rate (default 1e-3)", Num(&LoopOptions::lr, 1e-9, 10.0, "lr")},
      {"weight_decay", "weight-decay", "NUM",
       "Weight decay on weights (not biases): L2 for sgd/adam, decoupled for adamw (default 1e-2)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(double d, ParseNumber(v, where, 0.0, 10.0, "weight decay"));
         o->loop.optimizer.weight_decay = static_cast<float>(d);
         return Status::Ok();
       }},
      {"momentum", "momentum", "NUM", "SGD momentum (default 0.9)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(double d, ParseNumber(v, where, 0.0, 0.999999, "momentum"));
         o->loop.optimizer.momentum = static_cast<float>(d);
         return Status::Ok();
       }},
      {"schedule", "schedule", "NAME",
       "Learning-rate schedule: constant, step, cosine, plateau "
       "(default constant)",
       [](O* o, S v, S where) {
         return ParseEnum(v, where, "schedule", ParseScheduleName,
                          "constant, step, cosine, plateau", &o->loop.schedule.kind);
       }},
      {"lr_step_epochs", "lr-step-epochs", "INT",
       "step schedule: epochs between decays (default 10)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(int64_t x, ParseInt(v, where, 1, 100000, "lr_step_epochs"));
         o->loop.schedule.step_epochs = static_cast<int>(x);
         return Status::Ok();
       }},
      {"lr_factor", "lr-factor", "NUM",
       "step / plateau schedules: multiplier per decay (default 0.5)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(double d, ParseNumber(v, where, 1e-6, 1.0, "lr_factor"));
         o->loop.schedule.gamma = o->loop.schedule.factor = static_cast<float>(d);
         return Status::Ok();
       }},
      {"lr_patience", "lr-patience", "INT",
       "plateau schedule: epochs without improvement before a decay (default 5)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(int64_t x, ParseInt(v, where, 1, 100000, "lr_patience"));
         o->loop.schedule.plateau_patience = static_cast<int>(x);
         return Status::Ok();
       }},
      {"min_lr", "min-lr", "NUM", "cosine / plateau schedules: lowest learning rate (default 0)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(double d, ParseNumber(v, where, 0.0, 10.0, "min_lr"));
         o->loop.schedule.min_lr = static_cast<float>(d);
         return Status::Ok();
       }},
      {"patience", "patience", "INT",
       "Early stopping: epochs without a better validation loss before stopping; 0 trains all "
       "epochs (default 10). The best epoch's weights are kept either way",
       Int(&LoopOptions::patience, 0, 100000, "patience")},
      {"min_delta", "min-delta", "NUM",
       "Early stopping: smallest improvement that counts (default 0)",
       Num(&LoopOptions::min_delta, 0.0, 1e9, "min_delta")},
      {"seed", "seed", "INT", "Seed for initialization, shuffling and dropout (default 0)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(int64_t x, ParseInt(v, where, 0, INT64_MAX, "seed"));
         o->loop.seed = static_cast<uint64_t>(x);
         return Status::Ok();
       }},
      {"loss", "loss", "NAME",
       "cross_entropy (classification), mse or huber (regression); default by task",
       [](O* o, S v, S where) -> Status {
         EMLKIT_RETURN_IF_ERROR(
             ParseEnum(v, where, "loss", ParseLossName, "cross_entropy, mse, huber", &o->loss));
         o->loss_set = true;
         return Status::Ok();
       }},
      {"huber_delta", "huber-delta", "NUM",
       "Huber loss threshold, in scaled target units (default 1)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(double d, ParseNumber(v, where, 1e-6, 1e6, "huber_delta"));
         o->huber_delta = static_cast<float>(d);
         return Status::Ok();
       }},
      {"class_weights", "class-weights", "LIST",
       "Classification: none, balanced (n / (K * count)) or one weight per class, e.g. 1,4 "
       "(default none)",
       SetClassWeights},
      {"anomaly_model", "anomaly-model", "NAME",
       "Anomaly task: autoencoder or kmeans (default autoencoder)",
       [](O* o, S v, S where) {
         return ParseEnum(v, where, "anomaly model", ParseAnomalyModel, "autoencoder, kmeans",
                          &o->anomaly_model);
       }},
      {"clusters", "clusters", "INT", "kmeans: number of clusters (default 8)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(int64_t x, ParseInt(v, where, 1, 4096, "clusters"));
         o->clusters = static_cast<int>(x);
         return Status::Ok();
       }},
      {"threshold", "threshold", "NAME",
       "Anomaly threshold: best_f1 (needs anomalies in the validation split), percentile, or "
       "auto = best_f1 when possible, else percentile (default auto)",
       [](O* o, S v, S where) {
         return ParseEnum(v, where, "threshold method", ParseThreshold, "auto, best_f1, percentile",
                          &o->threshold);
       }},
      {"percentile", "percentile", "NUM",
       "Anomaly threshold percentile of normal validation scores (default 99)",
       [](O* o, S v, S where) -> Status {
         EMLKIT_ASSIGN_OR_RETURN(o->percentile, ParseNumber(v, where, 0.0, 100.0, "percentile"));
         return Status::Ok();
       }},
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

const char* AnomalyModelName(AnomalyModel m) {
  return m == AnomalyModel::kKMeans ? "kmeans" : "autoencoder";
}

const char* ThresholdMethodName(ThresholdMethod m) {
  switch (m) {
    case ThresholdMethod::kAuto:
      return "auto";
    case ThresholdMethod::kBestF1:
      return "best_f1";
    case ThresholdMethod::kPercentile:
      return "percentile";
  }
  return "?";
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
  if (l.optimizer.kind == OptimizerKind::kSgd) j["momentum"] = AsDecimal(l.optimizer.momentum);
  if (l.schedule.kind == ScheduleKind::kStep) {
    j["lr_step_epochs"] = l.schedule.step_epochs;
    j["lr_factor"] = AsDecimal(l.schedule.gamma);
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
