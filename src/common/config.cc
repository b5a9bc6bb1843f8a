#include "common/config.h"

#include <toml++/toml.h>
#include <algorithm>

#include "common/fs.h"

namespace emlkit {
namespace {

const toml::table* Tab(const void* p) { return static_cast<const toml::table*>(p); }

std::string Pos(const std::string& file, const toml::source_region& r) {
  return file + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

const char* TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date/time";
  }
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

}  // namespace

bool ConfigSection::Has(const std::string& key) const {
  return table_ && Tab(table_)->contains(key);
}

std::string ConfigSection::Where(const std::string& key) const {
  if (!table_) return file_;
  if (const toml::node* n = Tab(table_)->get(key)) return Pos(file_, n->source());
  return Pos(file_, Tab(table_)->source());
}

#define EMLKIT_CONFIG_WRONG_TYPE(expected)                                                    \
  Status::InvalidArgument(Where(key) + ": " + Label() + "'" + key + "' must be " + expected + \
                          ", found " + TypeName(*n))

Status ConfigSection::Get(const std::string& key, std::string* out) const {
  const toml::node* n = table_ ? Tab(table_)->get(key) : nullptr;
  if (!n) return Status::Ok();
  if (!n->is_string()) return EMLKIT_CONFIG_WRONG_TYPE("a string");
  *out = n->as_string()->get();
  return Status::Ok();
}

Status ConfigSection::Get(const std::string& key, double* out) const {
  const toml::node* n = table_ ? Tab(table_)->get(key) : nullptr;
  if (!n) return Status::Ok();
  if (n->is_floating_point()) {
    *out = n->as_floating_point()->get();
  } else if (n->is_integer()) {
    *out = static_cast<double>(n->as_integer()->get());
  } else {
    return EMLKIT_CONFIG_WRONG_TYPE("a number");
  }
  return Status::Ok();
}

Status ConfigSection::Get(const std::string& key, int64_t* out) const {
  const toml::node* n = table_ ? Tab(table_)->get(key) : nullptr;
  if (!n) return Status::Ok();
  if (!n->is_integer()) return EMLKIT_CONFIG_WRONG_TYPE("an integer");
  *out = n->as_integer()->get();
  return Status::Ok();
}

Status ConfigSection::Get(const std::string& key, int* out) const {
  int64_t v = *out;
  EMLKIT_RETURN_IF_ERROR(Get(key, &v));
  if (v < INT32_MIN || v > INT32_MAX) {
    return Status::InvalidArgument(Where(key) + ": " + Label() + "'" + key + "' is out of range");
  }
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status ConfigSection::Get(const std::string& key, bool* out) const {
  const toml::node* n = table_ ? Tab(table_)->get(key) : nullptr;
  if (!n) return Status::Ok();
  if (!n->is_boolean()) return EMLKIT_CONFIG_WRONG_TYPE("true or false");
  *out = n->as_boolean()->get();
  return Status::Ok();
}

Status ConfigSection::Get(const std::string& key, std::vector<std::string>* out) const {
  const toml::node* n = table_ ? Tab(table_)->get(key) : nullptr;
  if (!n) return Status::Ok();
  if (n->is_string()) {  // a single string is a list of one
    *out = {n->as_string()->get()};
    return Status::Ok();
  }
  if (!n->is_array()) return EMLKIT_CONFIG_WRONG_TYPE("an array of strings");
  std::vector<std::string> v;
  for (const toml::node& e : *n->as_array()) {
    if (!e.is_string()) {
      return Status::InvalidArgument(Pos(file_, e.source()) + ": " + Label() + "'" + key +
                                     "' must hold only strings, found " + TypeName(e));
    }
    v.push_back(e.as_string()->get());
  }
  *out = std::move(v);
  return Status::Ok();
}

Status ConfigSection::Get(const std::string& key, std::vector<double>* out) const {
  const toml::node* n = table_ ? Tab(table_)->get(key) : nullptr;
  if (!n) return Status::Ok();
  if (!n->is_array()) return EMLKIT_CONFIG_WRONG_TYPE("an array of numbers");
  std::vector<double> v;
  for (const toml::node& e : *n->as_array()) {
    if (e.is_floating_point()) {
      v.push_back(e.as_floating_point()->get());
    } else if (e.is_integer()) {
      v.push_back(static_cast<double>(e.as_integer()->get()));
    } else {
      return Status::InvalidArgument(Pos(file_, e.source()) + ": " + Label() + "'" + key +
                                     "' must hold only numbers, found " + TypeName(e));
    }
  }
  *out = std::move(v);
  return Status::Ok();
}

#undef EMLKIT_CONFIG_WRONG_TYPE

Result<ConfigSection> ConfigSection::Sub(const std::string& key) const {
  ConfigSection s;
  s.owner_ = owner_;
  s.file_ = file_;
  s.name_ = name_.empty() ? key : name_ + "." + key;
  const toml::node* n = table_ ? Tab(table_)->get(key) : nullptr;
  if (!n) return s;
  if (!n->is_table()) {
    return Status::InvalidArgument(Where(key) + ": '" + s.name_ + "' must be a table, found " +
                                   TypeName(*n));
  }
  s.table_ = n->as_table();
  return s;
}

std::vector<std::string> ConfigSection::Keys() const {
  std::vector<std::pair<toml::source_position, std::string>> keyed;
  if (table_) {
    for (const auto& [k, v] : *Tab(table_))
      keyed.emplace_back(v.source().begin, std::string(k.str()));
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first.line != b.first.line ? a.first.line < b.first.line
                                        : a.first.column < b.first.column;
  });
  std::vector<std::string> out;
  for (auto& k : keyed) out.push_back(std::move(k.second));
  return out;
}

Status ConfigSection::CheckKnown(const std::vector<std::string>& known) const {
  for (const std::string& k : Keys()) {
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      return Status::InvalidArgument(Where(k) + ": unknown key '" + k + "'" +
                                     (name_.empty() ? "" : " in [" + name_ + "]") +
                                     "; known keys: " + Join(known));
    }
  }
  return Status::Ok();
}

Status ConfigSection::CheckKnown(std::initializer_list<const char*> known) const {
  return CheckKnown(std::vector<std::string>(known.begin(), known.end()));
}

Result<ConfigFile> ConfigFile::Parse(const std::string& text, const std::string& name) {
  // Debian's toml++ is built with exceptions: a syntax error arrives as toml::parse_error.
  ConfigFile f;
  try {
    f.doc_ = std::make_shared<toml::table>(toml::parse(text, name));
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(Pos(name, e.source()) +
                                   ": not valid TOML: " + std::string(e.description()));
  }
  f.path_ = name;
  return f;
}

Result<ConfigFile> ConfigFile::Load(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  return Parse(text, path);
}

ConfigSection ConfigFile::Root() const {
  ConfigSection s;
  s.owner_ = doc_;
  s.table_ = doc_.get();
  s.file_ = path_;
  return s;
}

Result<ConfigSection> ConfigFile::Section(const std::string& name) const {
  return Root().Sub(name);
}

Status ConfigFile::CheckSections(std::initializer_list<const char*> known) const {
  ConfigSection root = Root();
  for (const std::string& k : root.Keys()) {
    if (std::find_if(known.begin(), known.end(), [&](const char* s) { return k == s; }) ==
        known.end()) {
      std::vector<std::string> names(known.begin(), known.end());
      return Status::InvalidArgument(root.Where(k) + ": unknown section or key '" + k +
                                     "'; known sections: " + Join(names));
    }
  }
  return Status::Ok();
}

}  // namespace emlkit
