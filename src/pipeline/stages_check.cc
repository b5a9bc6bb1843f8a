// The stages that check the models: eval (device runtime on the test split), targets (board
// verdicts), export (the deploy packages), tune (the controller's settings) and thermostat-eval
// (closed loop with the room).
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "common/fs.h"
#include "common/progress.h"
#include "data/dataset.h"
#include "export/export.h"
#include "pipeline/stages_internal.h"
#include "roomsim/calendar.h"
#include "roomsim/closed_loop.h"
#include "roomsim/controller_tune.h"
#include "roomsim/model_occupancy.h"
#include "roomsim/thermostat_eval.h"
#include "sim/board_run.h"
#include "tflite/summary.h"
#include "train/evaluate.h"

namespace emlkit::pipeline {
namespace {

constexpr int kTraceStepS = 300;  // the report's day trace: one point per 5 minutes

// The models on the test split, in the order they were made.
std::vector<std::pair<std::string, std::string>> Models(const RunContext& c) {
  std::vector<std::pair<std::string, std::string>> m = {{"float", "model_float.tflite"}};
  if (c.project->prune) m.push_back({"pruned", "model_pruned.tflite"});
  m.push_back({"int8", "model_int8.tflite"});
  return m;
}

// Each operator of the deployed model: its MACs, parameters and output bytes (what it adds to
// the arena while it runs).
nlohmann::ordered_json LayersJson(const tflite::ModelSummary& s) {
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (size_t i = 0; i < s.ops.size(); ++i) {
    int64_t out_bytes = 0;
    for (int32_t t : s.model.operators[i].outputs) {
      if (t < 0) continue;
      const tflite::Tensor& tensor = s.model.tensors[static_cast<size_t>(t)];
      int64_t n = 1;
      for (int32_t d : tensor.shape) n *= d;
      out_bytes += n * tflite::TensorTypeSize(tensor.type);
    }
    layers.push_back({{"index", i},
                      {"op", s.ops[i].name},
                      {"macs", s.ops[i].cost.macs},
                      {"params", s.ops[i].cost.params},
                      {"output_bytes", out_bytes}});
  }
  return layers;
}

Result<StageOutput> RunEval(const RunContext& c) {
  EMLKIT_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(c.Path("dataset")));
  StageOutput out;
  out.metrics["models"] = nlohmann::ordered_json::array();
  for (const auto& [role, file] : Models(c)) {
    EMLKIT_ASSIGN_OR_RETURN(tflite::ModelSummary s, tflite::SummarizeModelFile(c.Path(file)));
    EMLKIT_ASSIGN_OR_RETURN(train::EvalReport r, train::EvaluateModel(c.Path(file), ds, "test"));
    nlohmann::ordered_json j;
    j["role"] = role;
    j["file"] = file;
    j["input_type"] = r.input_type;
    j["params"] = s.params;
    j["macs"] = s.macs;
    j["model_bytes"] = s.model_bytes;
    j["arena_bytes"] = s.arena_bytes ? nlohmann::json(*s.arena_bytes) : nlohmann::json(nullptr);
    j["test"] = r.metrics;
    if (c.log)
      std::fprintf(c.log, "  %-7s %-20s accuracy %s\n", role.c_str(), file.c_str(),
                   r.metrics.contains("accuracy") && r.metrics["accuracy"].is_number()
                       ? fmt::format("{:.4f}", r.metrics["accuracy"].get<double>()).c_str()
                       : "-");
    if (role == "int8") {
      out.metrics["model"] = {{"file", file},
                              {"params", s.params},
                              {"macs", s.macs},
                              {"tflite_bytes", s.model_bytes},
                              {"arena_bytes", j["arena_bytes"]}};
      out.report["layers"] = LayersJson(s);
    }
    out.metrics["models"].push_back(std::move(j));
  }
  return out;
}

Result<StageOutput> RunTargetsStage(const RunContext& c) {
  const TargetsSection& t = *c.project->targets;
  StageOutput out;
  out.metrics["targets"] = nlohmann::ordered_json::array();
  std::vector<sim::BoardFit> fits;
  for (const std::string& board : t.boards) {
    sim::TargetOptions o;
    o.model = c.Path("model_int8.tflite");
    o.target = board;
    o.emulate = t.emulate;
    EMLKIT_ASSIGN_OR_RETURN(std::vector<sim::BoardFit> f, sim::RunTargets(o));
    fits.insert(fits.end(), f.begin(), f.end());
  }
  for (sim::BoardFit& f : fits) {
    f.model = "model_int8.tflite";
    out.metrics["targets"].push_back(nlohmann::ordered_json::parse(sim::BoardFitJson(f).dump()));
  }
  const std::string table = sim::BoardFitTable(fits);
  if (c.log) std::fputs(table.c_str(), c.log);
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(c.Path("targets.txt"), table));
  out.outputs = {"targets.txt"};
  return out;
}

