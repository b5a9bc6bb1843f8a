#include "data/prepare_options.h"

#include <gtest/gtest.h>

#include "common/fs.h"
#include "support/test_util.h"

namespace emlkit::data {
namespace {

TEST(PrepareOptions, ConfigPathsRelativeToTheFileAndOrigins) {
  ScratchDir dir("opt");
  testing::WriteText(dir.Path("c.toml"),
                     "[data]\ninput = [\"a.csv\", \"/abs/b.csv\"]\nfeatures = [\"x\"]\n"
                     "label = \"y\"\n[data.split]\nval = 0.9\ntest = 0.2\n"
                     "[data.clean]\nhampel_window = 4\n");
  PrepareOptions o;
  ASSERT_TRUE(LoadPrepareConfig(dir.Path("c.toml"), &o).ok());
  EXPECT_EQ(o.inputs, (std::vector<std::string>{dir.Path("a.csv"), "/abs/b.csv"}));
  EXPECT_EQ(o.split.val, 0.9);
  o.out = "out";
  Status s = ValidatePrepareOptions(o);
  EXPECT_EQ(s.message(), dir.Path("c.toml") +
                             ":9:17 (data.clean.hampel_window): the Hampel "
                             "window must be an odd number of rows >= 3");
  o.clean.hampel_window = 5;
  s = ValidatePrepareOptions(o);
  EXPECT_EQ(s.message(), dir.Path("c.toml") +
                             ":6:7 (data.split.val): validation + test "
                             "fractions must leave rows for training");
}

TEST(PrepareOptions, FlagNamesInMessagesAndTaskChecks) {
  PrepareOptions o;
  o.inputs = {"a.csv"};
  o.out = "out";
  o.features = {"x"};
  EXPECT_EQ(ValidatePrepareOptions(o).message(),
            "classification needs exactly one source of labels: --label COL, --label-rule RULE, "
            "or labels from the files (--input FILE.csv:LABEL, or --label-from filename|dirname)");
  o.label = "y";
  o.split.val = 1.5;
  EXPECT_EQ(ValidatePrepareOptions(o).message(),
            "--val-frac: the validation fraction must be in [0, 1)");
  o.split.val = 0.15;
  o.task = "anomaly";
  o.label.clear();
  EXPECT_TRUE(ValidatePrepareOptions(o).ok());  // unsupervised: no labels needed
  o.split.train_until = "1.5";
  EXPECT_EQ(ValidatePrepareOptions(o).message(),
            "--train-until: a fraction of the rows must be in (0, 1), got '1.5'");
  o.split.train_until = "2014-01-02 00:00:00";
  EXPECT_EQ(ValidatePrepareOptions(o).message(),
            "--train-until: a time needs --timestamp COL (or give a fraction like 0.15)");
  o.split.train_until.clear();
  o.task = "classification";
  o.label = "y";
  o.window.size = 10;
  EXPECT_EQ(ResolvedSplitMethod(o), "time");  // overlapping windows
  o.window.stride = 10;
  EXPECT_EQ(ResolvedSplitMethod(o), "random");
  EXPECT_EQ(ResolvedSplitMethod(o, /*recordings=*/true), "group");
}

// Issue 15's options from a [data] section: sizes in time units, rate, recordings, leakage.
TEST(PrepareOptions, RecordingKeysFromConfig) {
  ScratchDir dir("opt");
  testing::WriteText(dir.Path("c.toml"),
                     "[data]\ninput = [\"punch.csv:punch\"]\nfeatures = [\"aX\"]\n"
                     "rate = \"119Hz\"\nsegment = \"1s\"\ngroup = \"take\"\n"
                     "[data.window]\nsize = \"1s\"\nstride = 30\n"
                     "[data.split]\nmethod = \"random\"\nallow_leakage = true\n");
  PrepareOptions o;
  Status s = LoadPrepareConfig(dir.Path("c.toml"), &o);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(o.rate_hz, 119);
  EXPECT_EQ(o.segment_s, 1);
  EXPECT_EQ(o.group, "take");
  EXPECT_EQ(o.window.size_s, 1);
  EXPECT_EQ(o.window.stride, 30);
  EXPECT_TRUE(o.split.allow_leakage);
  EXPECT_TRUE(LabelsFromFiles(o));
  o.out = "out";
  EXPECT_TRUE(ValidatePrepareOptions(o).ok()) << ValidatePrepareOptions(o).message();
  o.split.allow_leakage = false;
  o.window = WindowOptions{};
  o.window.size = 119;
  o.window.stride = 30;
  EXPECT_NE(ValidatePrepareOptions(o).message().find("--allow-leakage"), std::string::npos);
  testing::WriteText(dir.Path("bad.toml"), "[data]\n[data.window]\nsize = \"1 lightyear\"\n");
  s = LoadPrepareConfig(dir.Path("bad.toml"), &o);
  EXPECT_NE(s.message().find("[data.window] 'size'"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace emlkit::data
