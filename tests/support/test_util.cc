#include "support/test_util.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace emlkit::testing {

std::string SharedDir() {
  const char* env = std::getenv("EMLKIT_SHARED_DIR");
  std::string dir = env && *env ? env : EMLKIT_TEST_SHARED_DIR;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return "";
  return std::filesystem::weakly_canonical(dir, ec).string();
}

std::string SharedPath(const std::string& rel) {
  std::string dir = SharedDir();
  if (dir.empty()) return "";
  std::string p = dir + "/" + rel;
  return PathExists(p) ? p : "";
}

std::string SourceDir() { return EMLKIT_TEST_SOURCE_DIR; }

std::string EmlkitBinary() { return EMLKIT_TEST_BIN; }

CliResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::string& stdin_text) {
  CliResult r;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) return r;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
      close(fd);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(program.c_str(), argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  size_t written = 0;
  if (stdin_text.empty()) {
    close(in_pipe[1]);
    in_pipe[1] = -1;
  }
  pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_pipe[1], POLLOUT, 0}};
  int open_reads = 2;
  char buf[65536];
  while (open_reads > 0 || fds[2].fd >= 0) {
    if (poll(fds, 3, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n > 0) {
          (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
        } else {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_reads;
        }
      }
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = -1;
      if (!(fds[2].revents & (POLLERR | POLLHUP)))
        n = write(fds[2].fd, stdin_text.data() + written, stdin_text.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n <= 0 || written == stdin_text.size()) {
        close(fds[2].fd);
        fds[2].fd = -1;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::vector<std::string> CompileEach(const std::string& compiler,
                                     const std::vector<std::string>& flags,
                                     const std::vector<std::string>& sources,
                                     const std::string& out_dir) {
  static const bool ccache = RunProgram("ccache", {"--version"}).exit_code == 0;
  std::vector<std::string> objects;
  for (const std::string& src : sources) {
    std::string name = src.substr(src.find_last_of('/') + 1);
    const std::string obj = out_dir + "/" + std::to_string(objects.size()) + "_" + name + ".o";
    std::vector<std::string> args = flags;
    for (const std::string& a : {std::string("-c"), src, std::string("-o"), obj}) args.push_back(a);
    if (ccache) args.insert(args.begin(), compiler);
    CliResult r = RunProgram(ccache ? "ccache" : compiler, args);
    if (r.exit_code != 0) {
      ADD_FAILURE() << compiler << " failed on " << src << ":\n" << r.err;
      return {};
    }
    objects.push_back(obj);
  }
  return objects;
}

CliResult RunEmlkit(const std::vector<std::string>& args, const std::string& stdin_text) {
  return RunProgram(EMLKIT_TEST_BIN, args, stdin_text);
}

void WriteText(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary);
  f << content;
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool PathExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

}  // namespace emlkit::testing
