#include "collect/collect.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "collect/line_format.h"
#include "collect/recorder.h"
#include "collect/serial_port.h"
#include "common/progress.h"

namespace emlkit::collect {
namespace {

double MonoNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double WallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Local wall-clock seconds minus UTC seconds, now (timestamps are written as local time).
double LocalOffset() {
  time_t now = time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return static_cast<double>(tm.tm_gmtoff);
}

// The existing CSV's header line and the highest recording number in its last line.
struct ExistingCsv {
  bool exists = false;
  std::string header;
  int64_t last_recording = 0;
};

Result<ExistingCsv> ReadExisting(const std::string& path) {
  ExistingCsv e;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return e;
  std::string text;
  char buf[65536];
  size_t n;
  // Header: the first line. Last line: from the file's tail.
  n = std::fread(buf, 1, sizeof buf, f);
  std::string head(buf, n);
  std::fseek(f, 0, SEEK_END);
  long size = std::ftell(f);
  long from = size > static_cast<long>(sizeof buf) ? size - static_cast<long>(sizeof buf) : 0;
  std::fseek(f, from, SEEK_SET);
  n = std::fread(buf, 1, sizeof buf, f);
  std::string tail(buf, n);
  std::fclose(f);
  if (size == 0) return e;
  e.exists = true;
  size_t nl = head.find('\n');
  if (nl == std::string::npos)
    return Status::InvalidArgument(fmt::format(
        "{}: exists but holds no complete line; give --out a new file or remove it", path));
  e.header = head.substr(0, nl + 1);
  if (e.header.rfind("timestamp,recording", 0) != 0)
    return Status::InvalidArgument(fmt::format(
        "{}: exists and was not written by emlkit collect (its header does not start with "
        "'timestamp,recording'); give --out a new file",
        path));
  if (tail.back() != '\n')
    return Status::InvalidArgument(fmt::format(
        "{}:{}: the last line is incomplete (no newline at the end): the file was cut off; "
        "repair or remove that line, or give --out a new file",
        path, "end"));
  size_t last_start = tail.rfind('\n', tail.size() - 2);
  std::string last = tail.substr(last_start == std::string::npos ? 0 : last_start + 1);
  size_t c1 = last.find(',');
  if (last.rfind("timestamp,", 0) != 0 && c1 != std::string::npos) {
    e.last_recording = std::atoll(last.c_str() + c1 + 1);
  }
  return e;
}

bool StdinEnterPressed() {
  pollfd p{STDIN_FILENO, POLLIN, 0};
  if (poll(&p, 1, 0) <= 0 || (p.revents & POLLIN) == 0) return false;
  char buf[256];
  ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
  for (ssize_t i = 0; i < n; ++i)
    if (buf[i] == '\n') return true;
  return false;
}

}  // namespace

Result<double> ParseSeconds(const std::string& text, const std::string& what) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  std::string unit = end != nullptr ? std::string(end) : "";
  double scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "ms") scale = 1e-3;
  if (unit == "m" || unit == "min") scale = 60;
  if (unit == "h") scale = 3600;
  if (end == text.c_str() || scale == 0 || !std::isfinite(v) || v <= 0)
    return Status::InvalidArgument(fmt::format(
        "{} '{}': give a positive time such as 90, 90s, 500ms, 2m or 1.5h", what, text));
  return v * scale;
}

Status ParseSegment(const std::string& text, int64_t* samples, double* seconds, bool* enter) {
  *samples = 0;
  *seconds = 0;
  *enter = false;
  if (text.empty()) return Status::Ok();
  if (text == "enter") {
    *enter = true;
    return Status::Ok();
  }
  bool digits = text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) {
    *samples = std::atoll(text.c_str());
    if (*samples <= 0)
      return Status::InvalidArgument("--segment 0: give a positive number of samples");
    return Status::Ok();
  }
  Result<double> s = ParseSeconds(text, "--segment");
  if (!s.ok())
    return Status::InvalidArgument(fmt::format(
        "--segment '{}': give 'enter' (Enter starts the next recording), a number of samples "
        "(119) or a time (2s, 500ms)",
        text));
  *seconds = *s;
  return Status::Ok();
}