// The deploy packages of model_int8.tflite, one per [export] format, into export/<format>/ (a
// .tflite file for "tflite"), by the `emlkit export` library.
Result<StageOutput> RunExportStage(const RunContext& c) {
  StageOutput out;
  std::error_code ec;
  std::filesystem::create_directories(c.Path("export"), ec);
  if (ec) return Status::IOError(c.Path("export") + ": cannot create the folder: " + ec.message());
  out.outputs = {"export"};
  out.metrics["export"] = {{"formats", c.project->exports->formats},
                           {"packages", nlohmann::ordered_json::array()}};
  for (const std::string& name : c.project->exports->formats) {
    EMLKIT_ASSIGN_OR_RETURN(exporter::Format format, exporter::ParseFormat(name));
    exporter::ExportOptions o;
    o.model = c.Path("model_int8.tflite");
    o.format = format;
    const std::string rel =
        format == exporter::Format::kTflite ? "export/model_int8.tflite" : "export/" + name;
    o.out = c.Path(rel);
    EMLKIT_ASSIGN_OR_RETURN(exporter::ExportResult r, exporter::Export(o));
    int64_t bytes = 0;
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const std::string& f : r.files) {
      const auto size = std::filesystem::file_size(o.out + "/" + f, ec);
      files.push_back({{"file", rel + "/" + f}, {"bytes", ec ? 0 : static_cast<int64_t>(size)}});
      bytes += ec ? 0 : static_cast<int64_t>(size);
    }
    if (r.files.empty()) {  // kTflite: one file
      bytes = static_cast<int64_t>(r.bytes_after);
      files.push_back({{"file", rel}, {"bytes", bytes}});
    }
    if (c.log)
      std::fprintf(c.log, "  %-8s -> %s/: %zu files, %lld bytes (model %zu of %zu bytes)\n",
                   name.c_str(), rel.c_str(), files.size(), static_cast<long long>(bytes),
                   r.bytes_after, r.bytes_before);
    out.metrics["export"]["packages"].push_back({{"format", name},
                                                 {"out", rel},
                                                 {"model_bytes", r.bytes_after},
                                                 {"arena_bytes", r.arena_bytes},
                                                 {"bytes", bytes},
                                                 {"files", files}});
  }
  return out;
}

// The closed-loop runs of the project's room: eval_days per scenario after the test period,
// seed + 2, with the controller's default settings.
Result<roomsim::EvalOptions> EvalFor(const RunContext& c) {
  const Project& p = *c.project;
  EMLKIT_ASSIGN_OR_RETURN(roomsim::RoomType room_type, roomsim::ParseRoomType(p.roomsim->room));
  EMLKIT_ASSIGN_OR_RETURN(int64_t start_day,
                          roomsim::ParseDate(p.roomsim->start, "[roomsim] start"));
  roomsim::EvalOptions eval = roomsim::DefaultEvalOptions();
  eval.sim.room = roomsim::RoomProfileFor(room_type);
  eval.sim.days = p.thermostat->eval_days;
  eval.sim.seed = p.roomsim->seed + 2;
  eval.sim.start_day = start_day + p.roomsim->train_days + p.roomsim->test_days;
  eval.cost_lambda = p.thermostat->cost_lambda;
  EMLKIT_RETURN_IF_ERROR(roomsim::ValidateSimConfig(eval.sim));
  return eval;
}

