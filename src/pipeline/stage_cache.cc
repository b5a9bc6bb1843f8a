#include "pipeline/stage_cache.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "common/fs.h"
#include "common/sha256.h"

namespace emlkit::pipeline {
namespace fs = std::filesystem;
namespace {

// Every regular file under `path` (or `path` itself), relative names sorted.
std::vector<std::string> FilesUnder(const std::string& path) {
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return {""};
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) files.push_back(fs::relative(it->path(), path, ec).string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

void StageKey::AddText(const std::string& label, const std::string& text) {
  material_ += label + "\n" + std::to_string(text.size()) + "\n" + text + "\n";
}

Status StageKey::AddPath(const std::string& label, const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return Status::NotFound(path + ": input of stage missing (" + label + ")");
  for (const std::string& rel : FilesUnder(path)) {
    const std::string file = rel.empty() ? path : path + "/" + rel;
    EMLKIT_ASSIGN_OR_RETURN(std::string hex, Sha256File(file));
    AddText(label + "/" + rel, hex);
  }
  return Status::Ok();
}

std::string StageKey::Hex() const {
  Sha256 h;
  h.Update(material_.data(), material_.size());
  return h.HexDigest();
}

std::string StageCache::StampPath(const std::string& stage) const {
  return dir_ + "/.emlkit/" + stage + ".json";
}

Result<std::string> StageCache::OutputsDigest(const std::vector<std::string>& outputs) const {
  StageKey k;
  for (const std::string& o : outputs) EMLKIT_RETURN_IF_ERROR(k.AddPath(o, dir_ + "/" + o));
  return k.Hex();
}

Result<std::optional<StageStamp>> StageCache::Find(const std::string& stage,
                                                   const std::string& key) const {
  std::error_code ec;
  if (!fs::exists(StampPath(stage), ec)) return std::optional<StageStamp>();
  auto text = ReadFileText(StampPath(stage));
  if (!text.ok()) return std::optional<StageStamp>();
  auto j = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("key", "") != key)
    return std::optional<StageStamp>();
  StageStamp s;
  s.key = key;
  s.outputs = j.value("outputs", std::vector<std::string>());
  s.figures = j.value("figures", nlohmann::ordered_json());
  s.seconds = j.value("seconds", 0.0);
  // An output changed or removed by hand: the stage runs again.
  auto digest = OutputsDigest(s.outputs);
  if (!digest.ok() || *digest != j.value("outputs_sha256", "")) return std::optional<StageStamp>();
  return std::optional<StageStamp>(std::move(s));
}

Status StageCache::Invalidate(const std::string& stage) const {
  std::error_code ec;
  fs::remove(StampPath(stage), ec);
  if (ec) return Status::IOError(StampPath(stage) + ": cannot remove: " + ec.message());
  return Status::Ok();
}

Status StageCache::Record(const std::string& stage, const StageStamp& stamp) const {
  std::error_code ec;
  fs::create_directories(dir_ + "/.emlkit", ec);
  if (ec) return Status::IOError(dir_ + "/.emlkit: cannot create: " + ec.message());
  EMLKIT_ASSIGN_OR_RETURN(std::string digest, OutputsDigest(stamp.outputs));
  nlohmann::ordered_json j;
  j["stage"] = stage;
  j["key"] = stamp.key;
  j["outputs"] = stamp.outputs;
  j["outputs_sha256"] = digest;
  j["seconds"] = stamp.seconds;
  j["figures"] = stamp.figures;
  return WriteFileAtomic(StampPath(stage), j.dump(1) + "\n");
}

}  // namespace emlkit::pipeline
