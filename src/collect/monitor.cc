#include "collect/monitor.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include "collect/line_format.h"
#include "collect/live_model.h"
#include "collect/rate_estimator.h"
#include "collect/recorder.h"
#include "collect/serial_port.h"
#include "common/progress.h"
#include "data/timestamp.h"

namespace emlkit::collect {
namespace {

double MonoNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Local wall-clock seconds (what `collect` writes and time features expect).
double LocalWallNow() {
  double wall =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  time_t now = static_cast<time_t>(wall);
  std::tm tm{};
  localtime_r(&now, &tm);
  return wall + static_cast<double>(tm.tm_gmtoff);
}

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t c = line.find(',', start);
    out.push_back(line.substr(start, c - start));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  if (!out.empty() && !out.back().empty() && out.back().back() == '\r') out.back().pop_back();
  return out;
}

struct Emitter {
  const MonitorOptions& o;
  FILE* out;
  MonitorSummary* sum;
  const LiveModel& model;
  RateEstimator rate;

  void Emit(double t, int64_t row, const std::vector<LivePrediction>& preds) {
    for (const LivePrediction& p : preds) {
      ++sum->predictions;
      if (p.label >= 0) {
        std::string name = model.task() == "anomaly"
                               ? (p.label == 1 ? "anomaly" : "normal")
                               : (static_cast<size_t>(p.label) < model.labels().size()
                                      ? model.labels()[static_cast<size_t>(p.label)]
                                      : std::to_string(p.label));
        ++sum->label_counts[name];
      }
      std::string when = FormatLocalMicros(t - LocalOffsetSeconds(t)).substr(11, 12);
      if (o.json) {
        nlohmann::json j = p.json;
        j["time"] = FormatLocalMicros(t - LocalOffsetSeconds(t));
        j["row"] = row;
        j["input_hz"] = rate.rate_hz();
        std::fprintf(out, "%s\n", j.dump().c_str());
      } else {
        std::fprintf(out, "%s  %-40s  %.4g rows/s in\n", when.c_str(), p.text.c_str(),
                     rate.rate_hz());
      }
      std::fflush(out);
    }
  }
  // FormatLocalMicros takes UTC seconds and prints local time; t here is already local.
  static double LocalOffsetSeconds(double t) {
    time_t s = static_cast<time_t>(t);
    std::tm tm{};
    localtime_r(&s, &tm);
    return static_cast<double>(tm.tm_gmtoff);
  }
};

Result<MonitorSummary> Replay(const MonitorOptions& o, LiveModel& model, FILE* out, FILE* log) {
  std::ifstream in(o.replay, std::ios::binary);
  if (!in) return Status::NotFound(o.replay + ": cannot open the log to replay");
  std::string line;
  if (!std::getline(in, line))
    return Status::InvalidArgument(o.replay + ":1: empty file; give a CSV with a header line");
  if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  if (line.find('"') != std::string::npos)
    return Status::Unsupported(o.replay +
                               ":1: quoted CSV fields are not supported by --replay; "
                               "write the log without quotes (as emlkit collect does)");
  std::vector<std::string> header = SplitCsv(line);
  EMLKIT_RETURN_IF_ERROR(model.BindColumns(header, o.replay));
  int tcol = -1;
  std::string want = model.timestamp_column().empty() ? "timestamp" : model.timestamp_column();
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == want) tcol = static_cast<int>(i);
  MonitorSummary sum;
  Emitter em{o, out, &sum, model, {}};
  InstallInterruptHandler();
  double first_t = 0, start = MonoNow();
  std::vector<double> row(header.size());
  std::vector<LivePrediction> preds;
  int64_t lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (InterruptRequested()) {
      sum.stopped_by = "interrupt";
      break;
    }
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> f = SplitCsv(line);
    if (f.size() != header.size()) {
      ++sum.malformed;
      if (log != nullptr && sum.malformed <= 3)
        std::fprintf(log, "monitor: %s:%lld: %zu fields, the header has %zu; skipped\n",
                     o.replay.c_str(), static_cast<long long>(lineno), f.size(), header.size());
      continue;
    }
    double t = 0;
    if (tcol >= 0 && !data::ParseTimestamp(f[static_cast<size_t>(tcol)], &t))
      return Status::InvalidArgument(fmt::format("{}:{}: '{}' in column '{}' is not a timestamp",
                                                 o.replay, lineno, f[static_cast<size_t>(tcol)],
                                                 want));
    for (size_t i = 0; i < f.size(); ++i) {
      if (static_cast<int>(i) == tcol) continue;
      ParsedLine p = ParseLine(f[i]);
      row[i] = p.kind == ParsedLine::Kind::kValues && p.values.size() == 1 ? p.values[0] : NAN;
    }
    if (sum.rows == 0) first_t = t;
    if (o.speed > 0 && tcol >= 0) {
      double due = start + (t - first_t) / o.speed;
      double wait = due - MonoNow();
      if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    }
    em.rate.Add(tcol >= 0 ? t : MonoNow());
    ++sum.rows;
    preds.clear();
    EMLKIT_RETURN_IF_ERROR(model.Push(t, row, &preds));
    em.Emit(t, sum.rows, preds);
  }
  if (sum.stopped_by.empty()) sum.stopped_by = "end of log";
  sum.rate_hz = em.rate.rate_hz();
  return sum;
}

