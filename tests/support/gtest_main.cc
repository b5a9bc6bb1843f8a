// main() of every emlkit test executable: GoogleTest's, plus a listener that prints the marker
// ctest counts as a skip (EMLKIT_SKIP_MARKER, see tests/CMakeLists.txt) for a test that skipped
// itself (GTEST_SKIP) and never for one GoogleTest skipped because its suite's SetUpTestSuite
// failed. With ctest's default "[  SKIPPED ]" pattern such a broken suite was reported as
// skipped; now it fails (the executable exits non-zero and prints no marker).
#include <gtest/gtest.h>

#include <cstdio>

namespace {

class SkipMarker : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (!info.result()->Skipped()) return;
    const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
    const ::testing::TestSuite* suite = unit.current_test_suite();
    if (suite != nullptr && suite->ad_hoc_test_result().Failed()) return;  // a broken set-up
    if (unit.ad_hoc_test_result().Failed()) return;
    std::printf("EMLKIT-TEST-SKIPPED %s.%s\n", info.test_suite_name(), info.name());
    std::fflush(stdout);
  }
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(new SkipMarker);
  return RUN_ALL_TESTS();
}
