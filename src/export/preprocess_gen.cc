#include "export/preprocess_gen.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/version.h"
#include "data/pipeline.h"
#include "tflite/metadata.h"
#include "tflite/model.h"

namespace emlkit::exporter {
namespace {

bool IsIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
  return true;
}

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// A C string literal of `s` (names come from CSV headers: escape quotes, backslashes and
// anything unprintable).
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\')
      out += fmt::format("\\{}", static_cast<char>(ch));
    else if (ch < 0x20 || ch >= 0x7f)
      out += fmt::format("\\{:03o}", ch);
    else
      out += static_cast<char>(ch);
  }
  return out + "\"";
}

// A C++ literal that reads back as exactly `v` (shortest round-trip decimal).
std::string DoubleLiteral(double v) {
  // <math.h>'s macros: freestanding C++11 (avr-libc has no <limits>).
  if (std::isnan(v)) return "static_cast<double>(NAN)";
  if (std::isinf(v))
    return v < 0 ? "-static_cast<double>(INFINITY)" : "static_cast<double>(INFINITY)";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string FloatLiteral(float v) {
  if (!std::isfinite(v)) return "static_cast<float>(" + DoubleLiteral(v) + ")";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

template <typename T, typename F>
std::string List(const std::vector<T>& v, F format) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + format(v[i]);
  return s;
}

std::string Names(const std::vector<std::string>& v) { return List(v, Quoted); }

// The steps the device code runs and their stand-ins, for the header comment.
std::string StepsComment(const data::PipelineSpec& p) {
  std::string s;
  auto add = [&](const std::string& line) { s += "//   " + line + "\n"; };
  if (!p.timestamp.empty())
    add(fmt::format("segments: time going back{}{} starts a new segment",
                    p.clean.max_gap > 0 ? fmt::format(" or a step over {} s", p.clean.max_gap) : "",
                    p.clean.duplicates == "drop" ? "; a repeated time is dropped" : ""));
  bool clip = false;
  for (size_t c = 0; c < p.columns.size(); ++c)
    clip |= std::isfinite(p.clip_lo[c]) || std::isfinite(p.clip_hi[c]);
  if (clip) add("clip to the physical ranges (" + p.clean.clip_mode + ")");
  if (p.clean.stuck_rows > 0)
    add(fmt::format("stuck: a value unchanged for more than {} rows: {}", p.clean.stuck_rows,
                    p.clean.stuck));
  if (p.clean.spikes == "hampel")
    add(fmt::format("causal Hampel filter, {} rows, threshold {}{}", p.clean.hampel_window,
                    p.clean.hampel_threshold,
                    p.clean.hampel_mode == "centered" ? " (training used a centred one)" : ""));
  add(p.clean.missing == "drop"
          ? "missing values: the row is dropped"
          : std::string("missing values: hold the last value") +
                (p.clean.missing == "interpolate" ? " (training interpolated)" : ""));
  if (p.clean.resample > 0)
    add(fmt::format("resample to a {} s grid ({})", p.clean.resample, p.clean.resample_method));
  for (const std::string& f : p.time_features)
    add(f == "tod" ? "time of day: tod_sin, tod_cos" : "weekend: 1 on Saturday and Sunday");
  add("scaling (" + p.scaling + "): (float(x) - offset) * scale");
  if (p.window.size > 0)
    add(fmt::format("window of {} rows, stride {}: {}", p.window.size, p.window.stride,
                    p.window.mode == "raw"
                        ? "the raw rows"
                        : "statistics " + fmt::format("{}", fmt::join(p.window.stats, ", "))));
  if (!p.online_exact()) add("differs from training: " + p.online_note());
  return s;
}

std::string StatEnum(const std::string& s) {
  static const char* const kNames[][2] = {{"mean", "kMean"},  {"std", "kStd"},   {"min", "kMin"},
                                          {"max", "kMax"},    {"last", "kLast"}, {"rms", "kRms"},
                                          {"slope", "kSlope"}};
  for (const auto& n : kNames)
    if (s == n[0]) return std::string("emlkit::pre::Stat::") + n[1];
  return "";
}

// Refuses what the device library does not implement, naming the step.
Status CheckSupported(const data::PipelineSpec& p, const std::string& where) {
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument(where + ": the preprocessing step " + what +
                                   " has no device code in emlkit export; prepare the data "
                                   "without it (see docs/dataset-json.md)");
  };
  if (p.clean.spikes != "none" && p.clean.spikes != "hampel")
    return bad("'spikes = " + p.clean.spikes + "'");
  if (p.clean.hampel_window < 1 && p.clean.spikes == "hampel") return bad("'hampel_window < 1'");
  if (p.clean.stuck != "report" && p.clean.stuck != "missing" && p.clean.stuck != "drop")
    return bad("'stuck = " + p.clean.stuck + "'");
  if (p.clean.missing != "hold" && p.clean.missing != "drop" && p.clean.missing != "interpolate" &&
      p.clean.missing != "error")
    return bad("'missing = " + p.clean.missing + "'");
  if (p.clean.resample > 0 && p.clean.resample_method != "linear" &&
      p.clean.resample_method != "last")
    return bad("'resample_method = " + p.clean.resample_method + "'");
  if (p.window.size > 0 && p.window.mode != "raw" && p.window.mode != "stats")
    return bad("'window.mode = " + p.window.mode + "'");
  for (const std::string& s : p.window.stats)
    if (StatEnum(s).empty()) return bad("'window statistic " + s + "'");
  return Status::Ok();
}

