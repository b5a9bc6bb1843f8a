#include "common/fs.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace emlkit {
namespace fs = std::filesystem;
namespace {

std::string OsError(int err) { return std::strerror(err); }

// A name unique within this process and unlikely to clash across processes.
std::string UniqueSuffix() {
  static std::atomic<unsigned> counter{0};
  return ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

// The PID in a name that ends in ".tmp-PID-N", or 0.
long TempOwner(const std::string& name) {
  const size_t at = name.rfind(".tmp-");
  if (at == std::string::npos) return 0;
  const std::string rest = name.substr(at + 5);
  const size_t dash = rest.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == rest.size()) return 0;
  for (size_t i = 0; i < rest.size(); ++i)
    if (i != dash && (rest[i] < '0' || rest[i] > '9')) return 0;
  return std::strtol(rest.substr(0, dash).c_str(), nullptr, 10);
}

}  // namespace

int RemoveStaleTemporaries(const std::string& folder, const std::string& prefix) {
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const long pid = TempOwner(name);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running
    std::error_code rm;
    if (fs::remove_all(it->path(), rm) > 0 && !rm) ++removed;
  }
  return removed;
}

Result<std::vector<uint8_t>> ReadFileBytes(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return Status::InvalidArgument(path + ": is a folder, expected a file");
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound(path + ": no such file (check the path)");
    return Status::IOError(path + ": cannot open: " + OsError(err));
  }
  std::vector<uint8_t> out;
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) return Status::IOError(path + ": read failed");
  return out;
}

Result<std::string> ReadFileText(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return std::string(bytes.begin(), bytes.end());
}

Status WriteFileAtomic(const std::string& path, const void* data, size_t size) {
  std::string tmp = path + UniqueSuffix();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(path + ": cannot create: " + OsError(errno));
  const uint8_t* p = static_cast<const uint8_t*>(data);
  size_t left = size;
  while (left > 0) {
    ssize_t w = ::write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IOError(path + ": write failed: " + OsError(err));
    }
    p += w;
    left -= static_cast<size_t>(w);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::IOError(path + ": write failed: " + OsError(err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::IOError(path + ": cannot replace: " + OsError(err));
  }
  return Status::Ok();
}

Status WriteFileAtomic(const std::string& path, const std::string& text) {
  return WriteFileAtomic(path, text.data(), text.size());
}

Status CheckWritableFile(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("output path is empty");
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return Status::InvalidArgument(path + ": is a folder; give a file name");
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec))
    return Status::InvalidArgument(path + ": folder '" + parent.string() +
                                   "' does not exist; create it first");
  if (::access(parent.c_str(), W_OK) != 0)
    return Status::InvalidArgument(path + ": folder '" + parent.string() + "' is not writable");
  return Status::Ok();
}

StagedDir::~StagedDir() {
  if (!temp_.empty() && !committed_) {
    std::error_code ec;
    fs::remove_all(temp_, ec);
  }
}

Status StagedDir::Begin(const std::string& final_path) {
  std::string f = final_path;
  while (f.size() > 1 && f.back() == '/') f.pop_back();
  if (f.empty()) return Status::InvalidArgument("output folder path is empty");
  std::error_code ec;
  if (fs::exists(f, ec) && !fs::is_directory(f, ec))
    return Status::InvalidArgument(f + ": exists and is not a folder; choose another --out");
  fs::path parent = fs::path(f).parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec))
    return Status::InvalidArgument(f + ": parent folder '" + parent.string() +
                                   "' does not exist; create it first");
  final_ = f;
  // A staging folder a killed run left next to it (f.tmp-PID-N of a dead process).
  RemoveStaleTemporaries(parent.string(), fs::path(f).filename().string() + ".tmp-");
  temp_ = f + UniqueSuffix();
  if (!fs::create_directory(temp_, ec))
    return Status::IOError(f + ": cannot create a temporary folder next to it: " + ec.message());
  return Status::Ok();
}

std::string StagedDir::Path(const std::string& name) const { return temp_ + "/" + name; }

Status StagedDir::Commit() {
  if (temp_.empty()) return Status::Internal("StagedDir::Commit without Begin");
  std::error_code ec;
  std::string old;
  if (fs::exists(final_, ec)) {
    old = final_ + UniqueSuffix() + ".old";
    fs::rename(final_, old, ec);
    if (ec)
      return Status::IOError(final_ + ": cannot replace the existing folder: " + ec.message());
  }
  fs::rename(temp_, final_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, final_, ec);
    return Status::IOError(final_ +
                           ": cannot move the finished folder into place: " + ec.message());
  }
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
  return Status::Ok();
}

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string templ = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data())) path_ = buf.data();
}

ScratchDir::~ScratchDir() {
  if (!path_.empty()) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

}  // namespace emlkit
