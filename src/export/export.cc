#include "export/export.h"

#include <fmt/format.h>
#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/fs.h"
#include "common/sha256.h"
#include "export/aot.h"
#include "export/c_array.h"
#include "export/engine_aot.h"
#include "export/engine_interpreter.h"
#include "export/packages.h"
#include "export/preprocess_gen.h"
#include "export/runtime_files.h"
#include "export/thermostat_example.h"
#include "tflite/metadata.h"
#include "tflite/model.h"
#include "tflite/op_support.h"
#include "tflite/runner.h"

namespace fs = std::filesystem;

namespace emlkit::exporter {
namespace {

constexpr struct {
  Format format;
  const char* name;
} kFormats[] = {{Format::kCArray, "c-array"},  {Format::kTflite, "tflite"},
                {Format::kArduino, "arduino"}, {Format::kEspIdf, "espidf"},
                {Format::kCMake, "cmake"},     {Format::kLinux, "linux"},
                {Format::kAot, "aot"}};

int32_t TypeCode(const std::string& type_name) {
  for (int32_t t = 0; t < 32; ++t) {
    if (type_name == rt::TensorTypeName(static_cast<rt::TensorType>(t))) return t;
  }
  return -1;
}

TensorInfo Describe(const tflite::RunnerTensor& t) {
  return {t.name, TypeCode(t.type), t.type, t.shape, t.bytes, t.scale, t.zero_point};
}

// The host plan (runner) comes from the x86 kernels; the portable kernels the packages ship ask
// each int8 FULLY_CONNECTED for 2 x depth bytes of scratch (kernels/fully_connected_portable.h,
// up to kMaxScratchDepth). Adding them all (16-byte aligned) bounds the portable plan from above.
size_t PortableScratchMargin(const tflite::Model& model) {
  size_t margin = 0;
  for (const tflite::Operator& op : model.operators) {
    if (op.builtin_code != tflite::op::kFullyConnected || op.inputs.size() < 2) continue;
    const tflite::Tensor& in = model.tensors[op.inputs[0]];
    const tflite::Tensor& w = model.tensors[op.inputs[1]];
    if (in.type != tflite::TensorType::kInt8 || w.shape.size() != 2) continue;
    margin += (2 * static_cast<size_t>(w.shape[1]) + 15) / 16 * 16;
  }
  return margin;
}

// Removes `<final>.tmp-<pid>-<n>` folders left by runs that no longer exist (killed mid-export).
void RemoveStaleStaging(const std::string& final_path) {
  fs::path final(final_path);
  fs::path parent = final.parent_path().empty() ? fs::path(".") : final.parent_path();
  const std::string prefix = final.filename().string() + ".tmp-";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string n = e.path().filename().string();
    if (!n.starts_with(prefix) || !e.is_directory(ec)) continue;
    const long pid = std::strtol(n.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      fs::remove_all(e.path(), ec);
    }
  }
}

// The output folder: checked before any work (its parent must exist; it may exist as a folder).
Status CheckOutFolder(const std::string& out) {
  if (out.empty()) return Status::InvalidArgument("--out is required: the folder to write");
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_directory(out, ec)) {
    return Status::InvalidArgument(out + ": --out exists and is not a folder; choose another path");
  }
  fs::path parent = fs::path(out).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return Status::InvalidArgument(
        fmt::format("{}: the parent folder '{}' of --out does not exist; create it first", out,
                    parent.string()));
  }
  return Status::Ok();
}

Status WriteTflite(const ExportOptions& o, const ModelInfo& m, ExportResult* r) {
  EMLKIT_RETURN_IF_ERROR(CheckWritableFile(o.out));
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(o.out, m.data.data(), m.data.size()));
  r->out = o.out;
  return Status::Ok();
}

Status WriteFolder(const std::string& out, const std::vector<GeneratedFile>& files,
                   ExportResult* r) {
  RemoveStaleStaging(out);
  StagedDir dir;
  EMLKIT_RETURN_IF_ERROR(dir.Begin(out));
  for (const GeneratedFile& f : files) {
    const std::string path = dir.Path(f.path);
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (ec) return Status::IOError(fmt::format("{}: cannot create: {}", path, ec.message()));
    EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(path, f.content));
    r->files.push_back(f.path);
  }
  EMLKIT_RETURN_IF_ERROR(dir.Commit());
  r->out = dir.final_path();
  return Status::Ok();
}

