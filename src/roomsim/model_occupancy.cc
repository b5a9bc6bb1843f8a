#include "roomsim/model_occupancy.h"

#include <cstdlib>

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "app/thermostat.h"
#include "common/fs.h"
#include "data/preprocessor.h"
#include "roomsim/weather.h"
#include "tflite/metadata.h"
#include "tflite/model.h"
#include "tflite/runner.h"

namespace emlkit::roomsim {
namespace {

enum class Source { kTemperature, kHumidity, kLight, kCo2, kMotion, kHumidityRatio };

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Result<Source> SourceFor(const std::string& column, const std::string& path) {
  std::string c = Lower(column);
  if (c == "temperature_c" || c == "temperature") return Source::kTemperature;
  if (c == "humidity_pct" || c == "humidity") return Source::kHumidity;
  if (c == "light_lux" || c == "light") return Source::kLight;
  if (c == "co2_ppm" || c == "co2") return Source::kCo2;
  if (c == "motion") return Source::kMotion;
  if (c == "humidityratio") return Source::kHumidityRatio;
  if (c == "occupied" || c == "occupants" || c == "heater_w" || c == "fault" || c == "occupancy")
    return Status::InvalidArgument(path + ": the model takes '" + column +
                                   "' as an input, but that column is ground truth (or the "
                                   "controller's own output), not a sensor; train it on sensor "
                                   "columns only");
  return Status::InvalidArgument(
      path + ": the model takes the column '" + column +
      "', which the room simulator does not have (it has temperature_c, humidity_pct, "
      "light_lux, co2_ppm, motion; or Temperature, Humidity, Light, CO2, HumidityRatio)");
}

Result<int> OccupiedClass(const std::vector<std::string>& labels, const std::string& path) {
  for (size_t i = 0; i < labels.size(); ++i) {
    std::string l = Lower(labels[i]);
    if (l == "1" || l == "occupied" || l == "true" || l == "yes") return static_cast<int>(i);
  }
  if (labels.size() == 2) {
    for (int i = 0; i < 2; ++i) {
      std::string l = Lower(labels[static_cast<size_t>(i)]);
      if (l == "0" || l == "unoccupied" || l == "empty" || l == "false" || l == "no") return 1 - i;
    }
  }
  std::string names;
  for (const std::string& l : labels) names += (names.empty() ? "" : ", ") + l;
  return Status::InvalidArgument(path + ": none of the model's classes (" + names +
                                 ") reads as 'occupied'; name the classes 0/1 or "
                                 "unoccupied/occupied when preparing the data");
}

// The builtin name of the operator that really computes `tensor`, looking through (DE)QUANTIZE.
std::string ProducerOp(const tflite::Runner& r, int32_t tensor) {
  for (int guard = 0; guard < 4; ++guard) {
    int32_t producer = -1;
    for (int32_t k = 0; k < r.num_ops(); ++k) {
      std::vector<int32_t> outs = r.op_outputs(k);
      if (std::find(outs.begin(), outs.end(), tensor) != outs.end()) producer = k;
    }
    if (producer < 0) return "";
    std::string name = r.op_name(producer);
    if (name != "DEQUANTIZE" && name != "QUANTIZE") return name;
    std::vector<int32_t> ins = r.op_inputs(producer);
    if (ins.empty()) return name;
    tensor = ins[0];
  }
  return "";
}

}  // namespace

struct TfliteOccupancyModel::Impl {
  Impl(data::Preprocessor p, tflite::Runner r) : pre(std::move(p)), runner(std::move(r)) {}
  data::Preprocessor pre;
  tflite::Runner runner;
  std::string path;
  std::vector<Source> sources;
  std::vector<double> raw;
  std::vector<float> record;
  bool probabilities = false;  // the output passed through SOFTMAX / LOGISTIC
};

TfliteOccupancyModel::TfliteOccupancyModel() = default;
TfliteOccupancyModel::~TfliteOccupancyModel() = default;

Result<std::unique_ptr<TfliteOccupancyModel>> TfliteOccupancyModel::Open(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model model, tflite::ReadModel(bytes.data(), bytes.size(), path));
  EMLKIT_ASSIGN_OR_RETURN(std::optional<nlohmann::json> found,
                          tflite::GetEmlkitMetadata(model, path));
  if (!found)
    return Status::InvalidArgument(path +
                                   ": no 'emlkit' metadata; thermostat-eval needs a model made "
                                   "by emlkit train (the metadata carries its preprocessing)");
  const nlohmann::json& meta = *found;
  if (meta.value("task", "") != "classification")
    return Status::InvalidArgument(path + ": the model's task is '" + meta.value("task", "") +
                                   "'; occupancy needs a classification model");
  auto labels_it = meta.find("labels");
  if (labels_it == meta.end() || !labels_it->is_array() || labels_it->size() < 2)
    return Status::InvalidArgument(path + ": the metadata has no 'labels' (class names)");
  std::vector<std::string> labels;
  for (const auto& l : *labels_it) {
    if (!l.is_string()) return Status::InvalidArgument(path + ": 'labels' must hold strings");
    labels.push_back(l.get<std::string>());
  }
  EMLKIT_ASSIGN_OR_RETURN(data::Preprocessor pre,
                          data::Preprocessor::FromModelMetadata(meta, path));
  EMLKIT_ASSIGN_OR_RETURN(int occupied, OccupiedClass(labels, path));
  std::vector<Source> sources;
  for (const std::string& c : pre.columns()) {
    EMLKIT_ASSIGN_OR_RETURN(Source s, SourceFor(c, path));
    sources.push_back(s);
  }
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner runner, tflite::Runner::FromBytes(std::move(bytes), path));
  if (runner.num_inputs() != 1 || runner.num_outputs() != 1)
    return Status::Unsupported(path + ": thermostat-eval needs one input and one output tensor");
  int64_t in_elems = 1, out_elems = 1;
  for (int64_t d : runner.input(0).shape) in_elems *= d;
  for (int64_t d : runner.output(0).shape) out_elems *= d;
  if (in_elems != pre.record_size())
    return Status::InvalidArgument(path + ": the input tensor holds " + std::to_string(in_elems) +
                                   " values but the preprocessing makes records of " +
                                   std::to_string(pre.record_size()));
  if (out_elems != static_cast<int64_t>(labels.size()) && !(out_elems == 1 && labels.size() == 2))
    return Status::InvalidArgument(path + ": the output tensor holds " + std::to_string(out_elems) +
                                   " values for " + std::to_string(labels.size()) + " classes");
  std::string last = ProducerOp(runner, runner.output(0).index);

  auto m = std::unique_ptr<TfliteOccupancyModel>(new TfliteOccupancyModel());
  m->impl_ = std::make_unique<Impl>(std::move(pre), std::move(runner));
  m->impl_->path = path;
  m->impl_->sources = std::move(sources);
  m->impl_->raw.resize(m->impl_->sources.size());
  m->impl_->record.resize(static_cast<size_t>(m->impl_->pre.record_size()));
  m->impl_->probabilities = last == "SOFTMAX" || last == "LOGISTIC";
  m->labels_ = std::move(labels);
  m->path_ = path;
  m->occupied_class_ = occupied;
  return m;
}

