// Helpers shared by emlkit's tests: where ../shared is, running the emlkit binary, scratch files.
#ifndef EMLKIT_TESTS_SUPPORT_TEST_UTIL_H_
#define EMLKIT_TESTS_SUPPORT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace emlkit::testing {

// The shared folder (data sets, golden models, peer benchmarks): $EMLKIT_SHARED_DIR if set, else
// the path configured at build time (<project>/../shared). Empty if it does not exist.
std::string SharedDir();
// SharedDir() + "/" + rel if that exists, else "".
std::string SharedPath(const std::string& rel);
// The project source folder (for files committed with the tests).
std::string SourceDir();

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// The path of the emlkit binary under test (build/bin/emlkit).
std::string EmlkitBinary();
// Runs build/bin/emlkit with `args` (no shell), optionally feeding `stdin_text`.
CliResult RunEmlkit(const std::vector<std::string>& args, const std::string& stdin_text = "");
// Same for another program (e.g. a compiler in a conformance test).
CliResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::string& stdin_text = "");

// Compiles each of `sources` (-c) to an object in `out_dir` with `compiler` and `flags`, through
// ccache when it is on PATH (repeated runs of a conformance test then compile nothing), and
// returns the objects in order; a failed compile adds a test failure naming the file and
// returns an empty list.
std::vector<std::string> CompileEach(const std::string& compiler,
                                     const std::vector<std::string>& flags,
                                     const std::vector<std::string>& sources,
                                     const std::string& out_dir);

// Writes `content` to `path` (for building bad inputs in tests).
void WriteText(const std::string& path, const std::string& content);
std::string ReadText(const std::string& path);
bool PathExists(const std::string& path);

}  // namespace emlkit::testing

// Skips the current test with a clear message when ../shared/<rel> is absent; otherwise defines
// `const std::string var` holding its full path.
#define EMLKIT_REQUIRE_SHARED(var, rel)                                                \
  const std::string var = ::emlkit::testing::SharedPath(rel);                          \
  if (var.empty()) {                                                                   \
    GTEST_SKIP() << "shared material '" << (rel) << "' not found (looked in '"         \
                 << ::emlkit::testing::SharedDir()                                     \
                 << "'; set EMLKIT_SHARED_DIR to the shared folder to run this test)"; \
  }

#endif  // EMLKIT_TESTS_SUPPORT_TEST_UTIL_H_