// --- Device preprocessing (issue 12) ---------------------------------------------------------
// When the model's metadata records its preprocessing, the generated NAME_preprocess.{h,cc}
// (src/export/preprocess_gen.h) join the package as one more part; without it (or with
// --no-preprocess) nothing is added and r->preprocess_note says why.
Status AddPreprocessing(const ExportOptions& o, const ModelInfo& m,
                        std::vector<GeneratedSources>* parts, ExportResult* r) {
  if (!o.preprocess) {
    r->preprocess_note = "preprocessing: left out (--no-preprocess)";
    return Status::Ok();
  }
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model model, tflite::ReadModelFile(o.model));
  EMLKIT_ASSIGN_OR_RETURN(std::optional<nlohmann::json> md,
                          tflite::GetEmlkitMetadata(model, o.model));
  if (!md || !md->contains("preprocessing")) {
    r->preprocess_note =
        "preprocessing: none (the model's metadata records none; feed it ready features)";
    return Status::Ok();
  }
  Result<GeneratedSources> g = GeneratePreprocessForModel(model, o.model, m.name, m.sha256);
  if (!g.ok()) {
    return g.status().WithContext(
        "the device preprocessing cannot be generated (--no-preprocess exports the model "
        "without it)");
  }
  r->preprocess_note = fmt::format("preprocessing: {}_preprocess.h ({}_push_row)", m.name, m.name);
  parts->push_back(std::move(*g));
  return Status::Ok();
}

// c-array and aot have no package layout: the preprocessing files go next to the model's files
// and the runtime files they need under `runtime_prefix` (c-array: runtime/, compiled with
// -Iruntime; aot: "", the folder itself, which is already the include root).
Status AddPreprocessingFlat(const ExportOptions& o, const ModelInfo& m,
                            const std::string& runtime_prefix, std::vector<GeneratedFile>* files,
                            ExportResult* r) {
  std::vector<GeneratedSources> parts;
  EMLKIT_RETURN_IF_ERROR(AddPreprocessing(o, m, &parts, r));
  for (const GeneratedSources& part : parts) {
    for (const GeneratedFile& f : part.files) files->push_back(f);
    for (const std::string& rf : part.runtime_files) {
      const RuntimeFile* f = FindRuntimeFile(rf);
      if (f == nullptr)
        return Status::Internal("runtime file " + rf + " is not embedded in emlkit");
      files->push_back({runtime_prefix + rf, std::string(f->content)});
      r->runtime_files.push_back(rf);
    }
  }
  return Status::Ok();
}
// --example thermostat (--format arduino): the model must be an occupancy model over the
// thermostat's sensors (CheckThermostatModel); the controller's runtime files join as a part.
Status CheckExample(const ExportOptions& o) {
  if (o.example.empty()) return Status::Ok();
  if (o.example != "thermostat")
    return Status::InvalidArgument(
        fmt::format("--example '{}' is not one of: thermostat", o.example));
  if (o.format != Format::kArduino)
    return Status::InvalidArgument(
        fmt::format("--example thermostat applies to --format arduino only (got --format {}); "
                    "examples/thermostat-firmware builds the thermostat for other targets",
                    FormatName(o.format)));
  return Status::Ok();
}

Result<std::optional<ThermostatModel>> ThermostatPart(const ExportOptions& o, const ModelInfo& m,
                                                      std::vector<GeneratedSources>* parts) {
  if (o.example != "thermostat") return std::optional<ThermostatModel>();
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model model, tflite::ReadModelFile(o.model));
  EMLKIT_ASSIGN_OR_RETURN(std::optional<nlohmann::json> md,
                          tflite::GetEmlkitMetadata(model, o.model));
  EMLKIT_ASSIGN_OR_RETURN(ThermostatModel t,
                          CheckThermostatModel(m, o.preprocess && md ? &*md : nullptr, o.model));
  GeneratedSources controller;
  for (const char* f : kThermostatRuntimeFiles) controller.runtime_files.push_back(f);
  parts->push_back(std::move(controller));
  return std::optional<ThermostatModel>(std::move(t));
}
// --- end of device preprocessing --------------------------------------------------------------

