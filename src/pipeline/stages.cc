// The stages that make the data and the models: roomsim, data prepare, train, prune, quantize.
#include "pipeline/stages.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "common/fs.h"
#include "common/version.h"
#include "data/inspect.h"
#include "data/prepare.h"
#include "data/table.h"
#include "optimize/prune_job.h"
#include "optimize/quantize_job.h"
#include "pipeline/stages_internal.h"
#include "roomsim/calendar.h"
#include "roomsim/csv.h"
#include "roomsim/generate.h"
#include "train/train_job.h"

namespace emlkit::pipeline {
namespace {

constexpr const char* kRoomFeatures[] = {"temperature_c", "humidity_pct", "light_lux", "co2_ppm",
                                         "motion"};
constexpr size_t kSeriesPoints = 720;  // per plotted series in the report

nlohmann::ordered_json SimJson(const std::string& file, const roomsim::SimConfig& c,
                               const roomsim::RunSummary& s) {
  nlohmann::ordered_json j;
  j["file"] = file;
  j["start"] = roomsim::TimestampString(c.start_day * 86400).substr(0, 10);
  j["days"] = c.days;
  j["seed"] = c.seed;
  j["rows"] = s.rows_written;
  j["occupied_fraction"] = s.rows ? static_cast<double>(s.occupied_rows) / s.rows : 0.0;
  j["fault_rows"] = s.fault_rows;
  return j;
}

// The heating policies the training rooms run under, so that the model does not learn one
// controller's temperature pattern (in closed loop its own decisions move the temperature it
// reads): the fixed schedule (room_train.csv), the motion timeout, always comfort, no heating.
struct TrainPolicy {
  roomsim::Heating heating;
  const char* file;
  uint64_t seed_offset;
};
constexpr TrainPolicy kTrainPolicies[] = {
    {roomsim::Heating::kSchedule, "room_train.csv", 0},
    {roomsim::Heating::kMotionTimeout, "room_train_motion.csv", 10},
    {roomsim::Heating::kAlwaysComfort, "room_train_comfort.csv", 20},
    {roomsim::Heating::kOff, "room_train_off.csv", 30},
};

// Scenario days in training policy `k`'s run of `days` days: the situations the thermostat is
// judged on (still occupants, brief entries, empty sunny days, a pet, cold snaps, airing) also
// occur in training, on other days and seeds than any evaluation.
std::vector<roomsim::ScenarioUse> TrainingScenarios(int days, size_t k) {
  using roomsim::ScenarioId;
  const ScenarioId exclusive[] = {ScenarioId::kStillOccupant, ScenarioId::kBriefEntry,
                                  ScenarioId::kSunnyEmpty, ScenarioId::kHoliday};
  const ScenarioId shared[] = {ScenarioId::kPet, ScenarioId::kColdSnap, ScenarioId::kOpenWindow};
  std::vector<roomsim::ScenarioUse> uses;
  for (int week = 0; 7 * week + 6 < days; ++week) {
    const int w = week + static_cast<int>(k);
    uses.push_back({exclusive[w % 4], 7 * week + 2, 7 * week + 2});        // a Wednesday
    uses.push_back({exclusive[(w + 1) % 4], 7 * week + 5, 7 * week + 5});  // a Saturday
    uses.push_back({shared[w % 3], 7 * week + 3, 7 * week + 4});
  }
  return uses;
}

// The room's CSV; with forecast_min > 0 one more column, `occupied_soon`: 1 when someone is in the
// room now or at any time in the next forecast_min minutes (the label of a model that lets the
// thermostat warm the room before people come).
Result<roomsim::RunSummary> WriteTrainingCsv(const roomsim::SimConfig& c, roomsim::Heating heating,
                                             int forecast_min, const std::string& path) {
  if (forecast_min <= 0) return roomsim::WriteRoomCsv(c, heating, path);
  EMLKIT_RETURN_IF_ERROR(CheckWritableFile(path));
  std::vector<std::string> lines;
  std::vector<int64_t> times;
  std::vector<bool> occupied;
  roomsim::CsvRowWriter writer(c.sensors);
  EMLKIT_ASSIGN_OR_RETURN(roomsim::RunSummary sum,
                          roomsim::RunRoom(c, heating, [&](const roomsim::Sample& s) {
                            std::string line;
                            writer.Append(s, &line);
                            lines.push_back(std::move(line));
                            times.push_back(s.time_s);
                            occupied.push_back(s.occupied);
                          }));
  std::string text = roomsim::kCsvHeader;
  text.insert(text.size() - 1, ",occupied_soon");
  const int64_t horizon_s = int64_t{forecast_min} * 60;
  int64_t next_occupied = INT64_MAX;  // time of the nearest occupied period at or after row i
  std::vector<bool> soon(lines.size());
  for (size_t i = lines.size(); i-- > 0;) {
    if (occupied[i]) next_occupied = times[i];
    soon[i] = next_occupied != INT64_MAX && next_occupied - times[i] <= horizon_s;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;  // a row the logger lost
    lines[i].insert(lines[i].size() - 1, soon[i] ? ",1" : ",0");
    text += lines[i];
  }
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(path, text));
  return sum;
}

Result<StageOutput> RunRoomsim(const RunContext& c) {
  const RoomsimSection& r = *c.project->roomsim;
  EMLKIT_ASSIGN_OR_RETURN(roomsim::RoomType room_type, roomsim::ParseRoomType(r.room));
  EMLKIT_ASSIGN_OR_RETURN(int64_t start_day, roomsim::ParseDate(r.start, "[roomsim] start"));
  roomsim::SimConfig train_sim;
  train_sim.room = roomsim::RoomProfileFor(room_type);
  train_sim.start_day = start_day;
  train_sim.days = r.train_days;
  train_sim.seed = r.seed;
  EMLKIT_ASSIGN_OR_RETURN(train_sim.faults, roomsim::ParseFaults({"spike", "dropout"}));
  roomsim::SimConfig test_sim = train_sim;
  test_sim.start_day = start_day + r.train_days;
  test_sim.days = r.test_days;
  test_sim.seed = r.seed + 1;
  EMLKIT_RETURN_IF_ERROR(roomsim::ValidateSimConfig(test_sim));
  StageOutput out;
  roomsim::RunSummary train_rows;
  nlohmann::ordered_json policies = nlohmann::ordered_json::array();
  for (size_t k = 0; k < std::size(kTrainPolicies); ++k) {
    const TrainPolicy& p = kTrainPolicies[k];
    roomsim::SimConfig sim = train_sim;
    sim.seed = r.seed + p.seed_offset;
    sim.scenarios = TrainingScenarios(sim.days, k);
    EMLKIT_RETURN_IF_ERROR(roomsim::ValidateSimConfig(sim));
    EMLKIT_ASSIGN_OR_RETURN(roomsim::RunSummary rows,
                            WriteTrainingCsv(sim, p.heating, r.forecast_min, c.Path(p.file)));
    out.outputs.push_back(p.file);
    nlohmann::ordered_json pj = SimJson(p.file, sim, rows);
    pj["heating"] = roomsim::HeatingName(p.heating);
    policies.push_back(pj);
    if (k == 0) {
      train_rows = rows;
      out.metrics["data"]["train_csv"] = pj;
    } else {
      train_rows.rows_written += rows.rows_written;
      train_rows.fault_rows += rows.fault_rows;
    }
  }
  out.metrics["data"]["train_csvs"] = policies;
  EMLKIT_ASSIGN_OR_RETURN(roomsim::RunSummary test_rows,
                          WriteTrainingCsv(test_sim, roomsim::Heating::kSchedule, r.forecast_min,
                                           c.Path("room_test.csv")));
  out.outputs.push_back("room_test.csv");
  out.metrics["data"]["test_csv"] = SimJson("room_test.csv", test_sim, test_rows);
  if (c.log)
    std::fprintf(c.log,
                 "  %zu training files (heating: schedule, motion timeout, always comfort, off) "
                 "%lld rows, room_test.csv %lld rows (%lld + %lld with injected spikes or "
                 "dropouts)\n",
                 std::size(kTrainPolicies), static_cast<long long>(train_rows.rows_written),
                 static_cast<long long>(test_rows.rows_written),
                 static_cast<long long>(train_rows.fault_rows),
                 static_cast<long long>(test_rows.fault_rows));
  return out;
}

data::PrepareOptions PrepareFor(const RunContext& c) {
  data::PrepareOptions prep = c.project->prepare;
  if (c.project->roomsim) {
    prep.inputs.clear();
    for (const TrainPolicy& p : kTrainPolicies) prep.inputs.push_back(c.Path(p.file));
    prep.tests = {c.Path("room_test.csv")};
  }
  prep.out = c.Path("dataset");
  prep.progress = c.log;
  return prep;
}

// The first input file as the report plots it: each feature and the label, at most
// kSeriesPoints points each (the mean of each stretch; the label: its maximum).
Result<nlohmann::ordered_json> RawSeries(const data::PrepareOptions& prep, const RunContext& c) {
  data::TableRequest req;
  req.numeric = prep.features;
  req.origin.assign(prep.features.size(), "[data] features");
  req.timestamp = prep.timestamp;
  req.label = prep.task == "classification" ? prep.label : "";
  req.inputs = {prep.inputs.front()};
  req.delimiter = prep.delimiter;
  req.progress = nullptr;
  EMLKIT_ASSIGN_OR_RETURN(data::Table t, data::LoadTable(req));
  const size_t rows = static_cast<size_t>(t.rows());
  const size_t step = std::max<size_t>(1, (rows + kSeriesPoints - 1) / kSeriesPoints);
  nlohmann::ordered_json s;
  s["file"] = c.Relative(prep.inputs.front());
  s["rows"] = rows;
  s["step"] = step;
  s["names"] = t.names;
  s["columns"] = nlohmann::ordered_json::array();
  auto bucket = [&](const std::vector<double>& v, bool max) {
    nlohmann::ordered_json pts = nlohmann::ordered_json::array();
    for (size_t i = 0; i < rows; i += step) {
      double acc = max ? -INFINITY : 0;
      size_t n = 0;
      for (size_t k = i; k < std::min(rows, i + step); ++k) {
        if (std::isnan(v[k])) continue;
        acc = max ? std::max(acc, v[k]) : acc + v[k];
        ++n;
      }
      pts.push_back(n ? nlohmann::ordered_json(max ? acc : acc / static_cast<double>(n))
                      : nlohmann::ordered_json());
    }
    return pts;
  };
  for (const auto& col : t.cols) s["columns"].push_back(bucket(col, false));
  if (!t.label.empty()) {
    s["label_name"] = prep.label;
    s["label"] = bucket(t.label, true);
  }
  return s;
}

Result<StageOutput> RunPrepare(const RunContext& c) {
  data::PrepareOptions prep = PrepareFor(c);
  EMLKIT_ASSIGN_OR_RETURN(data::PrepareResult prepared, data::Prepare(prep));
  // dataset.json (and through it every model's metadata) names its inputs relative to the folder.
  EMLKIT_RETURN_IF_ERROR(NameRelativeToFolder(c, c.Path("dataset/dataset.json")));
  if (c.log) {
    std::fprintf(c.log, "  train %lld, val %lld, test %lld records\n",
                 static_cast<long long>(prepared.records[0]),
                 static_cast<long long>(prepared.records[1]),
                 static_cast<long long>(prepared.records[2]));
    for (const std::string& note : prepared.notes) std::fprintf(c.log, "  %s\n", note.c_str());
  }
  StageOutput out;
  out.outputs = {"dataset"};
  out.metrics["data"]["dataset"] = {{"dir", "dataset"},
                                    {"records",
                                     {{"train", prepared.records[0]},
                                      {"val", prepared.records[1]},
                                      {"test", prepared.records[2]}}},
                                    {"features", prep.features},
                                    {"labels", prepared.label_names},
                                    {"record_shape", prepared.record_shape},
                                    {"split", prepared.split_method},
                                    {"notes", prepared.notes}};
  // For the report: the raw series and what `emlkit data inspect` finds in it.
  EMLKIT_ASSIGN_OR_RETURN(out.report["series"], RawSeries(prep, c));
  data::CsvOptions csv;
  csv.delimiter = prep.delimiter;
  EMLKIT_ASSIGN_OR_RETURN(data::InspectReport inspected,
                          data::Inspect(prep.inputs.front(), csv, false));
  out.report["problems"] = inspected.Problems();
  return out;
}

Result<StageOutput> RunTrain(const RunContext& c) {
  train::TrainJob job;
  job.data_dir = c.Path("dataset");
  job.out_path = c.Path("model_float.tflite");
  job.shown_out = c.shown_dir + "/model_float.tflite";
  job.options = c.project->train;
  job.progress = c.log;
  train::TrainJobResult trained;
  EMLKIT_RETURN_IF_ERROR(train::RunTrainJob(job, &trained));
  EMLKIT_RETURN_IF_ERROR(NameRelativeToFolder(c, trained.log_path));
  StageOutput out;
  out.outputs = {"model_float.tflite", "model_float.train.jsonl"};
  out.metrics["training"] =
      nlohmann::ordered_json::parse(c.Relative(train::TrainSummaryJson(trained).dump()));
  nlohmann::ordered_json curves = nlohmann::ordered_json::array();
  if (trained.fitted) {
    for (const train::EpochStats& e : trained.fitted->loop.history) {
      auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nullptr; };
      curves.push_back({{"epoch", e.epoch},
                        {"train_loss", num(e.train_loss)},
                        {"val_loss", num(e.val_loss)},
                        {"train_metric", num(e.train_metric)},
                        {"val_metric", num(e.val_metric)}});
    }
  }
  out.report["curves"] = curves;
  return out;
}

