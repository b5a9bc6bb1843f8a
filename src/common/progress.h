// Progress for long work, and Ctrl-C handling.
//
// Progress draws a bar on a terminal (redrawn at most ~10 times a second) and stays silent
// otherwise, so logs and pipes only get the per-step lines the caller prints with Line().
//   Progress p("train", epochs);
//   for (...) { p.Update(i, "loss 0.12"); p.Line("epoch 3/50 loss 0.12 val_acc 0.97"); }
//   p.Finish();
#ifndef EMLKIT_COMMON_PROGRESS_H_
#define EMLKIT_COMMON_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace emlkit {

bool IsTerminal(FILE* f);

class Progress {
 public:
  // `out` is where the bar and lines go (stderr by default, so stdout stays clean for --json);
  // nullptr: nothing is shown.
  Progress(std::string label, int64_t total, FILE* out = stderr);
  ~Progress();
  // Sets the amount done; redraws the bar on a terminal (rate-limited).
  void Update(int64_t done, const std::string& detail = "");
  // Prints a whole line (clearing the bar first on a terminal); always printed.
  void Line(const std::string& text);
  // Removes the bar. Called by the destructor too.
  void Finish();
  bool tty() const { return tty_; }

 private:
  void Draw(const std::string& detail);
  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  FILE* out_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// Ctrl-C: the first SIGINT sets a flag that long jobs poll (they stop after the current step and
// save what they have); a second SIGINT ends the process at once.
void InstallInterruptHandler();
bool InterruptRequested();
void ClearInterrupt();  // for tests

}  // namespace emlkit

#endif  // EMLKIT_COMMON_PROGRESS_H_