// --format aot: GenerateAot's NAME.h / NAME.cc and the runtime files they need, laid out so that
// one include root (the folder) compiles it all: runtime/include/emlkit/ -> emlkit/, the rest
// (kernels/, src/) as in runtime/.
Result<std::vector<GeneratedFile>> AotFolder(const ModelInfo& m, ExportResult* r) {
  EMLKIT_ASSIGN_OR_RETURN(
      GeneratedSources aot,
      GenerateAot(m.data, {.name = m.name,
                           .model_label = m.source,
                           .model_sha256 = m.sha256,
                           .kernels = m.arm_dsp ? AotKernels::kArmDsp : AotKernels::kPortable}));
  std::vector<GeneratedFile> files = std::move(aot.files);
  for (const std::string& path : aot.runtime_files) {
    const RuntimeFile* f = FindRuntimeFile(path);
    if (f == nullptr) return Status::Internal("runtime file " + path + " is not embedded");
    files.push_back(
        {path.starts_with("include/") ? path.substr(8) : path, std::string(f->content)});
  }
  r->runtime_files = std::move(aot.runtime_files);
  return files;
}

}  // namespace

Result<Format> ParseFormat(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& f : kFormats) {
    if (name == f.name) return f.format;
    names.push_back(f.name);
  }
  return Status::InvalidArgument(
      fmt::format("--format '{}' is not one of: {}", name, fmt::join(names, ", ")));
}

const char* FormatName(Format f) {
  for (const auto& e : kFormats) {
    if (e.format == f) return e.name;
  }
  return "?";
}

Result<ModelInfo> LoadModelInfo(const std::string& path, const std::string& name,
                                bool keep_metadata) {
  ModelInfo m;
  m.name = name.empty() ? CNameFromPath(path) : name;
  EMLKIT_RETURN_IF_ERROR(CheckCName(m.name));
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  EMLKIT_ASSIGN_OR_RETURN(tflite::Model model, tflite::ReadModel(bytes.data(), bytes.size(), path));
  for (size_t k = 0; k < model.operators.size(); ++k) {
    const tflite::Operator& op = model.operators[k];
    std::string why = tflite::UnsupportedReason(op);
    if (!why.empty()) {
      return Status::Unsupported(fmt::format(
          "{}: operator {} ({}) cannot be exported: {}; nothing was written. emlkit exports "
          "models whose operators its runtime runs (emlkit inspect {} lists them)",
          path, k, tflite::OpName(op), why, path));
    }
    m.op_codes.push_back(op.builtin_code);
    m.op_names.push_back(tflite::OpName(op));
  }
  EMLKIT_ASSIGN_OR_RETURN(std::optional<nlohmann::json> md, tflite::GetEmlkitMetadata(model, path));
  if (md && md->contains("labels") && (*md)["labels"].is_array()) {
    for (const auto& l : (*md)["labels"]) {
      if (l.is_string()) m.labels.push_back(l.get<std::string>());
    }
  }
  Sha256 h;
  h.Update(bytes.data(), bytes.size());
  m.sha256 = h.HexDigest();
  m.source = fs::path(path).filename().string();
  if (keep_metadata) {
    m.data = std::move(bytes);
  } else {
    EMLKIT_ASSIGN_OR_RETURN(m.data, StripEmlkitMetadata(bytes, path));
  }
  // The model that ships must still be a valid model our runtime prepares.
  Result<tflite::Runner> runner = tflite::Runner::FromBytes(m.data, path);
  if (!runner.ok()) return runner.status().WithContext("the model to export does not run");
  m.arena_bytes = runner->arena_bytes() + PortableScratchMargin(model);
  for (int i = 0; i < runner->num_inputs(); ++i) m.inputs.push_back(Describe(runner->input(i)));
  for (int i = 0; i < runner->num_outputs(); ++i) m.outputs.push_back(Describe(runner->output(i)));
  return m;
}

Status CheckEngine(const std::string& engine) {
  if (engine == "interpreter" || engine == "aot") return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("--engine '{}' is not one of: interpreter, aot", engine));
}

// --kernels: portable (any core) or arm-dsp (Cortex-M4/M7), for generated code only.
Status CheckKernels(const ExportOptions& o) {
  if (o.kernels != "portable" && o.kernels != "arm-dsp") {
    return Status::InvalidArgument(
        fmt::format("--kernels '{}' is not one of: portable, arm-dsp", o.kernels));
  }
  if (o.kernels == "arm-dsp" && (o.format == Format::kCArray || o.format == Format::kTflite ||
                                 (o.format != Format::kAot && o.engine != "aot"))) {
    return Status::InvalidArgument(
        "--kernels arm-dsp applies to the generated code: --format aot, or a package with "
        "--engine aot (the default)");
  }
  return Status::Ok();
}

Result<GeneratedSources> ModelPart(const ModelInfo& m, const std::string& engine) {
  EMLKIT_RETURN_IF_ERROR(CheckEngine(engine));
  if (engine == "aot") {
    Result<GeneratedSources> aot = GenerateAotEngine(m);
    if (!aot.ok()) return aot.status().WithContext("--engine aot (--engine interpreter runs it)");
    return aot;
  }
  return GenerateInterpreterEngine(m);
}