const std::vector<std::string>& TfliteOccupancyModel::columns() const {
  return impl_->pre.columns();
}

Status TfliteOccupancyModel::Reset() {
  impl_->pre.Reset();
  return impl_->runner.ResetState();
}

Result<float> TfliteOccupancyModel::Run(double t, const double* v) {
  Impl& m = *impl_;
  for (size_t i = 0; i < m.sources.size(); ++i) {
    switch (m.sources[i]) {
      case Source::kTemperature:
        m.raw[i] = v[0];
        break;
      case Source::kHumidity:
        m.raw[i] = v[1];
        break;
      case Source::kLight:
        m.raw[i] = v[2];
        break;
      case Source::kCo2:
        m.raw[i] = v[3];
        break;
      case Source::kMotion:
        m.raw[i] = v[4];
        break;
      case Source::kHumidityRatio: {
        double pv = v[1] / 100.0 * SaturationPressure(v[0]);
        m.raw[i] = 0.622 * pv / (101325.0 - pv);  // NaN stays NaN
        break;
      }
    }
  }
  if (!m.pre.Push(t, m.raw.data(), m.record.data())) return NAN;
  EMLKIT_RETURN_IF_ERROR(m.runner.SetInputFloat(0, m.record));
  EMLKIT_RETURN_IF_ERROR(m.runner.Invoke());
  std::vector<float> out = m.runner.OutputFloat(0);
  // The device code's reading of the scores (the firmware and the Arduino example call it too).
  return app::OccupancyFromScores(out.data(), static_cast<int32_t>(out.size()), occupied_class_,
                                  m.probabilities);
}