std::string Header(const data::PipelineSpec& p, const PreprocessGenOptions& o,
                   const std::string& banner) {
  const std::string n = o.name, N = Upper(o.name);
  std::string h = banner;
  h += fmt::format(
      "//\n// The model's preprocessing on the device: raw sensor rows in, the model's input out, "
      "as\n"
      "// `emlkit data prepare` computed it for training. Per row:\n{}"
      "//\n"
      "//   float features[{N}_RECORD_SIZE];\n"
      "//   float raw[{N}_NUM_COLUMNS] = {{...}};      // {cols}; NAN = missing\n"
      "//   if ({n}_push_row(t_seconds, raw, features) > 0) {{ /* run the model */ }}\n"
      "#ifndef {N}_PREPROCESS_H_\n#define {N}_PREPROCESS_H_\n\n#include <stdint.h>\n\n"
      "#ifdef __cplusplus\nextern \"C\" {{\n#endif\n\n",
      StepsComment(p), fmt::arg("N", N), fmt::arg("n", n),
      fmt::arg("cols", fmt::format("{}", fmt::join(p.columns, ", "))));
  h += fmt::format("#define {}_NUM_COLUMNS {}  // raw values per row\n", N, p.columns.size());
  h +=
      fmt::format("#define {}_NUM_CHANNELS {}  // columns + time features\n", N, p.channels.size());
  h += fmt::format("#define {}_RECORD_SIZE {}  // floats per record: the model's input\n", N,
                   p.record_size());
  h += fmt::format("#define {}_WINDOW_SIZE {}  // rows per record (0: every row)\n", N,
                   p.window.size);
  h += fmt::format("#define {}_WINDOW_STRIDE {}\n", N, p.window.size > 0 ? p.window.stride : 1);
  h += fmt::format(
      "#define {}_PERIOD_S {}  // the training rows' period: feed rows at this rate (0: any)\n", N,
      DoubleLiteral(p.period_s));
  h += fmt::format("#define {}_COLUMN_NAMES {{{}}}\n", N, Names(p.columns));
  h += fmt::format("#define {}_FEATURE_NAMES {{{}}}\n", N, Names(p.feature_names));
  if (o.input_int8) {
    h += fmt::format("#define {}_INPUT_INT8 1\n#define {}_INPUT_SCALE {}\n", N, N,
                     FloatLiteral(o.input_int8->scale));
    h += fmt::format("#define {}_INPUT_ZERO_POINT {}\n", N, o.input_int8->zero_point);
  }
  h += fmt::format(
      "\n// Starts a new stream: forgets the window, held values and filters.\n"
      "void {n}_reset(void);\n"
      "// One sensor row: t in seconds since 1970-01-01 (local time), raw_row[{N}_NUM_COLUMNS]. "
      "Returns\n// the number of records the row completed and writes the last one to "
      "features_out.\n"
      "int {n}_push_row(double t, const float* raw_row, float* features_out);\n"
      "int {n}_push_row_double(double t, const double* raw_row, float* features_out);\n"
      "// The same, calling on_record for every completed record (several with resampling).\n"
      "int {n}_push_row_each(double t, const double* raw_row,\n"
      "                      void (*on_record)(const float* features, void* user), void* "
      "user);\n",
      fmt::arg("n", n), fmt::arg("N", N));
  if (o.input_int8)
    h += fmt::format(
        "// The record as the model's int8 input: round(x / scale) + zero_point, clamped.\n"
        "void {}_quantize(const float* features, int8_t* input_out);\n",
        n);
  h += fmt::format(
      "\n#ifdef __cplusplus\n}}  // extern \"C\"\n#endif\n\n#endif  // {}_PREPROCESS_H_\n", N);
  return h;
}