Result<ExportResult> Export(const ExportOptions& o) {
  if (o.format == Format::kTflite && o.keep_metadata) {
    return Status::InvalidArgument(
        "--keep-metadata does not apply to --format tflite (which "
        "copies the model as is unless --strip is given)");
  }
  if (o.strip && o.format != Format::kTflite) {
    return Status::InvalidArgument(fmt::format(
        "--strip applies to --format tflite only; --format {} strips the metadata by default "
        "(--keep-metadata keeps it)",
        FormatName(o.format)));
  }
  EMLKIT_RETURN_IF_ERROR(CheckEngine(o.engine));
  EMLKIT_RETURN_IF_ERROR(CheckKernels(o));
  EMLKIT_RETURN_IF_ERROR(CheckExample(o));
  if (o.format == Format::kTflite) {
    if (o.out.empty()) return Status::InvalidArgument("--out is required: the .tflite to write");
  } else {
    EMLKIT_RETURN_IF_ERROR(CheckOutFolder(o.out));
  }
  const bool keep = o.format == Format::kTflite ? !o.strip : o.keep_metadata;
  EMLKIT_ASSIGN_OR_RETURN(ModelInfo m, LoadModelInfo(o.model, o.name, keep));
  m.arm_dsp = o.kernels == "arm-dsp";

  ExportResult r;
  r.bytes_after = m.data.size();
  r.arena_bytes = m.arena_bytes;
  r.ops = m.op_names;
  std::error_code ec;
  r.bytes_before = static_cast<size_t>(fs::file_size(o.model, ec));
  if (o.format == Format::kTflite) {
    EMLKIT_RETURN_IF_ERROR(WriteTflite(o, m, &r));
    return r;
  }
  if (o.format == Format::kAot || (o.format != Format::kCArray && o.engine == "aot")) {
    // The arena of the generated code (what it plans without the interpreter's bookkeeping).
    Result<AotFigures> f = MeasureAot(m.data, o.model);
    if (f.ok()) r.arena_bytes = f->arena_bytes;
  }
  std::vector<GeneratedFile> files;
  if (o.format == Format::kCArray) {
    files = GenerateCArray(m).files;
    EMLKIT_RETURN_IF_ERROR(AddPreprocessingFlat(o, m, "runtime/", &files, &r));
  } else if (o.format == Format::kAot) {
    EMLKIT_ASSIGN_OR_RETURN(files, AotFolder(m, &r));
    EMLKIT_RETURN_IF_ERROR(AddPreprocessingFlat(o, m, "", &files, &r));
  } else {
    EMLKIT_ASSIGN_OR_RETURN(GeneratedSources model_part, ModelPart(m, o.engine));
    r.runtime_files = model_part.runtime_files;
    std::vector<GeneratedSources> parts = {std::move(model_part)};
    // The device preprocessing (NAME_push_row()) joins as parts[1] when the metadata has it.
    EMLKIT_RETURN_IF_ERROR(AddPreprocessing(o, m, &parts, &r));
    for (size_t k = 1; k < parts.size(); ++k) {
      r.runtime_files.insert(r.runtime_files.end(), parts[k].runtime_files.begin(),
                             parts[k].runtime_files.end());
    }
    const PackageKind kind = o.format == Format::kArduino  ? PackageKind::kArduino
                             : o.format == Format::kEspIdf ? PackageKind::kEspIdf
                             : o.format == Format::kCMake  ? PackageKind::kCMake
                                                           : PackageKind::kLinux;
    EMLKIT_ASSIGN_OR_RETURN(std::optional<ThermostatModel> thermostat,
                            ThermostatPart(o, m, &parts));
    EMLKIT_ASSIGN_OR_RETURN(files, AssemblePackage(kind, m, parts, o.engine));
    if (thermostat) {
      r.runtime_files.insert(r.runtime_files.end(), std::begin(kThermostatRuntimeFiles),
                             std::end(kThermostatRuntimeFiles));
      files.push_back({"examples/thermostat/thermostat.ino", ThermostatSketch(m, *thermostat)});
      for (GeneratedFile& f : files) {
        if (f.path == "README.md") f.content += ThermostatReadme(m);
      }
    }
  }
  EMLKIT_RETURN_IF_ERROR(WriteFolder(o.out, files, &r));
  return r;
}

}  // namespace emlkit::exporter