// The controller's threshold, occupy and vacate delays for the closed-loop cost, on validation
// seeds (never the closed-loop test seed), into controller.json for the thermostat stage; with
// tune_days = 0 the defaults.
Result<StageOutput> RunTune(const RunContext& c) {
  const ThermostatSection& t = *c.project->thermostat;
  EMLKIT_ASSIGN_OR_RETURN(roomsim::EvalOptions eval, EvalFor(c));
  StageOutput out;
  if (t.tune_days > 0) {
    EMLKIT_ASSIGN_OR_RETURN(
        std::unique_ptr<roomsim::OccupancyModel> occupancy,
        roomsim::OpenModelOccupancy(c.Path("model_int8.tflite"), eval.sim.period_s));
    roomsim::TuneOptions tune;
    tune.base = eval;
    tune.base.sim.days = t.tune_days;
    tune.seeds = {c.project->roomsim->seed + 5, c.project->roomsim->seed + 6};
    std::optional<Progress> progress;
    if (c.log) progress.emplace("tune", roomsim::TuneRuns(tune), c.log);
    EMLKIT_ASSIGN_OR_RETURN(
        roomsim::TuneResult tuned,
        roomsim::TuneModelController(tune, occupancy.get(), progress ? &*progress : nullptr));
    if (progress) progress->Finish();
    eval.threshold = tuned.best.threshold;
    eval.occupy_delay_s = tuned.best.occupy_delay_s;
    eval.vacate_delay_s = tuned.best.vacate_delay_s;
    out.metrics["tuning"] = roomsim::TuneResultJson(tune, tuned);
    if (c.log)
      std::fprintf(c.log,
                   "  threshold %.2f, occupy delay %u min, vacate delay %u min: cost %.0f on the "
                   "validation runs (motion timeout %.0f)\n",
                   eval.threshold, eval.occupy_delay_s / 60, eval.vacate_delay_s / 60,
                   tuned.best.cost, tuned.motion_timeout_cost);
  }
  const nlohmann::ordered_json settings = {{"threshold", eval.threshold},
                                           {"occupy_delay_s", eval.occupy_delay_s},
                                           {"vacate_delay_s", eval.vacate_delay_s},
                                           {"tuned", t.tune_days > 0}};
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(c.Path("controller.json"), settings.dump(2) + "\n"));
  out.outputs = {"controller.json"};
  return out;
}

// One day of the int8 model in the thermostat, every kTraceStepS: air temperature, setpoint,
// heater power, true and decided occupancy.
Result<nlohmann::ordered_json> DayTrace(const roomsim::EvalOptions& eval,
                                        roomsim::OccupancyModel* model) {
  roomsim::SimConfig day = eval.sim;
  day.days = 1;
  // The first workday of the stretch (the report shows a day with people in it).
  for (int d = 0; d < 7 && roomsim::WeekdayOfDays(day.start_day) >= 5; ++d) ++day.start_day;
  EMLKIT_ASSIGN_OR_RETURN(std::unique_ptr<roomsim::RoomSimulator> sim,
                          roomsim::RoomSimulator::Create(day));
  EMLKIT_RETURN_IF_ERROR(model->Reset());
  roomsim::ClosedLoop loop(sim.get(),
                           roomsim::EvalThermostatConfig(eval, roomsim::Controller::kModel), model);
  EMLKIT_RETURN_IF_ERROR(loop.Init());
  nlohmann::ordered_json t = {
      {"date", roomsim::TimestampString(day.start_day * 86400).substr(0, 10)},
      {"step_s", kTraceStepS}};
  for (const char* k : {"hour", "air_c", "setpoint_c", "heater_w", "occupied", "decided"})
    t[k] = nlohmann::ordered_json::array();
  const int periods = 86400 / day.period_s;
  for (int i = 0; i < periods; ++i) {
    EMLKIT_ASSIGN_OR_RETURN(const roomsim::Sample* s, loop.Step());
    if ((s->second_of_day % kTraceStepS) != 0) continue;
    const app::ThermostatOutput& o = loop.output();
    t["hour"].push_back(s->second_of_day / 3600.0);
    t["air_c"].push_back(std::round(s->air_c * 100) / 100);
    t["setpoint_c"].push_back(o.setpoint_c);
    t["heater_w"].push_back(std::round(o.heater_w));
    t["occupied"].push_back(s->occupied ? 1 : 0);
    t["decided"].push_back(o.occupied ? 1 : 0);
  }
  return t;
}

