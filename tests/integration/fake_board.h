// A board on a pseudo-terminal for the collect/monitor tests: writes "seq,value" lines (or any
// text) at a set rate with absolute sleeps, so the true rate is exact; can inject garbage, pause,
// and go away and come back (a new pty behind the same symlink, as a board that resets comes back
// as the same /dev/ttyACM0). And a child process that can be interrupted like a person would.
#ifndef EMLKIT_TESTS_INTEGRATION_FAKE_BOARD_H_
#define EMLKIT_TESTS_INTEGRATION_FAKE_BOARD_H_

#include <dirent.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "support/test_util.h"

namespace emlkit::testing {

class FakeBoard {
 public:
  // `link`: the path the tests give as --port (a symlink to the current pty).
  explicit FakeBoard(std::string link) : link_(std::move(link)) { Connect(); }
  ~FakeBoard() { Disconnect(); }

  // A new pseudo-terminal behind link().
  void Connect() {
    char name[256];
    termios tio{};
    cfmakeraw(&tio);
    EXPECT_EQ(openpty(&master_, &slave_, name, &tio, nullptr), 0);
    // Not inherited by the program under test, or it would hold the board's end open.
    fcntl(master_, F_SETFD, FD_CLOEXEC);
    fcntl(slave_, F_SETFD, FD_CLOEXEC);
    pts_ = name;
    unlink(link_.c_str());
    EXPECT_EQ(symlink(name, link_.c_str()), 0);
  }
  // The board goes away: the pty closes and the link dangles (reads on the other side fail).
  void Disconnect() {
    if (master_ >= 0) close(master_);
    if (slave_ >= 0) close(slave_);
    master_ = slave_ = -1;
    unlink(link_.c_str());
  }
  // Waits until process `pid` has the pty open (so nothing written is flushed away at its open).
  bool WaitOpenedBy(pid_t pid, double timeout_s = 10) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    std::string dir = "/proc/" + std::to_string(pid) + "/fd";
    while (std::chrono::steady_clock::now() < end) {
      if (DIR* d = opendir(dir.c_str())) {
        bool found = false;
        while (dirent* e = readdir(d)) {
          char target[256] = {0};
          std::string p = dir + "/" + e->d_name;
          ssize_t n = readlink(p.c_str(), target, sizeof target - 1);
          if (n > 0 && pts_ == target) found = true;
        }
        closedir(d);
        if (found) {
          // Let the reader finish configuring the terminal before the first byte.
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          return true;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
  void Write(const std::string& text) {
    size_t off = 0;
    while (off < text.size()) {
      ssize_t n = write(master_, text.data() + off, text.size() - off);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  }
  // Lines "seq,value" for seq = first .. first+count-1 at `hz`, from now, with absolute sleeps;
  // a garbage line after every `garbage_every` samples (0: none).
  void Stream(double hz, int first, int count, int garbage_every = 0) {
    timespec t0{};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < count; ++i) {
      double at = i / hz;
      timespec due = t0;
      due.tv_sec += static_cast<time_t>(at);
      due.tv_nsec += static_cast<long>((at - static_cast<double>(static_cast<time_t>(at))) * 1e9);
      if (due.tv_nsec >= 1000000000L) {
        due.tv_sec += 1;
        due.tv_nsec -= 1000000000L;
      }
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, nullptr);
      int seq = first + i;
      Write(std::to_string(seq) + "," + std::to_string(seq * 0.5) + "\n");
      // Not after the last sample: the reader may stop before it comes.
      if (garbage_every > 0 && (i + 1) % garbage_every == 0 && i + 1 < count)
        Write("ERR sensor \x01 timeout\n");
    }
  }
  const std::string& link() const { return link_; }

 private:
  std::string link_, pts_;
  int master_ = -1, slave_ = -1;
};

// A child process with stdout/stderr in files, that can be sent SIGINT.
class Child {
 public:
  Child(const std::string& program, const std::vector<std::string>& args, const std::string& dir)
      : out_(dir + "/child.out"), err_(dir + "/child.err") {
    // Emptied here, before the child runs, so a wait never reads an earlier child's lines.
    WriteText(out_, "");
    WriteText(err_, "");
    pid_ = fork();
    if (pid_ == 0) {
      int o = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);  // already empty
      int n = open("/dev/null", O_RDONLY);
      dup2(n, 0);
      dup2(o, 1);
      dup2(e, 2);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(program.c_str()));
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(program.c_str(), argv.data());
      _exit(127);
    }
  }
  pid_t pid() const { return pid_; }
  void Interrupt() { kill(pid_, SIGINT); }
  // Exit code (-signal when killed); kills it after `timeout_s`.
  int Wait(double timeout_s = 60) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > end) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        ADD_FAILURE() << "child did not end within " << timeout_s << " s";
        return -SIGKILL;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  // Waits until the child's stderr holds `text` (a readiness line), at most `timeout_s`.
  bool WaitForErr(const std::string& text, double timeout_s = 20) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    while (std::chrono::steady_clock::now() < end) {
      if (ReadText(err_).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "no '" << text << "' on the child's stderr within " << timeout_s
                  << " s; it has: " << ReadText(err_);
    return false;
  }
  std::string out() const { return ReadText(out_); }
  std::string err() const { return ReadText(err_); }

 private:
  pid_t pid_ = -1;
  std::string out_, err_;
};

}  // namespace emlkit::testing

#endif  // EMLKIT_TESTS_INTEGRATION_FAKE_BOARD_H_
