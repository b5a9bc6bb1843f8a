#include "sim/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/fs.h"

extern char** environ;

namespace emlkit::sim {
namespace {

struct Running {
  pid_t pid = -1;
  std::string out_path, err_path;
  std::chrono::steady_clock::time_point start;
};

Result<Running> Spawn(const std::vector<std::string>& argv, const std::string& cwd,
                      const ScratchDir& scratch, int slot) {
  Running r;
  r.out_path = scratch.Path("out" + std::to_string(slot));
  r.err_path = scratch.Path("err" + std::to_string(slot));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, r.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, r.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  r.start = std::chrono::steady_clock::now();
  int rc = posix_spawnp(&r.pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    return Status::NotFound("cannot run " + argv[0] + ": " + std::string(strerror(rc)));
  }
  return r;
}

ProcessResult Collect(const Running& r, int wstatus, bool timed_out) {
  ProcessResult p;
  p.timed_out = timed_out;
  if (WIFEXITED(wstatus)) p.exit_code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) p.signal = WTERMSIG(wstatus);
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - r.start).count();
  if (auto t = ReadFileText(r.out_path); t.ok()) p.out = *t;
  if (auto t = ReadFileText(r.err_path); t.ok()) p.err = *t;
  return p;
}

}  // namespace

std::string CommandText(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, const std::string& cwd,
                                 double timeout_s) {
  ScratchDir scratch("emlkit-proc");
  EMLKIT_ASSIGN_OR_RETURN(Running r, Spawn(argv, cwd, scratch, 0));
  int wstatus = 0;
  bool timed_out = false;
  for (;;) {
    pid_t w = waitpid(r.pid, &wstatus, WNOHANG);
    if (w == r.pid) break;
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - r.start).count();
    if (timeout_s > 0 && elapsed > timeout_s) {
      kill(r.pid, SIGKILL);
      waitpid(r.pid, &wstatus, 0);
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return Collect(r, wstatus, timed_out);
}

Status RunAll(const std::vector<std::vector<std::string>>& commands, int jobs) {
  ScratchDir scratch("emlkit-jobs");
  std::vector<std::pair<Running, size_t>> running;
  size_t next = 0;
  Status failure = Status::Ok();
  while ((next < commands.size() && failure.ok()) || !running.empty()) {
    while (failure.ok() && next < commands.size() && static_cast<int>(running.size()) < jobs) {
      auto r = Spawn(commands[next], "", scratch, static_cast<int>(next));
      if (!r.ok()) {
        failure = r.status();
        break;
      }
      running.push_back({*r, next++});
    }
    int wstatus = 0;
    pid_t w = waitpid(-1, &wstatus, 0);
    if (w < 0) break;
    for (size_t i = 0; i < running.size(); ++i) {
      if (running[i].first.pid != w) continue;
      ProcessResult p = Collect(running[i].first, wstatus, false);
      if (p.exit_code != 0 && failure.ok()) {
        failure = Status::Failed(CommandText(commands[running[i].second]) + " failed:\n" + p.err);
      }
      running.erase(running.begin() + static_cast<long>(i));
      break;
    }
  }
  return failure;
}

bool ProgramOnPath(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string p = path == nullptr ? "/usr/bin:/bin" : path;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string dir = p.substr(start, end - start);
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace emlkit::sim
