#include "pipeline/run.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "common/fs.h"
#include "common/progress.h"
#include "common/version.h"
#include "pipeline/stages.h"
#include "report/report.h"

namespace emlkit::pipeline {
namespace fs = std::filesystem;
namespace {

Status PrepareFolder(const std::string& out) {
  if (out.empty()) return Status::InvalidArgument("--out: give the artifacts folder");
  std::error_code ec;
  const fs::path parent = fs::path(out).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    return Status::InvalidArgument(fmt::format(
        "--out {}: the folder {} does not exist; create it first", out, parent.string()));
  if (fs::exists(out, ec) && !fs::is_directory(out, ec))
    return Status::InvalidArgument(
        fmt::format("--out {}: is a file, not a folder; give a folder", out));
  fs::create_directories(out, ec);
  if (ec)
    return Status::IOError(
        fmt::format("--out {}: cannot create the folder: {}", out, ec.message()));
  // What a killed run left: staging folders next to `out` and temporary files inside it.
  RemoveStaleTemporaries(parent.empty() ? "." : parent.string(),
                         fs::path(out).filename().string() + ".tmp-");
  RemoveStaleTemporaries(out, "");
  return Status::Ok();
}

double Seconds(std::chrono::steady_clock::time_point since) {
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  return std::round(s * 1000) / 1000;  // milliseconds are all a person reads
}

}  // namespace

Result<RunResult> RunProject(const Project& project, const RunOptions& o) {
  EMLKIT_RETURN_IF_ERROR(PrepareFolder(o.out));
  RunContext c;
  c.project = &project;
  c.dir = fs::path(o.out).lexically_normal().string();
  if (c.dir.size() > 1 && c.dir.back() == '/') c.dir.pop_back();
  c.shown_dir = o.shown_out.empty() ? c.dir : o.shown_out;
  c.log = o.log;
  const std::vector<StageDef> stages = BuildStages(c);
  StageCache cache(c.dir);

  nlohmann::ordered_json m;
  m["emlkit_version"] = kVersion;
  m["project"] = {{"name", project.name}, {"file", fs::path(project.path).filename().string()}};
  m["options"] = o.options.is_null() ? nlohmann::ordered_json::object() : o.options;
  nlohmann::ordered_json report = nlohmann::ordered_json::object();
  nlohmann::ordered_json timings = nlohmann::ordered_json::object();
  RunResult result;
  result.dir = o.out;
  for (size_t i = 0; i < stages.size(); ++i) {
    const StageDef& st = stages[i];
    if (InterruptRequested()) return Status::Cancelled("interrupted before " + st.id);
    StageKey key;
    if (Status s = st.key(key); !s.ok()) return s.WithContext(st.id);
    const std::string hex = key.Hex();
    std::optional<StageStamp> stamp;
    if (!o.force) {
      EMLKIT_ASSIGN_OR_RETURN(stamp, cache.Find(st.id, hex));
    }
    StageOutcome outcome{st.id, stamp.has_value(), 0};
    if (stamp) {
      if (o.log)
        std::fprintf(o.log, "[%zu/%zu] %s: up to date, skipped\n", i + 1, stages.size(),
                     st.id.c_str());
    } else {
      if (o.log) std::fprintf(o.log, "\n[%zu/%zu] %s\n", i + 1, stages.size(), st.title.c_str());
      EMLKIT_RETURN_IF_ERROR(cache.Invalidate(st.id));
      const auto start = std::chrono::steady_clock::now();
      Result<StageOutput> r = st.run();
      if (!r.ok()) return r.status().WithContext(st.id);
      stamp.emplace();
      stamp->key = hex;
      stamp->outputs = r->outputs;
      stamp->figures = {{"metrics", r->metrics}, {"report", r->report}};
      stamp->seconds = Seconds(start);
      EMLKIT_RETURN_IF_ERROR(cache.Record(st.id, *stamp));
    }
    outcome.seconds = stamp->seconds;
    timings[st.id] = stamp->seconds;
    MergeFigures(&m, stamp->figures["metrics"]);
    MergeFigures(&report, stamp->figures["report"]);
    result.stages.push_back(outcome);
  }
  // The demo's key: the int8 model's agreement with its float model, at the top level too.
  if (m.contains("quantization") && m["quantization"].contains("agreement"))
    m["agreement"] = m["quantization"]["agreement"];
  double total = 0;
  for (const auto& [k, v] : timings.items()) total += v.get<double>();
  timings["total"] = std::round(total * 1000) / 1000;
  m["timings"] = timings;

  const std::string metrics = m.dump(2) + "\n";
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(c.Path("metrics.json"), metrics));
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(c.Path("report.html"), report::ReportHtml(m, report)));
  result.metrics = std::move(m);
  return result;
}

}  // namespace emlkit::pipeline
