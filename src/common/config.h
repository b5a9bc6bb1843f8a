// Reading emlkit.toml-style configuration with precise errors.
//
// Each stage owns one section ([data], [train], [quantize], ...). A stage reads the keys it
// knows with the typed getters and then calls CheckKnown(), so a misspelt key is an error that
// names the file, line and column instead of being silently ignored. Values that are absent leave
// the output untouched, so the caller's defaults stand; command-line flags are applied afterwards
// and win over the file.
//
//   EMLKIT_ASSIGN_OR_RETURN(ConfigFile cfg, ConfigFile::Load("emlkit.toml"));
//   ConfigSection train = cfg.Section("train");
//   EMLKIT_RETURN_IF_ERROR(train.Get("epochs", &opts.epochs));
//   EMLKIT_RETURN_IF_ERROR(train.CheckKnown({"epochs", "lr", "layers"}));
#ifndef EMLKIT_COMMON_CONFIG_H_
#define EMLKIT_COMMON_CONFIG_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit {

class ConfigSection {
 public:
  ConfigSection() = default;

  // True if the section exists in the file.
  bool present() const { return table_ != nullptr; }
  bool Has(const std::string& key) const;
  // "FILE:LINE:COL" of `key` (or of the section when the key is absent).
  std::string Where(const std::string& key) const;
  // The section's dotted name, e.g. "data.clean".
  const std::string& name() const { return name_; }

  // Typed getters: absent key -> Ok and *out unchanged; wrong type -> InvalidArgument naming
  // FILE:LINE:COL, the key, the type found and the type expected. Integers are accepted where
  // a double is expected.
  Status Get(const std::string& key, std::string* out) const;
  Status Get(const std::string& key, double* out) const;
  Status Get(const std::string& key, int64_t* out) const;
  Status Get(const std::string& key, int* out) const;
  Status Get(const std::string& key, bool* out) const;
  Status Get(const std::string& key, std::vector<std::string>* out) const;
  Status Get(const std::string& key, std::vector<double>* out) const;

  // A nested table, e.g. [data.clip] -> Sub("clip"). Absent -> a section with present() false.
  // A key that exists but is not a table -> InvalidArgument.
  Result<ConfigSection> Sub(const std::string& key) const;
  // Names of all keys, in file order.
  std::vector<std::string> Keys() const;

  // Every key must be one of `known`; otherwise InvalidArgument naming FILE:LINE:COL, the
  // unknown key and the known ones.
  Status CheckKnown(std::initializer_list<const char*> known) const;
  Status CheckKnown(const std::vector<std::string>& known) const;

 private:
  friend class ConfigFile;
  // "[name] " for messages; empty for the root table.
  std::string Label() const { return name_.empty() ? "" : "[" + name_ + "] "; }
  std::shared_ptr<const void> owner_;  // keeps the parsed document alive
  const void* table_ = nullptr;        // a toml::table inside the document
  std::string file_;
  std::string name_;
};

class ConfigFile {
 public:
  // Parses a TOML file. Syntax errors name FILE:LINE:COL and the problem.
  static Result<ConfigFile> Load(const std::string& path);
  // Parses TOML text; `name` stands for the file in messages.
  static Result<ConfigFile> Parse(const std::string& text, const std::string& name);

  // The top-level table [name]; absent -> present() false. A non-table value -> error.
  Result<ConfigSection> Section(const std::string& name) const;
  ConfigSection Root() const;
  // Every top-level key must be one of `known` sections.
  Status CheckSections(std::initializer_list<const char*> known) const;
  const std::string& path() const { return path_; }

 private:
  std::shared_ptr<const void> doc_;
  std::string path_;
};

}  // namespace emlkit

#endif  // EMLKIT_COMMON_CONFIG_H_
