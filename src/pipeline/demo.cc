#include "pipeline/demo.h"

#include <fmt/format.h>

#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "common/fs.h"
#include "common/progress.h"
#include "common/version.h"
#include "data/dataset.h"
#include "data/prepare.h"
#include "optimize/prune_job.h"
#include "optimize/quantize_job.h"
#include "roomsim/calendar.h"
#include "roomsim/controller_tune.h"
#include "roomsim/csv.h"
#include "roomsim/generate.h"
#include "roomsim/model_occupancy.h"
#include "roomsim/thermostat_eval.h"
#include "tflite/summary.h"
#include "train/evaluate.h"
#include "train/train_job.h"

namespace emlkit::pipeline {
namespace {

constexpr int kSteps = 8;
constexpr const char* kFeatures[] = {"temperature_c", "humidity_pct", "light_lux", "co2_ppm",
                                     "motion"};

// A stage's error, prefixed with the step that ran it.
template <typename T>
Result<T> InStep(const char* step, Result<T> r) {
  if (!r.ok()) return r.status().WithContext(step);
  return r;
}
Status InStep(const char* step, const Status& s) { return s.ok() ? s : s.WithContext(step); }

Status CheckOptions(const DemoOptions& o) {
  auto days = [](const char* flag, int v, int max) {
    if (v < 1 || v > max)
      return Status::InvalidArgument(
          fmt::format("{} {}: must be a whole number of days from 1 to {}", flag, v, max));
    return Status::Ok();
  };
  EMLKIT_RETURN_IF_ERROR(days("--train-days", o.train_days, 365));
  EMLKIT_RETURN_IF_ERROR(days("--test-days", o.test_days, 365));
  EMLKIT_RETURN_IF_ERROR(days("--eval-days", o.eval_days, 60));
  if (o.tune_days < 0 || o.tune_days > 60)
    return Status::InvalidArgument(fmt::format(
        "--tune-days {}: must be a whole number of days from 0 (no tuning) to 60", o.tune_days));
  if (o.forecast_min < 0 || o.forecast_min > 240)
    return Status::InvalidArgument(
        fmt::format("--forecast-min {}: must be whole minutes from 0 (detect occupancy now) to 240",
                    o.forecast_min));
  if (o.window_rows < 1 || o.window_rows > 1440)
    return Status::InvalidArgument(
        fmt::format("--window-rows {}: must be a whole number of rows from 1 (no windows) to 1440",
                    o.window_rows));
  if (!(o.cost_lambda >= 0 && o.cost_lambda <= 1e6))
    return Status::InvalidArgument(fmt::format(
        "--lambda {}: must be a number of minutes per kWh from 0 to 1e6", o.cost_lambda));
  if (!(o.prune_target_macs > 0 && o.prune_target_macs <= 1))
    return Status::InvalidArgument(
        fmt::format("--prune-target-macs {}: must be a fraction in (0, 1] (1 = no pruning)",
                    o.prune_target_macs));
  if (o.out.empty()) return Status::InvalidArgument("--out: give the folder to write");
  return Status::Ok();
}

struct Steps {
  FILE* log;
  int n = 0;
  Status Begin(const std::string& what) {
    if (InterruptRequested()) return Status::Cancelled("interrupted before " + what);
    ++n;
    if (log) std::fprintf(log, "\n[%d/%d] %s\n", n, kSteps, what.c_str());
    return Status::Ok();
  }
};

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

// One model's cost (what the device pays) and its test metrics through the runtime.
Result<nlohmann::ordered_json> ModelJson(const std::string& role, const std::string& dir,
                                         const std::string& file, const data::Dataset& ds) {
  EMLKIT_ASSIGN_OR_RETURN(tflite::ModelSummary s, tflite::SummarizeModelFile(dir + "/" + file));
  EMLKIT_ASSIGN_OR_RETURN(train::EvalReport r, train::EvaluateModel(dir + "/" + file, ds, "test"));
  nlohmann::ordered_json j;
  j["role"] = role;
  j["file"] = file;
  j["input_type"] = r.input_type;
  j["params"] = s.params;
  j["macs"] = s.macs;
  j["model_bytes"] = s.model_bytes;
  j["arena_bytes"] = s.arena_bytes ? nlohmann::json(*s.arena_bytes) : nlohmann::json(nullptr);
  j["test"] = r.metrics;
  return j;
}

// Reports name files by the paths the stages were given (inside the temporary folder): make
// them relative to the artifacts folder.
std::string Relative(std::string text, const std::string& temp_dir) {
  const std::string prefix = temp_dir + "/";
  for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at))
    text.erase(at, prefix.size());
  return text;
}