Result<CollectSummary> Collect(const CollectOptions& o, FILE* log) {
  if (o.out.empty()) return Status::InvalidArgument("--out: give the CSV file to write");
  for (char c : o.label)
    if (c == ',' || c == '"' || c == '\n' || c == '\r')
      return Status::InvalidArgument(
          fmt::format("--label '{}': a label cannot hold commas, quotes or line breaks", o.label));
  RecorderOptions ro;
  ro.label = o.label;
  ro.columns = o.columns;
  bool segment_enter = false;
  EMLKIT_RETURN_IF_ERROR(
      ParseSegment(o.segment, &ro.segment_samples, &ro.segment_seconds, &segment_enter));
  EMLKIT_ASSIGN_OR_RETURN(ExistingCsv existing, ReadExisting(o.out));
  ro.first_recording = existing.last_recording + 1;

  EMLKIT_ASSIGN_OR_RETURN(SerialPort port, SerialPort::Open(o.port, o.baud));
  InstallInterruptHandler();
  const double start = MonoNow();
  const double wall_offset = WallNow() - start + LocalOffset();
  Recorder rec(ro);
  LineAssembler lines;
  CollectSummary sum;
  sum.out = o.out;
  sum.appended = existing.exists;
  sum.first_recording = ro.first_recording;

  FILE* csv = nullptr;
  std::string pending;  // rows not yet on disk
  bool file_created = false;
  int64_t written = 0;  // rows on disk
  auto flush_rows = [&]() -> Status {
    // Rows past --samples are not written.
    if (o.samples > 0) {
      // Rows in `pending` (rows past the limit dropped before stay counted in rec.samples(),
      // so this can exceed what pending holds; the loop stops when it is empty).
      int64_t in_pending = rec.samples() - written;
      int64_t keep = std::max<int64_t>(0, std::min(in_pending, o.samples - written));
      for (int64_t drop = in_pending - keep; drop > 0 && !pending.empty(); --drop) {
        size_t cut =
            pending.size() >= 2 ? pending.rfind('\n', pending.size() - 2) : std::string::npos;
        pending.resize(cut == std::string::npos ? 0 : cut + 1);
      }
      written += keep;
    } else {
      written = rec.samples();
    }
    if (pending.empty() && csv != nullptr) return Status::Ok();
    if (csv == nullptr) {
      if (!rec.has_columns()) return Status::Ok();
      if (existing.exists && existing.header != rec.HeaderLine())
        return Status::InvalidArgument(
            fmt::format("{}: its columns ({}) are not this stream's ({}); write to another file",
                        o.out, existing.header.substr(0, existing.header.size() - 1),
                        rec.HeaderLine().substr(0, rec.HeaderLine().size() - 1)));
      csv = std::fopen(o.out.c_str(), "ab");
      if (csv == nullptr)
        return Status::IOError(fmt::format("{}: cannot write: {}", o.out, std::strerror(errno)));
      file_created = !existing.exists;
      if (!existing.exists) pending.insert(0, rec.HeaderLine());
    }
    if (std::fwrite(pending.data(), 1, pending.size(), csv) != pending.size() ||
        std::fflush(csv) != 0)
      return Status::IOError(fmt::format("{}: write failed: {}", o.out, std::strerror(errno)));
    pending.clear();
    return Status::Ok();
  };
  auto close_file = [&]() {
    if (csv != nullptr) {
      fsync(fileno(csv));
      std::fclose(csv);
      csv = nullptr;
    }
  };

  bool tty = log != nullptr && IsTerminal(log);
  double last_status = 0;
  auto status_line = [&](double now) {
    if (!tty || now - last_status < 0.25) return;
    last_status = now;
    std::fprintf(log, "\r\033[Kcollect: %lld samples, %.4g Hz, %.1f s, recording %lld%s",
                 static_cast<long long>(rec.samples()), rec.rate().rate_hz(), now - start,
                 static_cast<long long>(rec.recording()),
                 rec.malformed() > 0 ? fmt::format(", {} malformed", rec.malformed()).c_str() : "");
    std::fflush(log);
  };
  auto event = [&](const std::string& text) {
    if (log == nullptr) return;
    std::fprintf(log, "%scollect: %s\n", tty ? "\r\033[K" : "", text.c_str());
  };
  if (log != nullptr)
    event(fmt::format("reading {} at {} baud into {}{} (Ctrl-C stops{})", o.port, o.baud, o.out,
                      existing.exists ? " (appending)" : "",
                      segment_enter ? "; Enter starts the next recording" : ""));

  // The first line after an open is skipped only when the board was already streaming then
  // (what it had sent was dropped, so the next bytes may start mid-line).
  lines.Reset(port.was_streaming());
  std::vector<char> buf(1 << 16);
  std::vector<ArrivedLine> arrived;
  Status error = Status::Ok();
  for (;;) {
    double now = MonoNow();
    if (InterruptRequested()) {
      // What the OS already holds was sent before the stop: take it too.
      for (int drains = 0; drains < 64; ++drains) {
        Result<size_t> got = port.Read(buf.data(), buf.size(), 0);
        if (!got.ok() || *got == 0) break;
        arrived.clear();
        lines.Feed(buf.data(), *got, MonoNow(), &arrived);
        rec.OnLines(arrived, wall_offset, &pending);
      }
      sum.stopped_by = "interrupt";
      break;
    }
    if (o.duration_s > 0 && now - start >= o.duration_s) {
      sum.stopped_by = "duration";
      break;
    }
    if (o.samples > 0 && rec.samples() >= o.samples) {
      sum.stopped_by = "samples";
      break;
    }
    if (rec.samples() == 0 && now - start >= o.timeout_s) {
      std::string seen = rec.first_text();
      error = Status::InvalidArgument(
          seen.empty()
              ? fmt::format("{}: no data in {:g} s. Is the board's firmware printing samples "
                            "(Serial.println), and is this its port? Wait longer with --timeout",
                            o.port, o.timeout_s)
              : fmt::format("{}: no line of numbers in {:g} s; what came: '{}'. Is --baud {} "
                            "the rate the firmware sets (Serial.begin)? Lines must be numbers "
                            "separated by commas, tabs or spaces",
                            o.port, o.timeout_s, Printable(seen, 80), o.baud));
      break;
    }
    if (segment_enter && StdinEnterPressed()) {
      rec.NewRecording();
      event(fmt::format("recording {} ends; the next sample starts recording {}", rec.recording(),
                        rec.recording() + 1));
    }
    Result<size_t> got = port.Read(buf.data(), buf.size(), 100);
    double t = MonoNow();
    if (!got.ok()) {
      if (!IsPortGone(got.status())) {
        error = got.status();
        break;
      }
      // The port went away: keep what we have, then reopen until it is back.
      error = flush_rows();
      if (!error.ok()) break;
      ++sum.reconnects;
      event(
          fmt::format("{} went away after {} samples (board reset or cable pulled); "
                      "reconnecting (Ctrl-C stops)",
                      o.port, rec.samples()));
      double lost_at = MonoNow();
      bool back = false;
      while (!InterruptRequested()) {
        double w = MonoNow();
        if (o.duration_s > 0 && w - start >= o.duration_s) break;
        if (o.reconnect_timeout_s > 0 && w - lost_at >= o.reconnect_timeout_s) break;
        Result<SerialPort> again = SerialPort::Open(o.port, o.baud);
        if (again.ok()) {
          port = std::move(*again);
          back = true;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      if (!back) {
        sum.stopped_by = InterruptRequested() ? "interrupt"
                         : (o.duration_s > 0 && MonoNow() - start >= o.duration_s)
                             ? "duration"
                             : "reconnect_timeout";
        break;
      }
      event(fmt::format("{} is back after {:.1f} s", o.port, MonoNow() - lost_at));
      lines.Reset(port.was_streaming());
      rec.OnReconnect();
      continue;
    }
    if (*got > 0) {
      arrived.clear();
      lines.Feed(buf.data(), *got, t, &arrived);
      if (!arrived.empty()) {
        rec.OnLines(arrived, wall_offset, &pending);
        error = flush_rows();
        if (!error.ok()) break;
      }
    }
    status_line(t);
  }
  Status final_flush = flush_rows();
  close_file();
  if (tty) std::fprintf(log, "\r\033[K");
  if (error.ok()) error = final_flush;
  if (!error.ok()) {
    if (file_created && rec.samples() == 0) std::remove(o.out.c_str());
    return error;
  }
  sum.columns = rec.names();
  sum.samples = o.samples > 0 ? std::min(rec.samples(), o.samples) : rec.samples();
  sum.last_recording = rec.recording();
  sum.rate_hz = rec.rate().rate_hz();
  sum.period_s = rec.rate().period_s();
  sum.seconds = MonoNow() - start;
  sum.malformed = rec.malformed();
  sum.malformed_examples = rec.malformed_examples();
  sum.dropped_partial = lines.dropped_partial_lines();
  if (sum.samples == 0)
    return Status::Failed(
        fmt::format("{}: no sample was received before the run ended ({}); "
                    "nothing was written",
                    o.port, sum.stopped_by));
  return sum;
}

}  // namespace emlkit::collect
