// The CLI contract: --version, --help, exit codes for bad usage.
#include <gtest/gtest.h>

#include "common/version.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;

TEST(Cli, VersionPrintsTheVersion) {
  auto r = RunEmlkit({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("emlkit ") + kVersion + "\n");
}

TEST(Cli, HelpListsExitCodes) {
  auto r = RunEmlkit({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << r.out;
}

TEST(Cli, NoSubcommandIsBadUsage) {
  auto r = RunEmlkit({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << "errors go to stderr, got stdout: " << r.out;
}

TEST(Cli, UnknownSubcommandIsBadUsage) {
  auto r = RunEmlkit({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace emlkit
