#include "common/fs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_util.h"

namespace emlkit {
namespace {

TEST(StagedDir, NothingAppearsUntilCommit) {
  ScratchDir scratch;
  std::string out = scratch.Path("ds");
  {
    StagedDir dir;
    ASSERT_TRUE(dir.Begin(out).ok());
    ASSERT_TRUE(WriteFileAtomic(dir.Path("a.txt"), std::string("hello")).ok());
    EXPECT_FALSE(testing::PathExists(out));
  }  // destroyed without Commit: as if the job failed
  EXPECT_FALSE(testing::PathExists(out));
  EXPECT_TRUE(std::filesystem::is_empty(scratch.path()));

  StagedDir dir;
  ASSERT_TRUE(dir.Begin(out + "/").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.Path("a.txt"), std::string("hello")).ok());
  ASSERT_TRUE(dir.Commit().ok());
  EXPECT_EQ(testing::ReadText(out + "/a.txt"), "hello");
}

TEST(StagedDir, CommitReplacesAnOlderFolder) {
  ScratchDir scratch;
  std::string out = scratch.Path("ds");
  std::filesystem::create_directory(out);
  testing::WriteText(out + "/stale.txt", "old");
  StagedDir dir;
  ASSERT_TRUE(dir.Begin(out).ok());
  ASSERT_TRUE(WriteFileAtomic(dir.Path("new.txt"), std::string("new")).ok());
  ASSERT_TRUE(dir.Commit().ok());
  EXPECT_FALSE(testing::PathExists(out + "/stale.txt"));
  EXPECT_TRUE(testing::PathExists(out + "/new.txt"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(scratch.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(StagedDir, MissingParentIsBadInput) {
  StagedDir dir;
  Status s = dir.Begin("/nonexistent-parent/ds");
  EXPECT_EQ(s.ExitCode(), 2);
  EXPECT_NE(s.message().find("/nonexistent-parent"), std::string::npos);
}

TEST(Fs, CheckWritableFile) {
  ScratchDir scratch;
  EXPECT_TRUE(CheckWritableFile(scratch.Path("m.tflite")).ok());
  EXPECT_FALSE(CheckWritableFile(scratch.path()).ok());
  EXPECT_FALSE(CheckWritableFile("/nonexistent-parent/m.tflite").ok());
}

}  // namespace
}  // namespace emlkit