std::string Source(const data::PipelineSpec& p, const PreprocessGenOptions& o,
                   const std::string& banner) {
  const std::string n = o.name, N = Upper(o.name);
  const size_t nc = p.columns.size();
  bool clip = false;
  for (size_t c = 0; c < nc; ++c)
    clip |= std::isfinite(p.clip_lo[c]) || std::isfinite(p.clip_hi[c]);
  const bool hampel = p.clean.spikes == "hampel";
  const bool resample = p.clean.resample > 0;
  const int window = std::max(p.window.size, 1);
  std::string s = banner;
  s += fmt::format(
      "#include \"{n}_preprocess.h\"\n\n#include <math.h>\n\n#include "
      "\"preprocess/preprocess.h\"\n\n"
      "namespace {{\n\n",
      fmt::arg("n", n));
  if (clip) {
    s += "// Physical ranges per column (" + fmt::format("{}", fmt::join(p.columns, ", ")) + ")\n";
    s += "const double kClipLo[] = {" + List(p.clip_lo, DoubleLiteral) + "};\n";
    s += "const double kClipHi[] = {" + List(p.clip_hi, DoubleLiteral) + "};\n";
  }
  if (hampel)
    s += "// Hampel scale floor per column (the column's median non-zero step)\nconst double "
         "kHampelMinScale[] = {" +
         List(p.hampel_min_scale, DoubleLiteral) + "};\n";
  if (!p.time_features.empty())
    s += "const emlkit::pre::TimeFeature kTimeFeatures[] = {" +
         List(p.time_features,
              [](const std::string& f) {
                return std::string(f == "tod" ? "emlkit::pre::TimeFeature::kTod"
                                              : "emlkit::pre::TimeFeature::kWeekend");
              }) +
         "};\n";
  s += "// Scaling per channel (" + fmt::format("{}", fmt::join(p.channels, ", ")) + ")\n";
  s += "const float kOffset[] = {" + List(p.offset, FloatLiteral) + "};\n";
  s += "const float kScale[] = {" + List(p.scale, FloatLiteral) + "};\n";
  const bool stats = p.window.size > 0 && p.window.mode != "raw";
  if (stats) s += "const emlkit::pre::Stat kStats[] = {" + List(p.window.stats, StatEnum) + "};\n";
  auto ptr = [](bool on, const char* name) { return std::string(on ? name : "nullptr"); };
  s += fmt::format(
      "\nconst emlkit::pre::Config kConfig = {{\n"
      "    {nc},  // num_columns\n"
      "    {nch},  // num_channels\n"
      "    {ts},  // has_timestamp\n"
      "    {dup},  // drop_duplicates\n"
      "    {gap},  // max_gap_s\n"
      "    {clo},  // clip_lo\n"
      "    {chi},  // clip_hi\n"
      "    {cmiss},  // clip_to_missing\n"
      "    {stuck_rows},  // stuck_rows\n"
      "    emlkit::pre::Stuck::{stuck},  // stuck\n"
      "    {hw},  // hampel_window\n"
      "    {ht},  // hampel_threshold\n"
      "    {hms},  // hampel_min_scale\n"
      "    {hold},  // missing_hold\n"
      "    {rs},  // resample_s\n"
      "    {rsl},  // resample_linear\n"
      "    {tf},  // time_features\n"
      "    {ntf},  // num_time_features\n"
      "    kOffset,\n    kScale,\n"
      "    {ws},  // window_size\n"
      "    {wst},  // window_stride\n"
      "    {raw},  // window_raw\n"
      "    {st},  // stats\n"
      "    {nst},  // num_stats\n"
      "    {rsz},  // record_size\n"
      "}};\n\n",
      fmt::arg("nc", nc), fmt::arg("nch", p.channels.size()),
      fmt::arg("ts", p.timestamp.empty() ? "false" : "true"),
      fmt::arg("dup", p.clean.duplicates == "drop" ? "true" : "false"),
      fmt::arg("gap", DoubleLiteral(p.clean.max_gap)), fmt::arg("clo", ptr(clip, "kClipLo")),
      fmt::arg("chi", ptr(clip, "kClipHi")),
      fmt::arg("cmiss", p.clean.clip_mode == "missing" ? "true" : "false"),
      fmt::arg("stuck_rows", p.clean.stuck_rows),
      fmt::arg("stuck", p.clean.stuck == "missing" ? "kMissing"
                        : p.clean.stuck == "drop"  ? "kDrop"
                                                   : "kReport"),
      fmt::arg("hw", hampel ? p.clean.hampel_window : 0),
      fmt::arg("ht", DoubleLiteral(p.clean.hampel_threshold)),
      fmt::arg("hms", ptr(hampel, "kHampelMinScale")),
      fmt::arg("hold", p.clean.missing != "drop" ? "true" : "false"),
      fmt::arg("rs", DoubleLiteral(p.clean.resample)),
      fmt::arg("rsl", p.clean.resample_method == "linear" ? "true" : "false"),
      fmt::arg("tf", ptr(!p.time_features.empty(), "kTimeFeatures")),
      fmt::arg("ntf", p.time_features.size()), fmt::arg("ws", p.window.size),
      fmt::arg("wst", p.window.size > 0 ? p.window.stride : 1),
      fmt::arg("raw", p.window.mode == "raw" ? "true" : "false"),
      fmt::arg("st", ptr(stats, "kStats")), fmt::arg("nst", stats ? p.window.stats.size() : 0),
      fmt::arg("rsz", p.record_size()));
  // State: fixed-size buffers for this model.
  const int hw = hampel ? p.clean.hampel_window : 1;
  const size_t nch = p.channels.size();
  s += "// State, sized for this model.\n";
  s += fmt::format("double g_row[{}];\n", nch);
  const size_t sn = p.clean.stuck_rows > 0 ? nc : 1;  // unused (one element) when off
  s += fmt::format("double g_stuck_last[{}];\nint32_t g_stuck_run[{}];\n", sn, sn);
  s += fmt::format("double g_hampel_ring[{}];\ndouble g_hampel_scratch[{}];\n", nc * hw, hw);
  s += fmt::format("int32_t g_hampel_filled[{}];\nint32_t g_hampel_next[{}];\n", nc, nc);
  s += fmt::format("double g_held[{}];\n", nc);
  const size_t rn = resample ? nc : 1;
  s += fmt::format(
      "double g_resample_in[{}];\ndouble g_resample_v0[{}];\ndouble g_resample_out[{}];\n", rn, rn,
      rn);
  s += fmt::format("float g_scaled[{}];\nfloat g_ring[{}];\n", nch,
                   static_cast<size_t>(window) * nch);
  s += fmt::format("float g_record[{}];\n", p.record_size());
  s += "emlkit::pre::Preprocessor g_pre;\nbool g_ready = false;\n\n";
  s += "void Start() {\n"
       "  emlkit::pre::Buffers b;\n"
       "  b.row = g_row;\n  b.stuck_last = g_stuck_last;\n  b.stuck_run = g_stuck_run;\n"
       "  b.hampel_ring = g_hampel_ring;\n  b.hampel_scratch = g_hampel_scratch;\n"
       "  b.hampel_filled = g_hampel_filled;\n  b.hampel_next = g_hampel_next;\n"
       "  b.held = g_held;\n  b.resample_in = g_resample_in;\n  b.resample_v0 = g_resample_v0;\n"
       "  b.resample_out = g_resample_out;\n  b.scaled = g_scaled;\n  b.ring = g_ring;\n"
       "  b.record = g_record;\n"
       "  g_pre.Init(&kConfig, b);\n  g_ready = true;\n}\n\n";
  s += fmt::format(
      "void CopyRecord(const float* record, void* out) {{\n"
      "  float* dst = static_cast<float*>(out);\n"
      "  for (int i = 0; i < {N}_RECORD_SIZE; ++i) dst[i] = record[i];\n}}\n\n"
      "}}  // namespace\n\n"
      "extern \"C\" void {n}_reset(void) {{ Start(); }}\n\n"
      "extern \"C\" int {n}_push_row_each(double t, const double* raw_row,\n"
      "                                 void (*on_record)(const float* features, void* user),\n"
      "                                 void* user) {{\n"
      "  if (!g_ready) Start();\n"
      "  return g_pre.Push(t, raw_row, on_record, user);\n}}\n\n"
      "extern \"C\" int {n}_push_row_double(double t, const double* raw_row, float* features_out) "
      "{{\n"
      "  return {n}_push_row_each(t, raw_row, CopyRecord, features_out);\n}}\n\n"
      "extern \"C\" int {n}_push_row(double t, const float* raw_row, float* features_out) {{\n"
      "  double raw[{N}_NUM_COLUMNS];\n"
      "  for (int i = 0; i < {N}_NUM_COLUMNS; ++i) raw[i] = raw_row[i];\n"
      "  return {n}_push_row_each(t, raw, CopyRecord, features_out);\n}}\n",
      fmt::arg("n", n), fmt::arg("N", N));
  if (o.input_int8)
    s += fmt::format(
        "\nextern \"C\" void {n}_quantize(const float* features, int8_t* input_out) {{\n"
        "  emlkit::pre::QuantizeInt8(features, {N}_RECORD_SIZE, {N}_INPUT_SCALE, "
        "{N}_INPUT_ZERO_POINT,\n"
        "                            input_out);\n}}\n",
        fmt::arg("n", n), fmt::arg("N", N));
  return s;
}

}  // namespace