Result<MonitorSummary> Live(const MonitorOptions& o, LiveModel& model, FILE* out, FILE* log) {
  EMLKIT_ASSIGN_OR_RETURN(SerialPort port, SerialPort::Open(o.port, o.baud));
  InstallInterruptHandler();
  if (log != nullptr)
    std::fprintf(log, "monitor: %s at %d baud through %s (Ctrl-C stops)\n", o.port.c_str(), o.baud,
                 o.model.c_str());
  MonitorSummary sum;
  Emitter em{o, out, &sum, model, {}};
  LineAssembler lines;
  lines.Reset(port.was_streaming());
  std::vector<ArrivedLine> arrived;
  std::vector<char> buf(1 << 16);
  std::vector<std::string> header_seen;
  bool bound = false;
  double start = MonoNow();
  std::vector<LivePrediction> preds;
  for (;;) {
    double now = MonoNow();
    if (InterruptRequested()) {
      sum.stopped_by = "interrupt";
      break;
    }
    if (o.duration_s > 0 && now - start >= o.duration_s) {
      sum.stopped_by = "duration";
      break;
    }
    if (sum.rows == 0 && now - start >= o.timeout_s)
      return Status::InvalidArgument(fmt::format(
          "{}: no line of numbers in {:g} s; is --baud {} the firmware's rate, and is it "
          "printing samples?",
          o.port, o.timeout_s, o.baud));
    Result<size_t> got = port.Read(buf.data(), buf.size(), 100);
    if (!got.ok()) {
      if (!IsPortGone(got.status())) return got.status();
      if (log != nullptr)
        std::fprintf(log, "monitor: %s went away; reconnecting (Ctrl-C stops)\n", o.port.c_str());
      model.ResetStream();
      while (!InterruptRequested()) {
        Result<SerialPort> again = SerialPort::Open(o.port, o.baud);
        if (again.ok()) {
          port = std::move(*again);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      lines.Reset(port.was_streaming());
      em.rate.Break();
      continue;
    }
    if (*got == 0) continue;
    arrived.clear();
    lines.Feed(buf.data(), *got, MonoNow(), &arrived);
    for (const ArrivedLine& l : arrived) {
      ParsedLine p = ParseLine(l.text);
      if (p.kind == ParsedLine::Kind::kHeader && !bound) {
        header_seen = p.names;
        continue;
      }
      if (p.kind != ParsedLine::Kind::kValues) {
        if (p.kind != ParsedLine::Kind::kEmpty && p.kind != ParsedLine::Kind::kHeader)
          ++sum.malformed;
        continue;
      }
      if (!bound) {
        std::vector<std::string> names = o.columns;
        if (names.empty() && header_seen.size() == p.values.size()) names = header_seen;
        if (names.empty() && p.values.size() == model.columns().size()) names = model.columns();
        if (names.empty())
          return Status::InvalidArgument(fmt::format(
              "{}: lines have {} values and no header line names them; the model needs {} "
              "({}): give --columns",
              o.port, p.values.size(), model.columns().size(),
              fmt::format("{}", fmt::join(model.columns(), ","))));
        EMLKIT_RETURN_IF_ERROR(model.BindColumns(names, o.port));
        bound = true;
        header_seen = names;
      }
      if (p.values.size() != header_seen.size()) {
        ++sum.malformed;
        continue;
      }
      em.rate.Add(l.t);
      ++sum.rows;
      preds.clear();
      double t = LocalWallNow();
      EMLKIT_RETURN_IF_ERROR(model.Push(t, p.values, &preds));
      em.Emit(t, sum.rows, preds);
    }
  }
  sum.rate_hz = em.rate.rate_hz();
  return sum;
}

}  // namespace

Result<double> ParseSpeed(const std::string& text) {
  if (text == "max") return 0.0;
  std::string t = text;
  if (!t.empty() && (t.back() == 'x' || t.back() == 'X')) t.pop_back();
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !(v > 0) || !std::isfinite(v))
    return Status::InvalidArgument(
        fmt::format("--speed '{}': give a factor such as 1x, 10x, 0.5x, or 'max'", text));
  return v;
}

Result<MonitorSummary> Monitor(const MonitorOptions& o, FILE* out, FILE* log) {
  if (o.port.empty() == o.replay.empty())
    return Status::InvalidArgument("give --port (a live board) or --replay FILE.csv, one of them");
  EMLKIT_ASSIGN_OR_RETURN(LiveModel model, LiveModel::Open(o.model));
  if (!o.replay.empty()) return Replay(o, model, out, log);
  return Live(o, model, out, log);
}

}  // namespace emlkit::collect
