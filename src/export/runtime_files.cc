#include "export/runtime_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>

#include "emlkit/op_list.h"

namespace emlkit::exporter {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The quoted #include targets of a file ("kernels/kernel.h"), in order.
std::vector<std::string> QuotedIncludes(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = text.find("#include \"", pos)) != std::string_view::npos) {
    pos += 10;
    size_t end = text.find('"', pos);
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

// Where an include target lives in runtime/: "emlkit/x.h" is under include/.
std::string ResolveInclude(const std::string& target) {
  if (FindRuntimeFile("include/" + target) != nullptr) return "include/" + target;
  if (FindRuntimeFile(target) != nullptr) return target;
  return "";
}

// The top-level kernel file defining PrepareOp_<name>, or "".
std::string KernelFileFor(const std::string& name) {
  const std::string needle = "Status PrepareOp_" + name + "(";
  for (const RuntimeFile& f : EmbeddedRuntimeFiles()) {
    if (!f.path.starts_with("kernels/") || !EndsWith(f.path, ".cc")) continue;
    if (f.path.find('/', 8) != std::string_view::npos) continue;  // variants live in subfolders
    if (f.content.find(needle) != std::string_view::npos) return std::string(f.path);
  }
  return "";
}

}  // namespace

const RuntimeFile* FindRuntimeFile(std::string_view path) {
  std::span<const RuntimeFile> files = EmbeddedRuntimeFiles();
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const RuntimeFile& f, std::string_view p) { return f.path < p; });
  return it != files.end() && it->path == path ? &*it : nullptr;
}

Result<std::vector<std::string>> RuntimeFilesFor(const std::vector<int32_t>& op_codes) {
  std::set<std::string> chosen;
  std::deque<std::string> todo;
  auto add = [&](const std::string& path) {
    if (chosen.insert(path).second) todo.push_back(path);
  };
  for (const RuntimeFile& f : EmbeddedRuntimeFiles()) {
    if (f.path.starts_with("src/") && EndsWith(f.path, ".cc")) add(std::string(f.path));
  }
  for (int32_t code : std::set<int32_t>(op_codes.begin(), op_codes.end())) {
    // The supported operators are exactly those with a kernel defining PrepareOp_<NAME>.
    const std::string name = rt::BuiltinOpName(code);
    std::string kernel = KernelFileFor(name);
    if (kernel.empty()) {
      return Status::Unsupported(fmt::format(
          "operator {} (builtin code {}) has no kernel in emlkit's runtime, so it cannot be "
          "exported; replace it in the model (emlkit inspect lists the supported operators)",
          name, code));
    }
    add(kernel);
  }
  while (!todo.empty()) {
    const std::string path = todo.front();
    todo.pop_front();
    const RuntimeFile* f = FindRuntimeFile(path);
    if (f == nullptr) return Status::Internal("runtime file " + path + " is not embedded");
    if (EndsWith(path, ".h")) {
      // A header's implementation: kernels/conv.h -> kernels/conv.cc (and its reference part).
      std::string cc = path.substr(0, path.size() - 2) + ".cc";
      if (FindRuntimeFile(cc) != nullptr) add(cc);
    }
    if (path.starts_with("kernels/") && path.find('/', 8) == std::string::npos &&
        EndsWith(path, ".cc")) {
      std::string ref = "kernels/reference/" + path.substr(8);
      if (FindRuntimeFile(ref) != nullptr) add(ref);
    }
    for (const std::string& inc : QuotedIncludes(f->content)) {
      std::string resolved = ResolveInclude(inc);
      if (!resolved.empty()) add(resolved);
    }
  }
  return std::vector<std::string>(chosen.begin(), chosen.end());
}

}  // namespace emlkit::exporter