Result<GeneratedSources> GeneratePreprocess(const nlohmann::json& metadata,
                                            const PreprocessGenOptions& options,
                                            const std::string& where) {
  if (!IsIdentifier(options.name))
    return Status::InvalidArgument("export name '" + options.name +
                                   "' is not a C identifier (letters, digits and '_', not "
                                   "starting with a digit); pick another --name");
  auto pre = metadata.find("preprocessing");
  if (pre == metadata.end() || !pre->is_object() || !pre->contains("pipeline"))
    return Status::InvalidArgument(
        where +
        ": the emlkit metadata has no 'preprocessing' pipeline, so there is no preprocessing to "
        "export; train the model with emlkit train on a data set from emlkit data prepare");
  EMLKIT_ASSIGN_OR_RETURN(data::PipelineSpec spec,
                          data::PipelineFromJson((*pre)["pipeline"], where + " (preprocessing)"));
  EMLKIT_RETURN_IF_ERROR(CheckSupported(spec, where));
  auto shape = metadata.find("input_shape");
  if (shape != metadata.end() && shape->is_array()) {
    int64_t elements = 1;
    for (const auto& d : *shape) elements *= d.is_number_integer() ? d.get<int64_t>() : 0;
    if (elements != spec.record_size())
      return Status::InvalidArgument(fmt::format(
          "{}: the preprocessing makes records of {} values but the model's input_shape holds "
          "{}; the metadata does not belong to this model",
          where, spec.record_size(), elements));
  }
  const std::string banner =
      fmt::format("// Generated by emlkit {} from {}{}. Do not edit: run emlkit export again.\n",
                  kVersion, options.model_file,
                  options.model_sha256.empty() ? "" : " (sha256 " + options.model_sha256 + ")");
  GeneratedSources out;
  out.files.push_back({options.name + "_preprocess.h", Header(spec, options, banner)});
  out.files.push_back({options.name + "_preprocess.cc", Source(spec, options, banner)});
  out.runtime_files = {"preprocess/preprocess.h", "preprocess/preprocess.cc"};
  return out;
}

