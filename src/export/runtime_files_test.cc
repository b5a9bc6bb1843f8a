#include "export/runtime_files.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "emlkit/op_list.h"
#include "support/test_util.h"

namespace emlkit::exporter {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(RuntimeFilesTest, EmbeddedFilesAreTheRepositorysRuntime) {
  std::span<const RuntimeFile> files = EmbeddedRuntimeFiles();
  ASSERT_GT(files.size(), 40u);
  for (const RuntimeFile& f : files) {
    EXPECT_EQ(testing::ReadText(testing::SourceDir() + "/runtime/" + std::string(f.path)),
              f.content)
        << f.path;
    EXPECT_FALSE(f.path.ends_with("_test.cc")) << f.path;
    EXPECT_EQ(f.path.find("host_x86"), std::string_view::npos) << f.path;
  }
  EXPECT_TRUE(std::is_sorted(files.begin(), files.end(),
                             [](const auto& a, const auto& b) { return a.path < b.path; }));
  ASSERT_NE(FindRuntimeFile("include/emlkit/runtime.h"), nullptr);
  EXPECT_EQ(FindRuntimeFile("kernels/nothing.cc"), nullptr);
}

TEST(RuntimeFilesTest, SelectsExactlyTheKernelsOfTheModel) {
  Result<std::vector<std::string>> fc = RuntimeFilesFor({9, 9, 25});  // FULLY_CONNECTED, SOFTMAX
  ASSERT_TRUE(fc.ok()) << fc.status().ToString();
  for (const char* want :
       {"include/emlkit/runtime.h", "include/emlkit/op_list.h", "src/interpreter.cc",
        "src/registry.cc", "kernels/fully_connected.cc", "kernels/reference/fully_connected.cc",
        "kernels/fully_connected_portable.h", "kernels/softmax.cc", "kernels/reference/softmax.cc",
        "kernels/quant_util.cc", "kernels/kernel.h"}) {
    EXPECT_TRUE(Has(*fc, want)) << want;
  }
  for (const char* unwanted : {"kernels/conv.cc", "kernels/reference/svdf.cc",
                               "kernels/arm_dsp/fully_connected.cc", "app/thermostat.cc"}) {
    EXPECT_FALSE(Has(*fc, unwanted)) << unwanted;
  }
  // DEPTHWISE_CONV_2D: its kernel's header brings conv_util.cc (through conv.h).
  Result<std::vector<std::string>> dw = RuntimeFilesFor({4});
  ASSERT_TRUE(dw.ok());
  for (const char* want : {"kernels/depthwise_conv.cc", "kernels/reference/depthwise_conv.cc",
                           "kernels/conv_util.cc", "kernels/conv_portable.h"}) {
    EXPECT_TRUE(Has(*dw, want)) << want;
  }
  EXPECT_FALSE(Has(*dw, "kernels/fully_connected.cc"));
}

TEST(RuntimeFilesTest, EverySupportedOpHasItsKernelAndReference){
#define EMLKIT_CHECK_OP_(name, code, max_version)                                            \
  {                                                                                          \
    Result<std::vector<std::string>> files = RuntimeFilesFor({code});                        \
    ASSERT_TRUE(files.ok()) << #name << ": " << files.status().ToString();                   \
    int defining = 0;                                                                        \
    for (const std::string& f : *files) {                                                    \
      const RuntimeFile* rf = FindRuntimeFile(f);                                            \
      ASSERT_NE(rf, nullptr) << f;                                                           \
      defining += rf->content.find("Status PrepareOp_" #name "(") != std::string_view::npos; \
    }                                                                                        \
    EXPECT_EQ(defining, 1) << #name;                                                         \
  }
    EMLKIT_SUPPORTED_OPS(EMLKIT_CHECK_OP_)
#undef EMLKIT_CHECK_OP_
}

TEST(RuntimeFilesTest, UnsupportedOperatorIsNamed) {
  Result<std::vector<std::string>> r = RuntimeFilesFor({9, 8});  // 8: FLOOR, no kernel
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(r.status().message().find("FLOOR"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace emlkit::exporter
