#include "pipeline/project.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <sstream>

#include "common/config.h"
#include "common/fs.h"
#include "pipeline/examples.h"  // generated from examples/*/emlkit.toml
#include "roomsim/calendar.h"
#include "roomsim/room_profile.h"

namespace emlkit::pipeline {
namespace {

constexpr const char* kSections[] = {"project",  "roomsim", "data",   "train",     "prune",
                                     "quantize", "targets", "export", "thermostat"};

// A value must lie in [lo, hi]; the message names FILE:LINE:COL and the key.
template <typename T>
Status InRange(const ConfigSection& s, const char* key, T v, T lo, T hi) {
  if (v >= lo && v <= hi) return Status::Ok();
  return Status::InvalidArgument(fmt::format("{}: [{}] '{}' is {}: must be from {} to {}",
                                             s.Where(key), s.name(), key, v, lo, hi));
}

Status OneOf(const ConfigSection& s, const char* key, const std::string& v,
             std::initializer_list<const char*> allowed) {
  std::string names;
  for (const char* a : allowed) {
    if (v == a) return Status::Ok();
    names += (names.empty() ? "" : ", ") + std::string(a);
  }
  return Status::InvalidArgument(fmt::format("{}: [{}] '{}' is '{}': must be one of {}",
                                             s.Where(key), s.name(), key, v, names));
}

Status ReadRoomsim(const ConfigSection& s, RoomsimSection* r) {
  EMLKIT_RETURN_IF_ERROR(
      s.CheckKnown({"room", "start", "train_days", "test_days", "seed", "forecast_min"}));
  EMLKIT_RETURN_IF_ERROR(s.Get("room", &r->room));
  EMLKIT_RETURN_IF_ERROR(s.Get("start", &r->start));
  EMLKIT_RETURN_IF_ERROR(s.Get("train_days", &r->train_days));
  EMLKIT_RETURN_IF_ERROR(s.Get("test_days", &r->test_days));
  int64_t seed = static_cast<int64_t>(r->seed);
  EMLKIT_RETURN_IF_ERROR(s.Get("seed", &seed));
  EMLKIT_RETURN_IF_ERROR(InRange<int64_t>(s, "seed", seed, 0, INT64_MAX));
  r->seed = static_cast<uint64_t>(seed);
  EMLKIT_RETURN_IF_ERROR(s.Get("forecast_min", &r->forecast_min));
  EMLKIT_RETURN_IF_ERROR(InRange(s, "forecast_min", r->forecast_min, 0, 240));
  EMLKIT_RETURN_IF_ERROR(OneOf(s, "room", r->room, {"office", "living", "bedroom"}));
  if (!roomsim::ParseDate(r->start, "start").ok())
    return Status::InvalidArgument(fmt::format(
        "{}: [roomsim] 'start' is '{}': give a date as YYYY-MM-DD", s.Where("start"), r->start));
  EMLKIT_RETURN_IF_ERROR(InRange(s, "train_days", r->train_days, 1, 365));
  return InRange(s, "test_days", r->test_days, 1, 365);
}

Status ReadPrune(const ConfigSection& s, optimize::PruneJobOptions* p) {
  EMLKIT_RETURN_IF_ERROR(
      s.CheckKnown({"mode", "target_macs", "max_drop", "step", "sparsity", "epochs", "seed"}));
  std::string mode = "structured";
  EMLKIT_RETURN_IF_ERROR(s.Get("mode", &mode));
  EMLKIT_RETURN_IF_ERROR(OneOf(s, "mode", mode, {"structured", "magnitude"}));
  p->mode =
      mode == "magnitude" ? optimize::PruneMode::kMagnitude : optimize::PruneMode::kStructured;
  EMLKIT_RETURN_IF_ERROR(s.Get("target_macs", &p->target_macs));
  EMLKIT_RETURN_IF_ERROR(s.Get("max_drop", &p->max_drop));
  EMLKIT_RETURN_IF_ERROR(s.Get("step", &p->step));
  EMLKIT_RETURN_IF_ERROR(s.Get("sparsity", &p->sparsity));
  EMLKIT_RETURN_IF_ERROR(s.Get("epochs", &p->epochs));
  int64_t seed = 0;
  EMLKIT_RETURN_IF_ERROR(s.Get("seed", &seed));
  p->seed = static_cast<uint64_t>(seed);
  EMLKIT_RETURN_IF_ERROR(InRange(s, "target_macs", p->target_macs, 1e-6, 1.0));
  EMLKIT_RETURN_IF_ERROR(InRange(s, "max_drop", p->max_drop, 0.0, 100.0));
  EMLKIT_RETURN_IF_ERROR(InRange(s, "step", p->step, 0.01, 0.9));
  EMLKIT_RETURN_IF_ERROR(InRange(s, "sparsity", p->sparsity, 0.0, 0.99));
  if (p->mode == optimize::PruneMode::kMagnitude && p->sparsity <= 0)
    return Status::InvalidArgument(s.Where("mode") +
                                   ": [prune] mode = \"magnitude\" needs 'sparsity' (e.g. 0.5)");
  return InRange(s, "epochs", p->epochs, 1, 10000);
}

Status ReadQuantize(const ConfigSection& s, optimize::QuantizeJobOptions* q) {
  EMLKIT_RETURN_IF_ERROR(s.CheckKnown(
      {"calib_split", "calib_records", "seed", "qat_epochs", "method", "max_flag_disagreement"}));
  std::string method = "minmax";
  EMLKIT_RETURN_IF_ERROR(s.Get("method", &method));
  EMLKIT_RETURN_IF_ERROR(OneOf(s, "method", method, {"minmax", "percentile", "mse"}));
  optimize::ParseRangeMethod(method, &q->range.method);
  EMLKIT_RETURN_IF_ERROR(s.Get("max_flag_disagreement", &q->max_flag_disagreement));
  EMLKIT_RETURN_IF_ERROR(InRange(s, "max_flag_disagreement", q->max_flag_disagreement, 0.0, 1.0));
  EMLKIT_RETURN_IF_ERROR(s.Get("calib_split", &q->calib_split));
  EMLKIT_RETURN_IF_ERROR(OneOf(s, "calib_split", q->calib_split, {"train", "val", "test"}));
  EMLKIT_RETURN_IF_ERROR(s.Get("calib_records", &q->calib_records));
  int64_t seed = 0;
  EMLKIT_RETURN_IF_ERROR(s.Get("seed", &seed));
  q->seed = static_cast<uint64_t>(seed);
  EMLKIT_RETURN_IF_ERROR(s.Get("qat_epochs", &q->qat_epochs));
  EMLKIT_RETURN_IF_ERROR(InRange<int64_t>(s, "calib_records", q->calib_records, 10, 10000000));
  return InRange(s, "qat_epochs", q->qat_epochs, 0, 10000);
}

Status ReadTargets(const ConfigSection& s, TargetsSection* t) {
  EMLKIT_RETURN_IF_ERROR(s.CheckKnown({"boards", "emulate"}));
  EMLKIT_RETURN_IF_ERROR(s.Get("boards", &t->boards));
  EMLKIT_RETURN_IF_ERROR(s.Get("emulate", &t->emulate));
  if (t->boards.empty())
    return Status::InvalidArgument(s.Where("boards") +
                                   ": [targets] 'boards' is empty: name boards or \"all\"");
  return Status::Ok();
}

Status ReadExport(const ConfigSection& s, ExportSection* e) {
  EMLKIT_RETURN_IF_ERROR(s.CheckKnown({"formats"}));
  EMLKIT_RETURN_IF_ERROR(s.Get("formats", &e->formats));
  for (const std::string& f : e->formats)
    EMLKIT_RETURN_IF_ERROR(OneOf(
        s, "formats", f, {"c-array", "aot", "tflite", "arduino", "espidf", "cmake", "linux"}));
  return Status::Ok();
}

// Each top-level table printed by toml++ (keys sorted, comments and layout dropped).
Result<std::map<std::string, std::string>> CanonicalSections(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  std::map<std::string, std::string> out;
  try {
    toml::table doc = toml::parse(text, path);
    for (const auto& [k, v] : doc) {
      std::ostringstream os;
      if (const toml::table* t = v.as_table()) os << *t;
      out[std::string(k.str())] = os.str();
    }
  } catch (const toml::parse_error&) {
    // ConfigFile::Load reported it already; nothing to add.
  }
  return out;
}

}  // namespace

Result<Project> LoadProject(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(ConfigFile cfg, ConfigFile::Load(path));
  ConfigSection root = cfg.Root();
  for (const std::string& k : root.Keys()) {
    bool known = false;
    for (const char* s : kSections) known = known || k == s;
    if (!known)
      return Status::InvalidArgument(fmt::format(
          "{}: unknown section [{}]; the sections are project, roomsim, data, train, prune, "
          "quantize, targets, export, thermostat (docs/emlkit-toml.md)",
          root.Where(k), k));
    EMLKIT_ASSIGN_OR_RETURN(ConfigSection s, root.Sub(k));  // a non-table: error
    (void)s;
  }
  Project p;
  p.path = path;
  EMLKIT_ASSIGN_OR_RETURN(ConfigSection project, cfg.Section("project"));
  EMLKIT_RETURN_IF_ERROR(project.CheckKnown({"name"}));
  EMLKIT_RETURN_IF_ERROR(project.Get("name", &p.name));

  EMLKIT_ASSIGN_OR_RETURN(ConfigSection roomsim, cfg.Section("roomsim"));
  if (roomsim.present()) EMLKIT_RETURN_IF_ERROR(ReadRoomsim(roomsim, &p.roomsim.emplace()));

  EMLKIT_RETURN_IF_ERROR(data::LoadPrepareConfig(path, &p.prepare));
  if (p.roomsim && (!p.prepare.inputs.empty() || !p.prepare.tests.empty()))
    return Status::InvalidArgument(path +
                                   ": [roomsim] makes the data: leave out [data] 'input' and "
                                   "'test' (or drop [roomsim] to read your own CSV files)");
  if (!p.roomsim && p.prepare.inputs.empty())
    return Status::InvalidArgument(path +
                                   ": [data] has no 'input': name the CSV files to train on, or "
                                   "add a [roomsim] section to simulate a room");

  EMLKIT_ASSIGN_OR_RETURN(ConfigSection train, cfg.Section("train"));
  EMLKIT_RETURN_IF_ERROR(train::ApplyTrainConfig(train, &p.train));

  EMLKIT_ASSIGN_OR_RETURN(ConfigSection prune, cfg.Section("prune"));
  if (prune.present()) EMLKIT_RETURN_IF_ERROR(ReadPrune(prune, &p.prune.emplace()));
  EMLKIT_ASSIGN_OR_RETURN(ConfigSection quantize, cfg.Section("quantize"));
  EMLKIT_RETURN_IF_ERROR(ReadQuantize(quantize, &p.quantize));
  EMLKIT_ASSIGN_OR_RETURN(ConfigSection targets, cfg.Section("targets"));
  if (targets.present()) EMLKIT_RETURN_IF_ERROR(ReadTargets(targets, &p.targets.emplace()));
  EMLKIT_ASSIGN_OR_RETURN(ConfigSection exports, cfg.Section("export"));
  if (exports.present()) EMLKIT_RETURN_IF_ERROR(ReadExport(exports, &p.exports.emplace()));
  EMLKIT_ASSIGN_OR_RETURN(ConfigSection thermostat, cfg.Section("thermostat"));
  if (thermostat.present()) {
    if (!p.roomsim)
      return Status::InvalidArgument(thermostat.Where("eval_days") +
                                     ": [thermostat] needs [roomsim]: the closed loop runs the "
                                     "model in the simulated room");
    EMLKIT_RETURN_IF_ERROR(thermostat.CheckKnown({"eval_days", "tune_days", "cost_lambda"}));
    ThermostatSection& t = p.thermostat.emplace();
    EMLKIT_RETURN_IF_ERROR(thermostat.Get("eval_days", &t.eval_days));
    EMLKIT_RETURN_IF_ERROR(InRange(thermostat, "eval_days", t.eval_days, 1, 60));
    EMLKIT_RETURN_IF_ERROR(thermostat.Get("tune_days", &t.tune_days));
    EMLKIT_RETURN_IF_ERROR(InRange(thermostat, "tune_days", t.tune_days, 0, 60));
    EMLKIT_RETURN_IF_ERROR(thermostat.Get("cost_lambda", &t.cost_lambda));
    EMLKIT_RETURN_IF_ERROR(InRange(thermostat, "cost_lambda", t.cost_lambda, 0.0, 1e6));
  }
  EMLKIT_ASSIGN_OR_RETURN(p.section_text, CanonicalSections(path));
  return p;
}

const std::vector<std::string>& ExampleNames() {
  static const std::vector<std::string> names = {"thermostat", "occupancy", "gestures", "anomaly"};
  return names;
}

Result<std::string> ExampleProjectText(const std::string& name) {
  for (const auto& [n, text] : kExampleProjects)
    if (name == n) return std::string(text);
  return Status::InvalidArgument("--example '" + name +
                                 "': the examples are thermostat, occupancy, gestures, anomaly");
}

}  // namespace emlkit::pipeline
