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
            "classification needs exactly one of --label COL or --label-rule RULE");
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
}

}  // namespace
}  // namespace emlkit::data