Result<GeneratedSources> GeneratePreprocessForModel(const tflite::Model& model,
                                                    const std::string& model_path,
                                                    const std::string& name,
                                                    const std::string& model_sha256) {
  EMLKIT_ASSIGN_OR_RETURN(std::optional<nlohmann::json> md,
                          tflite::GetEmlkitMetadata(model, model_path));
  if (!md)
    return Status::InvalidArgument(model_path +
                                   ": the model has no emlkit metadata, so its preprocessing is "
                                   "unknown; export a model made by emlkit train");
  PreprocessGenOptions o;
  o.name = name;
  const size_t slash = model_path.find_last_of('/');
  o.model_file = slash == std::string::npos ? model_path : model_path.substr(slash + 1);
  o.model_sha256 = model_sha256;
  if (model.inputs.size() != 1)
    return Status::InvalidArgument(
        fmt::format("{}: the model has {} inputs; the generated preprocessing feeds exactly one",
                    model_path, model.inputs.size()));
  const tflite::Tensor& in = model.tensors[static_cast<size_t>(model.inputs[0])];
  int64_t elements = 1;
  for (int32_t d : in.shape) elements *= d;
  if (md->contains("input_shape") && (*md)["input_shape"].is_array()) {
    int64_t recorded = 1;
    for (const auto& d : (*md)["input_shape"])
      recorded *= d.is_number_integer() ? d.get<int64_t>() : 0;
    if (recorded != elements)
      return Status::InvalidArgument(fmt::format(
          "{}: the input tensor '{}' holds {} values but the metadata's input_shape {}; the "
          "metadata does not belong to this model",
          model_path, in.name, elements, recorded));
  }
  if (in.type == tflite::TensorType::kInt8) {
    if (!in.quant || in.quant->scale.size() != 1 || in.quant->zero_point.size() != 1)
      return Status::InvalidArgument(model_path + ": the int8 input '" + in.name +
                                     "' needs one scale and zero point");
    o.input_int8 =
        InputQuantization{in.quant->scale[0], static_cast<int32_t>(in.quant->zero_point[0])};
  } else if (in.type != tflite::TensorType::kFloat32) {
    return Status::InvalidArgument(model_path + ": the input '" + in.name + "' is " +
                                   tflite::TensorTypeName(in.type) +
                                   "; the generated preprocessing feeds float32 or int8 inputs");
  }
  return GeneratePreprocess(*md, o, model_path);
}

}  // namespace emlkit::exporter
