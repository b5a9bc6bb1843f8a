#include "data/preprocessor.h"

#include <nlohmann/json.hpp>

namespace emlkit::data {

Result<Preprocessor> Preprocessor::FromModelMetadata(const nlohmann::json& metadata,
                                                     const std::string& model_path) {
  auto it = metadata.find("preprocessing");
  if (it == metadata.end() || !it->is_object())
    return Status::InvalidArgument(model_path + ": the metadata has no 'preprocessing' object");
  return FromDatasetJson(it->dump(), model_path + " (metadata 'preprocessing')");
}

Result<Preprocessor> Preprocessor::FromDatasetJson(const std::string& json_text,
                                                   const std::string& name) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("pipeline"))
    return Status::InvalidArgument(name +
                                   ": no \"pipeline\" object; is this a dataset.json "
                                   "written by emlkit data prepare?");
  EMLKIT_ASSIGN_OR_RETURN(PipelineSpec spec, PipelineFromJson(j["pipeline"], name));
  return Preprocessor(std::move(spec));
}

Preprocessor::Preprocessor(PipelineSpec spec)
    : spec_(std::make_unique<PipelineSpec>(std::move(spec))) {
  const PipelineSpec& s = *spec_;
  const int nc = static_cast<int>(s.columns.size());
  clip_ = std::make_unique<ClipStep>(s.clip_lo, s.clip_hi, s.clean.clip_mode == "missing");
  stuck_ = std::make_unique<StuckStep>(nc, s.clean.stuck_rows, s.clean.stuck);
  if (s.clean.spikes == "hampel")
    hampel_ = std::make_unique<HampelCausalStep>(nc, s.clean.hampel_window,
                                                 s.clean.hampel_threshold, s.hampel_min_scale);
  missing_ = std::make_unique<MissingStep>(nc, s.clean.missing != "drop");
  if (s.clean.resample > 0)
    resampler_ =
        std::make_unique<Resampler>(nc, s.clean.resample, s.clean.resample_method == "linear");
  windower_ = std::make_unique<Windower>(s);
  row_.resize(static_cast<size_t>(s.num_channels()));
  scaled_.resize(static_cast<size_t>(s.num_channels()));
}

Preprocessor::Preprocessor(Preprocessor&&) noexcept = default;
Preprocessor& Preprocessor::operator=(Preprocessor&&) noexcept = default;
Preprocessor::~Preprocessor() = default;

void Preprocessor::Reset() {
  stuck_->Reset();
  if (hampel_) hampel_->Reset();
  missing_->Reset();
  if (resampler_) resampler_->Reset();
  windower_->Reset();
}

int Preprocessor::Emit(double t, const double* values, std::vector<float>* records) {
  const PipelineSpec& s = *spec_;
  const size_t nc = s.columns.size();
  if (values != row_.data()) std::copy(values, values + nc, row_.begin());
  if (!s.time_features.empty()) TimeFeatures(s.time_features, t, row_.data() + nc);
  ScaleRow(s, row_.data(), scaled_.data());
  const size_t at = records->size();
  records->resize(at + static_cast<size_t>(record_size()));
  if (windower_->Push(scaled_.data(), records->data() + at)) return 1;
  records->resize(at);
  return 0;
}

int Preprocessor::PushAll(double t, const double* raw, std::vector<float>* records) {
  const PipelineSpec& s = *spec_;
  if (!s.timestamp.empty()) {
    if (has_prev_) {
      const double step = t - prev_t_;
      if (step == 0 && s.clean.duplicates == "drop") return 0;
      if (step < 0 || (s.clean.max_gap > 0 && step > s.clean.max_gap)) Reset();
    }
    has_prev_ = true;
    prev_t_ = t;
  }
  const size_t nc = s.columns.size();
  std::copy(raw, raw + nc, row_.begin());
  clip_->Push(row_.data());
  if (!stuck_->Push(row_.data())) return 0;
  if (hampel_) hampel_->Push(row_.data());
  if (!missing_->Push(row_.data())) return 0;
  if (!resampler_) return Emit(t, row_.data(), records);
  int n = 0;
  const std::vector<double> cleaned(row_.begin(), row_.begin() + static_cast<std::ptrdiff_t>(nc));
  resampler_->Push(t, cleaned.data(),
                   [&](double at, const double* v, bool) { n += Emit(at, v, records); });
  return n;
}

bool Preprocessor::Push(double t, const double* raw, float* record) {
  tmp_.clear();
  if (PushAll(t, raw, &tmp_) == 0) return false;
  std::copy(tmp_.end() - record_size(), tmp_.end(), record);
  return true;
}

}  // namespace emlkit::data