// Stages name the files they read by the paths they were given, inside the staging folder:
// rewrite `path` to name them relative to the artifacts folder ("room_train.csv", "dataset"),
// so the folder is the same wherever --out puts it.
Status NameRelativeToFolder(const std::string& path, const std::string& temp_dir) {
  EMLKIT_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  return WriteFileAtomic(path, Relative(std::move(text), temp_dir));
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

}  // namespace

Result<DemoResult> RunDemo(const DemoOptions& o) {
  EMLKIT_RETURN_IF_ERROR(CheckOptions(o));
  EMLKIT_ASSIGN_OR_RETURN(roomsim::RoomType room_type, roomsim::ParseRoomType(o.room));
  EMLKIT_ASSIGN_OR_RETURN(int64_t start_day, roomsim::ParseDate(o.start, "--start"));
  StagedDir dir;
  EMLKIT_RETURN_IF_ERROR(dir.Begin(o.out));
  const std::string& tmp = dir.temp_path();
  Steps steps{o.log};
  nlohmann::ordered_json m;
  m["emlkit_version"] = kVersion;
  m["options"] = {{"room", o.room},
                  {"start", o.start},
                  {"train_days", o.train_days},
                  {"test_days", o.test_days},
                  {"eval_days", o.eval_days},
                  {"seed", o.seed},
                  {"prune_target_macs", o.prune_target_macs},
                  {"window_rows", o.window_rows},
                  {"forecast_min", o.forecast_min},
                  {"tune_days", o.tune_days},
                  {"cost_lambda", o.cost_lambda}};

  // 1. Two stretches of the same room: the second one (another seed) is the unseen test period.
  EMLKIT_RETURN_IF_ERROR(steps.Begin(
      fmt::format("roomsim: {} days of the {} for training, the {} days after them for testing",
                  o.train_days, o.room, o.test_days)));
  roomsim::SimConfig train_sim;
  train_sim.room = roomsim::RoomProfileFor(room_type);
  train_sim.start_day = start_day;
  train_sim.days = o.train_days;
  train_sim.seed = o.seed;
  EMLKIT_ASSIGN_OR_RETURN(train_sim.faults,
                          InStep("roomsim", roomsim::ParseFaults({"spike", "dropout"})));
  roomsim::SimConfig test_sim = train_sim;
  test_sim.start_day = start_day + o.train_days;
  test_sim.days = o.test_days;
  test_sim.seed = o.seed + 1;
  EMLKIT_RETURN_IF_ERROR(InStep("roomsim", roomsim::ValidateSimConfig(train_sim)));
  EMLKIT_RETURN_IF_ERROR(InStep("roomsim", roomsim::ValidateSimConfig(test_sim)));
  roomsim::RunSummary train_rows, test_rows;
  std::vector<std::string> train_files;
  nlohmann::ordered_json policies = nlohmann::ordered_json::array();
  for (size_t k = 0; k < std::size(kTrainPolicies); ++k) {
    const TrainPolicy& p = kTrainPolicies[k];
    roomsim::SimConfig c = train_sim;
    c.seed = o.seed + p.seed_offset;
    c.scenarios = TrainingScenarios(c.days, k);
    EMLKIT_RETURN_IF_ERROR(InStep("roomsim", roomsim::ValidateSimConfig(c)));
    EMLKIT_ASSIGN_OR_RETURN(
        roomsim::RunSummary rows,
        InStep("roomsim", WriteTrainingCsv(c, p.heating, o.forecast_min, dir.Path(p.file))));
    train_files.push_back(dir.Path(p.file));
    nlohmann::ordered_json pj = SimJson(p.file, c, rows);
    pj["heating"] = roomsim::HeatingName(p.heating);
    policies.push_back(pj);
    if (k == 0) {
      train_rows = rows;
      m["data"]["train_csv"] = pj;
    } else {
      train_rows.rows_written += rows.rows_written;
      train_rows.fault_rows += rows.fault_rows;
    }
  }
  m["data"]["train_csvs"] = policies;
  EMLKIT_ASSIGN_OR_RETURN(
      test_rows, InStep("roomsim", WriteTrainingCsv(test_sim, roomsim::Heating::kSchedule,
                                                    o.forecast_min, dir.Path("room_test.csv"))));
  m["data"]["test_csv"] = SimJson("room_test.csv", test_sim, test_rows);
  if (o.log)
    std::fprintf(o.log,
                 "  %zu training files (heating: schedule, motion timeout, always comfort, off) "
                 "%lld rows, room_test.csv %lld rows (%lld + %lld with injected spikes or "
                 "dropouts)\n",
                 train_files.size(), static_cast<long long>(train_rows.rows_written),
                 static_cast<long long>(test_rows.rows_written),
                 static_cast<long long>(train_rows.fault_rows),
                 static_cast<long long>(test_rows.fault_rows));

  // 2. Cleaning the device can repeat online: hold the last value, causal Hampel filter.
  // Features for the task: the time of day and weekend (routines), and per channel the
  // statistics of the last window_rows readings (motion history, CO2 and light slopes).
  EMLKIT_RETURN_IF_ERROR(steps.Begin(
      fmt::format("data prepare: clean, time of day, {}-row windows, scale, split -> dataset/",
                  o.window_rows)));
  data::PrepareOptions prep;
  prep.inputs = train_files;
  prep.tests = {dir.Path("room_test.csv")};
  prep.features.assign(std::begin(kFeatures), std::end(kFeatures));
  prep.label = o.forecast_min > 0 ? "occupied_soon" : "occupied";
  prep.timestamp = "timestamp";
  prep.clean.missing = "hold";
  prep.clean.spikes = "hampel";
  prep.clean.hampel_mode = "causal";
  prep.time_features = {"tod", "weekend"};
  if (o.window_rows > 1) {
    prep.window.size = o.window_rows;
    prep.window.stats = {"mean", "min", "max", "slope", "last"};
  }
  prep.out = dir.Path("dataset");
  prep.progress = o.log;
  EMLKIT_ASSIGN_OR_RETURN(data::PrepareResult prepared,
                          InStep("data prepare", data::Prepare(prep)));
  // dataset.json (and, through it, every model's metadata) names its inputs: relative to the
  // artifacts folder.
  EMLKIT_RETURN_IF_ERROR(NameRelativeToFolder(dir.Path("dataset/dataset.json"), tmp));
  m["data"]["dataset"] = {{"dir", "dataset"},
                          {"records",
                           {{"train", prepared.records[0]},
                            {"val", prepared.records[1]},
                            {"test", prepared.records[2]}}},
                          {"notes", prepared.notes}};
  if (o.log) {
    std::fprintf(o.log, "  train %lld, val %lld, test %lld records\n",
                 static_cast<long long>(prepared.records[0]),
                 static_cast<long long>(prepared.records[1]),
                 static_cast<long long>(prepared.records[2]));
    for (const std::string& note : prepared.notes) std::fprintf(o.log, "  %s\n", note.c_str());
  }
  EMLKIT_ASSIGN_OR_RETURN(data::Dataset ds, InStep("data prepare", data::LoadDataset(prep.out)));

  // 3. The defaults of `emlkit train`.
  EMLKIT_RETURN_IF_ERROR(steps.Begin("train: the default network -> model_float.tflite"));
  train::TrainJob job;
  job.data_dir = prep.out;
  job.out_path = dir.Path("model_float.tflite");
  job.shown_out = (std::filesystem::path(o.out) / "model_float.tflite").string();
  job.progress = o.log;
  train::TrainJobResult trained;
  EMLKIT_RETURN_IF_ERROR(InStep("train", train::RunTrainJob(job, &trained)));
  EMLKIT_RETURN_IF_ERROR(NameRelativeToFolder(trained.log_path, tmp));
  m["training"] = train::TrainSummaryJson(trained);

  // 4. Structured pruning of the float model.
  std::string deploy_float = "model_float.tflite";
  EMLKIT_RETURN_IF_ERROR(
      steps.Begin(o.prune_target_macs < 1
                      ? fmt::format("prune: at most {:.0f} % of the MACs -> model_pruned.tflite",
                                    100 * o.prune_target_macs)
                      : std::string("prune: skipped (--prune-target-macs 1)")));
  if (o.prune_target_macs < 1) {
    optimize::PruneJobOptions pj;
    pj.model = job.out_path;
    pj.data = prep.out;
    pj.target_macs = o.prune_target_macs;
    pj.log = o.log;
    EMLKIT_ASSIGN_OR_RETURN(optimize::PruneResult pruned, InStep("prune", RunPruneJob(pj)));
    EMLKIT_RETURN_IF_ERROR(
        WriteFileAtomic(dir.Path("model_pruned.tflite"), pruned.bytes.data(), pruned.bytes.size()));
    EMLKIT_RETURN_IF_ERROR(
        WriteFileAtomic(dir.Path("prune_report.txt"), Relative(PruneReportText(pruned), tmp)));
    m["pruning"] = optimize::PruneReportJson(pruned);
    deploy_float = "model_pruned.tflite";
  }

  // 5. Full-integer quantization of the model that will be deployed.
  EMLKIT_RETURN_IF_ERROR(
      steps.Begin("quantize: " + deploy_float + " to int8 -> model_int8.tflite"));
  optimize::QuantizeJobOptions qj;
  qj.model = dir.Path(deploy_float);
  qj.calib = {prep.out};
  qj.out_name = "model_int8.tflite";
  qj.progress = o.log;
  EMLKIT_ASSIGN_OR_RETURN(optimize::QuantizeResult quantized,
                          InStep("quantize", optimize::RunQuantizeJob(qj)));
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(dir.Path("model_int8.tflite"), quantized.bytes.data(),
                                         quantized.bytes.size()));
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(dir.Path("quantize_report.txt"),
                                         Relative(optimize::QuantizeReportText(quantized), tmp)));
  m["quantization"] = optimize::QuantizeReportJson(quantized);

  // 6. Every model on the unseen test period, through the device runtime.
  EMLKIT_RETURN_IF_ERROR(steps.Begin("eval: every model on the test period (device runtime)"));
  m["models"] = nlohmann::ordered_json::array();
  std::vector<std::pair<std::string, std::string>> models = {{"float", "model_float.tflite"}};
  if (deploy_float != "model_float.tflite") models.push_back({"pruned", deploy_float});
  models.push_back({"int8", "model_int8.tflite"});
  for (const auto& [role, file] : models) {
    EMLKIT_ASSIGN_OR_RETURN(nlohmann::ordered_json mj,
                            InStep("eval", ModelJson(role, tmp, file, ds)));
    if (o.log)
      std::fprintf(o.log, "  %-7s %-20s accuracy %.4f\n", role.c_str(), file.c_str(),
                   mj["test"].value("accuracy", 0.0));
    m["models"].push_back(std::move(mj));
  }

  // 7. The controller's threshold and vacate delay for the closed-loop cost, on validation
  // seeds (never the closed-loop test seed of step 8).
  roomsim::EvalOptions eval = roomsim::DefaultEvalOptions();
  eval.sim.room = train_sim.room;
  eval.sim.days = o.eval_days;
  eval.sim.seed = o.seed + 2;
  eval.sim.start_day = test_sim.start_day + o.test_days;
  eval.cost_lambda = o.cost_lambda;
  EMLKIT_RETURN_IF_ERROR(InStep("thermostat-eval", roomsim::ValidateSimConfig(eval.sim)));
  EMLKIT_ASSIGN_OR_RETURN(
      std::unique_ptr<roomsim::OccupancyModel> occupancy,
      InStep("thermostat-eval",
             roomsim::OpenModelOccupancy(dir.Path("model_int8.tflite"), eval.sim.period_s)));
  EMLKIT_RETURN_IF_ERROR(steps.Begin(
      o.tune_days > 0
          ? fmt::format(
                "tune: threshold, occupy and vacate delay for the closed-loop cost (discomfort "
                "min + {:g} x kWh), seeds {} and {}, {} days per scenario",
                o.cost_lambda, o.seed + 5, o.seed + 6, o.tune_days)
          : std::string("tune: skipped (--tune-days 0): threshold 0.5, delays 2 and 20 min")));
  if (o.tune_days > 0) {
    roomsim::TuneOptions tune;
    tune.base = eval;
    tune.base.sim.days = o.tune_days;
    tune.seeds = {o.seed + 5, o.seed + 6};
    std::optional<Progress> progress;
    if (o.log) progress.emplace("tune", roomsim::TuneRuns(tune), o.log);
    EMLKIT_ASSIGN_OR_RETURN(
        roomsim::TuneResult tuned,
        InStep("tune", roomsim::TuneModelController(tune, occupancy.get(),
                                                    progress ? &*progress : nullptr)));
    if (progress) progress->Finish();
    eval.threshold = tuned.best.threshold;
    eval.occupy_delay_s = tuned.best.occupy_delay_s;
    eval.vacate_delay_s = tuned.best.vacate_delay_s;
    m["tuning"] = roomsim::TuneResultJson(tune, tuned);
    if (o.log)
      std::fprintf(o.log,
                   "  threshold %.2f, occupy delay %u min, vacate delay %u min: cost %.0f on the "
                   "validation runs (motion timeout %.0f)\n",
                   eval.threshold, eval.occupy_delay_s / 60, eval.vacate_delay_s / 60,
                   tuned.best.cost, tuned.motion_timeout_cost);
  }

  // 8. The deployed model in the thermostat, in closed loop with the room.
  EMLKIT_RETURN_IF_ERROR(steps.Begin(
      fmt::format("thermostat-eval: model_int8.tflite in closed loop, every scenario, {} days each",
                  o.eval_days)));
  roomsim::EvalReport closed_loop;
  {
    std::optional<Progress> progress;  // none with -q
    if (o.log) progress.emplace("thermostat-eval", roomsim::EvalRuns(eval, true), o.log);
    EMLKIT_ASSIGN_OR_RETURN(
        closed_loop,
        InStep("thermostat-eval",
               roomsim::RunThermostatEval(eval, occupancy.get(), progress ? &*progress : nullptr)));
  }
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(
      dir.Path("thermostat_eval.txt"), roomsim::EvalReportText(closed_loop, "model_int8.tflite")));
  m["thermostat"] = roomsim::EvalReportJson(closed_loop, "model_int8.tflite");

  const std::string metrics = Relative(m.dump(2), tmp) + "\n";
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(dir.Path("metrics.json"), metrics));
  EMLKIT_RETURN_IF_ERROR(dir.Commit());
  DemoResult result;
  result.dir = o.out;
  result.metrics = nlohmann::ordered_json::parse(metrics);
  return result;
}

}  // namespace emlkit::pipeline
