#include "pipeline/demo.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <sstream>
#include <utility>

#include "common/fs.h"
#include "pipeline/project.h"
#include "pipeline/run.h"
#include "roomsim/calendar.h"
#include "roomsim/room_profile.h"

namespace emlkit::pipeline {
namespace {

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

// The thermostat example with the demo's options written in.
Result<std::string> DemoProjectText(const DemoOptions& o) {
  EMLKIT_ASSIGN_OR_RETURN(std::string text, ExampleProjectText("thermostat"));
  toml::table t;
  try {
    t = toml::parse(text, std::string_view("examples/thermostat/emlkit.toml"));
  } catch (const toml::parse_error& e) {
    return Status::Internal(std::string("the built-in thermostat project: ") + e.what());
  }
  toml::table& room = *t["roomsim"].as_table();
  room.insert_or_assign("room", o.room);
  room.insert_or_assign("start", o.start);
  room.insert_or_assign("train_days", o.train_days);
  room.insert_or_assign("test_days", o.test_days);
  room.insert_or_assign("seed", static_cast<int64_t>(o.seed));
  room.insert_or_assign("forecast_min", o.forecast_min);
  toml::table& data = *t["data"].as_table();
  data.insert_or_assign("label", o.forecast_min > 0 ? "occupied_soon" : "occupied");
  if (o.window_rows > 1) {
    data["window"].as_table()->insert_or_assign("size", o.window_rows);
  } else {
    data.erase("window");
  }
  toml::table& thermostat = *t["thermostat"].as_table();
  thermostat.insert_or_assign("eval_days", o.eval_days);
  thermostat.insert_or_assign("tune_days", o.tune_days);
  thermostat.insert_or_assign("cost_lambda", o.cost_lambda);
  if (o.prune_target_macs < 1) {
    t["prune"].as_table()->insert_or_assign("target_macs", o.prune_target_macs);
  } else {
    t.erase("prune");
  }
  std::ostringstream os;
  os << "# The project `emlkit demo` ran (re-run it with `emlkit run`).\n" << t << "\n";
  return os.str();
}

}  // namespace

Result<DemoResult> RunDemo(const DemoOptions& o) {
  EMLKIT_RETURN_IF_ERROR(CheckOptions(o));
  EMLKIT_RETURN_IF_ERROR(roomsim::ParseRoomType(o.room).status());
  EMLKIT_RETURN_IF_ERROR(roomsim::ParseDate(o.start, "--start").status());
  EMLKIT_ASSIGN_OR_RETURN(std::string project_text, DemoProjectText(o));
  StagedDir dir;
  EMLKIT_RETURN_IF_ERROR(dir.Begin(o.out));
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(dir.Path("emlkit.toml"), project_text));
  EMLKIT_ASSIGN_OR_RETURN(Project project, LoadProject(dir.Path("emlkit.toml")));
  RunOptions run;
  run.out = dir.temp_path();
  run.shown_out = o.out;
  run.log = o.log;
  run.options = {{"room", o.room},
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
  EMLKIT_ASSIGN_OR_RETURN(RunResult r, RunProject(project, run));
  EMLKIT_RETURN_IF_ERROR(dir.Commit());
  DemoResult result;
  result.dir = o.out;
  result.metrics = std::move(r.metrics);
  return result;
}

}  // namespace emlkit::pipeline