Result<StageOutput> RunThermostat(const RunContext& c) {
  EMLKIT_ASSIGN_OR_RETURN(roomsim::EvalOptions eval, EvalFor(c));
  EMLKIT_ASSIGN_OR_RETURN(std::string settings_text, ReadFileText(c.Path("controller.json")));
  const auto settings = nlohmann::json::parse(settings_text, nullptr, false);
  if (settings.is_discarded() || !settings.contains("threshold"))
    return Status::Corruption(c.shown_dir +
                              "/controller.json: not the tune stage's file; run "
                              "again with --force");
  eval.threshold = settings["threshold"].get<float>();
  eval.occupy_delay_s = settings["occupy_delay_s"].get<uint32_t>();
  eval.vacate_delay_s = settings["vacate_delay_s"].get<uint32_t>();
  EMLKIT_ASSIGN_OR_RETURN(
      std::unique_ptr<roomsim::OccupancyModel> occupancy,
      roomsim::OpenModelOccupancy(c.Path("model_int8.tflite"), eval.sim.period_s));
  roomsim::EvalReport closed_loop;
  {
    std::optional<Progress> progress;
    if (c.log) progress.emplace("thermostat-eval", roomsim::EvalRuns(eval, true), c.log);
    EMLKIT_ASSIGN_OR_RETURN(
        closed_loop,
        roomsim::RunThermostatEval(eval, occupancy.get(), progress ? &*progress : nullptr));
  }
  StageOutput out;
  EMLKIT_ASSIGN_OR_RETURN(out.report["trace"], DayTrace(eval, occupancy.get()));
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(
      c.Path("thermostat_eval.txt"), roomsim::EvalReportText(closed_loop, "model_int8.tflite")));
  out.outputs = {"thermostat_eval.txt"};
  out.metrics["thermostat"] = roomsim::EvalReportJson(closed_loop, "model_int8.tflite");
  return out;
}

// A key over the models a checking stage reads, and its section.
std::function<Status(StageKey&)> ModelsKey(const RunContext& c, const std::string& stage,
                                           bool all_models) {
  return [&c, stage, all_models](StageKey& k) {
    AddVersion(k, c, stage);
    if (stage == "thermostat" || stage == "tune") AddVersion(k, c, "roomsim");
    if (stage == "tune") AddVersion(k, c, "thermostat");  // its options are in [thermostat]
    if (stage == "thermostat")
      EMLKIT_RETURN_IF_ERROR(k.AddPath("controller", c.Path("controller.json")));
    if (!all_models) return k.AddPath("model", c.Path("model_int8.tflite"));
    for (const auto& [role, file] : Models(c))
      EMLKIT_RETURN_IF_ERROR(k.AddPath(role, c.Path(file)));
    return k.AddPath("dataset", c.Path("dataset"));
  };
}

std::string Joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

void AddCheckStages(const RunContext& c, std::vector<StageDef>* stages) {
  const Project& p = *c.project;
  stages->push_back({"eval", "eval: every model on the test split (device runtime)",
                     ModelsKey(c, "eval", true), [&c] { return RunEval(c); }});
  if (p.targets) {
    const std::string boards = Joined(p.targets->boards);
    stages->push_back({"targets",
                       fmt::format("targets: model_int8.tflite on {} ({}) -> targets.txt", boards,
                                   p.targets->emulate ? "emulated cores" : "cost model"),
                       ModelsKey(c, "targets", false), [&c] { return RunTargetsStage(c); }});
  }
  if (p.exports) {
    stages->push_back({"export",
                       "export: model_int8.tflite as " + Joined(p.exports->formats) + " -> export/",
                       ModelsKey(c, "export", false), [&c] { return RunExportStage(c); }});
  }
  if (p.thermostat) {
    const ThermostatSection& t = *p.thermostat;
    stages->push_back(
        {"tune",
         t.tune_days > 0
             ? fmt::format("tune: threshold, occupy and vacate delay for the closed-loop cost "
                           "(discomfort min + {:g} x kWh), seeds {} and {}, {} days per scenario",
                           t.cost_lambda, p.roomsim->seed + 5, p.roomsim->seed + 6, t.tune_days)
             : std::string("tune: skipped (tune_days = 0): threshold 0.5, delays 2 and 20 min"),
         ModelsKey(c, "tune", false), [&c] { return RunTune(c); }});
    stages->push_back(
        {"thermostat",
         fmt::format("thermostat-eval: model_int8.tflite in closed loop, every scenario, {} days "
                     "each",
                     p.thermostat->eval_days),
         ModelsKey(c, "thermostat", false), [&c] { return RunThermostat(c); }});
  }
}

}  // namespace emlkit::pipeline