Result<StageOutput> RunPrune(const RunContext& c) {
  optimize::PruneJobOptions pj = *c.project->prune;
  pj.model = c.Path("model_float.tflite");
  pj.data = c.Path("dataset");
  pj.log = c.log;
  EMLKIT_ASSIGN_OR_RETURN(optimize::PruneResult pruned, RunPruneJob(pj));
  EMLKIT_RETURN_IF_ERROR(
      WriteFileAtomic(c.Path("model_pruned.tflite"), pruned.bytes.data(), pruned.bytes.size()));
  EMLKIT_RETURN_IF_ERROR(
      WriteFileAtomic(c.Path("prune_report.txt"), c.Relative(PruneReportText(pruned))));
  StageOutput out;
  out.outputs = {"model_pruned.tflite", "prune_report.txt"};
  out.metrics["pruning"] =
      nlohmann::ordered_json::parse(c.Relative(optimize::PruneReportJson(pruned).dump()));
  return out;
}

Result<StageOutput> RunQuantize(const RunContext& c) {
  optimize::QuantizeJobOptions qj = c.project->quantize;
  qj.model = c.Path(DeployFloat(c));
  qj.calib = {c.Path("dataset")};
  qj.out_name = "model_int8.tflite";
  qj.progress = c.log;
  EMLKIT_ASSIGN_OR_RETURN(optimize::QuantizeResult q, optimize::RunQuantizeJob(qj));
  EMLKIT_RETURN_IF_ERROR(
      WriteFileAtomic(c.Path("model_int8.tflite"), q.bytes.data(), q.bytes.size()));
  EMLKIT_RETURN_IF_ERROR(
      WriteFileAtomic(c.Path("quantize_report.txt"), c.Relative(optimize::QuantizeReportText(q))));
  StageOutput out;
  out.outputs = {"model_int8.tflite", "quantize_report.txt"};
  out.metrics["quantization"] =
      nlohmann::ordered_json::parse(c.Relative(optimize::QuantizeReportJson(q).dump()));
  return out;
}

}  // namespace

