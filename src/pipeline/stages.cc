// The stages that make the data and the models: roomsim, data prepare, train, prune, quantize.
#include "pipeline/stages.h"

#include <fmt/format.h>

#include <cmath>

#include "common/fs.h"
#include "common/version.h"
#include "data/inspect.h"
#include "data/prepare.h"
#include "data/table.h"
#include "optimize/prune_job.h"
#include "optimize/quantize_job.h"
#include "pipeline/stages_internal.h"
#include "roomsim/calendar.h"
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
  EMLKIT_RETURN_IF_ERROR(roomsim::ValidateSimConfig(train_sim));
  EMLKIT_RETURN_IF_ERROR(roomsim::ValidateSimConfig(test_sim));
  EMLKIT_ASSIGN_OR_RETURN(
      roomsim::RunSummary train_rows,
      roomsim::WriteRoomCsv(train_sim, roomsim::Heating::kSchedule, c.Path("room_train.csv")));
  EMLKIT_ASSIGN_OR_RETURN(
      roomsim::RunSummary test_rows,
      roomsim::WriteRoomCsv(test_sim, roomsim::Heating::kSchedule, c.Path("room_test.csv")));
  if (c.log)
    std::fprintf(c.log,
                 "  room_train.csv %lld rows, room_test.csv %lld rows (%lld + %lld with "
                 "injected spikes or dropouts)\n",
                 static_cast<long long>(train_rows.rows_written),
                 static_cast<long long>(test_rows.rows_written),
                 static_cast<long long>(train_rows.fault_rows),
                 static_cast<long long>(test_rows.fault_rows));
  StageOutput out;
  out.outputs = {"room_train.csv", "room_test.csv"};
  out.metrics["data"]["train_csv"] = SimJson("room_train.csv", train_sim, train_rows);
  out.metrics["data"]["test_csv"] = SimJson("room_test.csv", test_sim, test_rows);
  return out;
}

data::PrepareOptions PrepareFor(const RunContext& c) {
  data::PrepareOptions prep = c.project->prepare;
  if (c.project->roomsim) {
    prep.inputs = {c.Path("room_train.csv")};
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
