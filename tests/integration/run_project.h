// A short version of examples/thermostat/emlkit.toml for `emlkit run` tests: 7 training days,
// 3 test days, 1 closed-loop day per scenario, no controller tuning, two boards.
#ifndef EMLKIT_TESTS_INTEGRATION_RUN_PROJECT_H_
#define EMLKIT_TESTS_INTEGRATION_RUN_PROJECT_H_

#include <string>

#include "support/test_util.h"

namespace emlkit::testing {

inline void ReplaceOnce(std::string* text, const std::string& from, const std::string& to) {
  const size_t at = text->find(from);
  EXPECT_NE(at, std::string::npos) << "examples/thermostat/emlkit.toml has no '" << from << "'";
  if (at != std::string::npos) text->replace(at, from.size(), to);
}

// Writes DIR/emlkit.toml and returns its path. `section` ("[train]\nepochs = 5\n") replaces the
// section of the same header (up to the next table header), or is appended when there is none.
inline std::string WriteShortThermostat(const std::string& dir, const std::string& section = "") {
  std::string text = ReadText(SourceDir() + "/examples/thermostat/emlkit.toml");
  ReplaceOnce(&text, "train_days = 28", "train_days = 7");
  ReplaceOnce(&text, "test_days = 14", "test_days = 3");
  ReplaceOnce(&text, "seed = 1 ", "seed = 5 ");
  ReplaceOnce(&text, "eval_days = 7", "eval_days = 1");
  ReplaceOnce(&text, "tune_days = 2", "tune_days = 0");
  ReplaceOnce(&text, "boards = [\"all\"]", "boards = [\"nano33ble\", \"uno\"]");
  if (!section.empty()) {
    const std::string header = section.substr(0, section.find('\n') + 1);
    const size_t at = text.find(header);
    if (at != std::string::npos) {
      const size_t next = text.find("\n[", at + header.size());
      const size_t end = next == std::string::npos ? text.size() : next + 1;
      text.replace(at, end - at, section + "\n");
    } else {
      text += "\n" + section;
    }
  }
  const std::string path = dir + "/emlkit.toml";
  WriteText(path, text);
  return path;
}

}  // namespace emlkit::testing

#endif  // EMLKIT_TESTS_INTEGRATION_RUN_PROJECT_H_
