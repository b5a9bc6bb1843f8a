#include "common/progress.h"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace emlkit {

bool IsTerminal(FILE* f) { return ::isatty(::fileno(f)) == 1; }

Progress::Progress(std::string label, int64_t total, FILE* out)
    : label_(std::move(label)), total_(total), out_(out), tty_(out && IsTerminal(out)) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { Finish(); }

void Progress::Update(int64_t done, const std::string& detail) {
  done_ = done;
  if (!tty_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(detail);
}

void Progress::Draw(const std::string& detail) {
  constexpr int kWidth = 30;
  double frac = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 0.0;
  if (frac > 1) frac = 1;
  int filled = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(out_, "\r\033[K%s [%s] %lld/%lld %.1fs %s", label_.c_str(), bar.c_str(),
               static_cast<long long>(done_), static_cast<long long>(total_), secs, detail.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void Progress::Line(const std::string& text) {
  if (!out_) return;
  if (tty_ && drawn_) std::fprintf(out_, "\r\033[K");
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
  drawn_ = false;
}

void Progress::Finish() {
  if (tty_ && drawn_) {
    std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
    drawn_ = false;
  }
}

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void OnSigint(int) {
  if (g_interrupted.exchange(true)) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
}
}  // namespace

void InstallInterruptHandler() { std::signal(SIGINT, OnSigint); }
bool InterruptRequested() { return g_interrupted.load(std::memory_order_relaxed); }
void ClearInterrupt() { g_interrupted = false; }

}  // namespace emlkit