Result<float> TfliteOccupancyModel::Predict(const Sample& s) {
  if (s.row_missing) return NAN;  // the device got no reading this period
  double v[5] = {s.readings.value[kTemperature], s.readings.value[kHumidity],
                 s.readings.value[kLight], s.readings.value[kCo2],
                 s.readings.motion < 0 ? NAN : static_cast<double>(s.readings.motion)};
  return Run(static_cast<double>(s.time_s), v);
}

Result<float> TfliteOccupancyModel::PredictNamed(double t, double temperature_c,
                                                 double humidity_pct, double light_lux,
                                                 double co2_ppm, double motion) {
  double v[5] = {temperature_c, humidity_pct, light_lux, co2_ppm, motion};
  return Run(t, v);
}

double TfliteOccupancyModel::training_period_s() const { return impl_->pre.spec().period_s; }

Status TfliteOccupancyModel::CheckPeriod(double period_s) const {
  const data::PipelineSpec& spec = impl_->pre.spec();
  const std::string counted = spec.row_counting_steps();
  if (spec.period_s <= 0 || period_s <= 0 || counted.empty()) return Status::Ok();
  if (std::fabs(spec.period_s - period_s) <= 0.01 * spec.period_s) return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "{}: trained on rows {:g} s apart, and its preprocessing counts rows ({}); this run samples "
      "every {:g} s. Run at --period {:g}s, or prepare data sampled every {:g} s and retrain",
      path_, spec.period_s, counted, period_s, spec.period_s, period_s));
}

OracleOccupancy::~OracleOccupancy() = default;

void OracleOccupancy::BeginRun(const SimConfig& config) { config_ = config; }

Status OracleOccupancy::Reset() {
  shadow_.reset();
  ahead_.clear();
  head_ = 0;
  occupied_ahead_ = 0;
  const int64_t rows = lookahead_s_ / config_.period_s;
  if (rows <= 0) return Status::Ok();
  EMLKIT_ASSIGN_OR_RETURN(shadow_, RoomSimulator::Create(config_));
  // The shadow runs `rows` periods ahead of the closed loop.
  for (int64_t i = 0; i < rows; ++i) {
    bool occupied = !shadow_->done() && shadow_->Step(0).occupied;
    ahead_.push_back(occupied);
    occupied_ahead_ += occupied ? 1 : 0;
  }
  return Status::Ok();
}

Result<float> OracleOccupancy::Predict(const Sample& sample) {
  if (!shadow_) return sample.occupied ? 1.0f : 0.0f;
  // Slide the window: drop the period just simulated, add the one `rows` ahead.
  occupied_ahead_ -= ahead_[head_] ? 1 : 0;
  const bool next = !shadow_->done() && shadow_->Step(0).occupied;
  ahead_[head_] = next;
  occupied_ahead_ += next ? 1 : 0;
  head_ = (head_ + 1) % ahead_.size();
  return sample.occupied || occupied_ahead_ > 0 ? 1.0f : 0.0f;
}

Result<std::unique_ptr<OccupancyModel>> OpenModelOccupancy(const std::string& path,
                                                           double period_s) {
  const std::string oracle = kOracleModelName;
  if (path == oracle) return std::unique_ptr<OccupancyModel>(new OracleOccupancy());
  if (path.rfind(oracle + ":", 0) == 0) {
    const std::string minutes = path.substr(oracle.size() + 1);
    char* end = nullptr;
    const long m = std::strtol(minutes.c_str(), &end, 10);
    if (minutes.empty() || *end != '\0' || m < 0 || m > 24 * 60)
      return Status::InvalidArgument("--model " + path +
                                     ": the oracle's lookahead must be whole minutes from 0 to "
                                     "1440, e.g. @oracle:30");
    return std::unique_ptr<OccupancyModel>(new OracleOccupancy(static_cast<int>(m) * 60));
  }
  EMLKIT_ASSIGN_OR_RETURN(std::unique_ptr<TfliteOccupancyModel> m,
                          TfliteOccupancyModel::Open(path));
  EMLKIT_RETURN_IF_ERROR(m->CheckPeriod(period_s));
  return std::unique_ptr<OccupancyModel>(std::move(m));
}

}  // namespace emlkit::roomsim
