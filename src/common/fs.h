// File helpers that keep the promise "nothing half-written is left behind":
// single files are written to a temporary sibling and renamed; output folders are built in a
// temporary sibling folder (StagedDir) and renamed into place only when the job succeeded.
#ifndef EMLKIT_COMMON_FS_H_
#define EMLKIT_COMMON_FS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit {

// Whole-file reads. Errors name the path and the operating system's reason.
Result<std::vector<uint8_t>> ReadFileBytes(const std::string& path);
Result<std::string> ReadFileText(const std::string& path);

// Writes `size` bytes to `path` through a temporary file in the same folder and a rename, so
// readers see either the old file or the whole new one. The folder must exist.
Status WriteFileAtomic(const std::string& path, const void* data, size_t size);
Status WriteFileAtomic(const std::string& path, const std::string& text);

// Checks early (before any long job) that `path` can be created: its folder exists and is
// writable and `path` itself is not a folder. Message names the path and what to do.
Status CheckWritableFile(const std::string& path);

// Removes what a killed run left in `folder`: entries whose name starts with `prefix` and ends
// in ".tmp-PID-N" (the temporary names used here) where no process PID is running any more.
// Returns how many were removed. Entries of running processes (other jobs) are kept.
int RemoveStaleTemporaries(const std::string& folder, const std::string& prefix);

// An output folder assembled under a temporary name next to its final place.
//   StagedDir dir;  EMLKIT_RETURN_IF_ERROR(dir.Begin("ds/"));
//   WriteNpy(dir.Path("X_train.npy"), x);  ...
//   EMLKIT_RETURN_IF_ERROR(dir.Commit());   // renames into place, replacing an older "ds/"
// Begin() first removes staging folders of `final_path` that killed runs left behind.
// If Commit() is never called (an error return), the destructor removes the temporary folder.
class StagedDir {
 public:
  StagedDir() = default;
  ~StagedDir();
  StagedDir(const StagedDir&) = delete;
  StagedDir& operator=(const StagedDir&) = delete;

  Status Begin(const std::string& final_path);
  // Path of `name` inside the temporary folder.
  std::string Path(const std::string& name) const;
  const std::string& temp_path() const { return temp_; }
  const std::string& final_path() const { return final_; }
  Status Commit();

 private:
  std::string final_;
  std::string temp_;
  bool committed_ = false;
};

// A unique temporary folder removed (recursively) on destruction. For tests and scratch work.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix = "emlkit");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace emlkit

#endif  // EMLKIT_COMMON_FS_H_