std::string RunContext::Relative(std::string text) const {
  const std::string prefix = dir + "/";
  for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at))
    text.erase(at, prefix.size());
  return text;
}

Status NameRelativeToFolder(const RunContext& c, const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  return WriteFileAtomic(path, c.Relative(std::move(text)));
}

std::string DeployFloat(const RunContext& c) {
  return c.project->prune ? "model_pruned.tflite" : "model_float.tflite";
}

void AddVersion(StageKey& k, const RunContext& c, const std::string& stage) {
  k.AddText("emlkit", kVersion);
  k.AddText("stage", stage);
  auto it = c.project->section_text.find(stage);
  k.AddText("section", it == c.project->section_text.end() ? "" : it->second);
}

std::vector<StageDef> BuildStages(const RunContext& c) {
  const Project& p = *c.project;
  std::vector<StageDef> stages;
  if (p.roomsim) {
    stages.push_back(
        {"roomsim",
         fmt::format("roomsim: {} days of the {} for training, the {} days after them for testing",
                     p.roomsim->train_days, p.roomsim->room, p.roomsim->test_days),
         [&c](StageKey& k) {
           AddVersion(k, c, "roomsim");
           return Status::Ok();
         },
         [&c] { return RunRoomsim(c); }});
  }
  stages.push_back({"data", "data prepare: clean, scale, split -> dataset/",
                    [&c](StageKey& k) {
                      AddVersion(k, c, "data");
                      data::PrepareOptions prep = PrepareFor(c);
                      for (const auto& f : prep.inputs) EMLKIT_RETURN_IF_ERROR(k.AddPath("in", f));
                      for (const auto& f : prep.tests) EMLKIT_RETURN_IF_ERROR(k.AddPath("test", f));
                      if (!prep.label_windows.empty())
                        EMLKIT_RETURN_IF_ERROR(k.AddPath("windows", prep.label_windows));
                      return Status::Ok();
                    },
                    [&c] { return RunPrepare(c); }});
  stages.push_back({"train", "train -> model_float.tflite",
                    [&c](StageKey& k) {
                      AddVersion(k, c, "train");
                      return k.AddPath("dataset", c.Path("dataset"));
                    },
                    [&c] { return RunTrain(c); }});
  if (p.prune) {
    stages.push_back(
        {"prune",
         p.prune->mode == optimize::PruneMode::kStructured
             ? fmt::format("prune: at most {:.0f} % of the MACs -> model_pruned.tflite",
                           100 * p.prune->target_macs)
             : fmt::format("prune: {:.0f} % of the weights to zero -> model_pruned.tflite",
                           100 * p.prune->sparsity),
         [&c](StageKey& k) {
           AddVersion(k, c, "prune");
           EMLKIT_RETURN_IF_ERROR(k.AddPath("model", c.Path("model_float.tflite")));
           return k.AddPath("dataset", c.Path("dataset"));
         },
         [&c] { return RunPrune(c); }});
  }
  stages.push_back({"quantize", "quantize: " + DeployFloat(c) + " to int8 -> model_int8.tflite",
                    [&c](StageKey& k) {
                      AddVersion(k, c, "quantize");
                      EMLKIT_RETURN_IF_ERROR(k.AddPath("model", c.Path(DeployFloat(c))));
                      return k.AddPath("dataset", c.Path("dataset"));
                    },
                    [&c] { return RunQuantize(c); }});
  AddCheckStages(c, &stages);
  return stages;
}

void MergeFigures(nlohmann::ordered_json* into, const nlohmann::ordered_json& figures) {
  for (const auto& [k, v] : figures.items()) {
    nlohmann::ordered_json& slot = (*into)[k];
    if (slot.is_object() && v.is_object()) {
      for (const auto& [k2, v2] : v.items()) slot[k2] = v2;
    } else {
      slot = v;
    }
  }
}

}  // namespace emlkit::pipeline
