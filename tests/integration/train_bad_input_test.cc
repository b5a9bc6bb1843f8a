// emlkit train / emlkit eval on bad input: a clear message, exit code 2, before any training,
// and no model or log left behind.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/npy.h"
#include "support/test_util.h"
#include "train/testing/fixtures.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;

class TrainBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ds_ = dir_.Path("ds");
    ASSERT_TRUE(std::filesystem::create_directory(ds_));
    ASSERT_TRUE(
        train::testing::WriteDatasetFolder(ds_, train::testing::Synthetic("classification", 200, 3))
            .ok());
    model_ = dir_.Path("m.tflite");
  }
  // Runs train with `extra` flags and checks exit 2, a message containing `expect`, no output.
  void ExpectRejected(const std::vector<std::string>& extra, const std::string& expect,
                      const std::string& data = "") {
    std::vector<std::string> args = {"train", "--data", data.empty() ? ds_ : data, "--out", model_};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = RunEmlkit(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(expect), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("epoch 1/"), std::string::npos) << "training started: " << r.err;
    EXPECT_FALSE(testing::PathExists(model_));
    EXPECT_FALSE(testing::PathExists(dir_.Path("m.train.jsonl")));
  }
  ScratchDir dir_;
  std::string ds_, model_;
};

TEST_F(TrainBadInput, EmptyOrMissingFolder) {
  std::string empty = dir_.Path("empty");
  std::filesystem::create_directory(empty);
  ExpectRejected({}, "dataset.json: missing", empty);
  ExpectRejected({}, "no such data set folder", dir_.Path("nope"));
}

TEST_F(TrainBadInput, MismatchedArrays) {
  ASSERT_TRUE(WriteNpy(ds_ + "/y_train.npy", NpyArray::Zeros(DType::kInt32, {7})).ok());
  ExpectRejected({}, "y_train.npy: has 7 labels");
}

TEST_F(TrainBadInput, LabelOutOfRange) {
  auto y = ReadNpy(ds_ + "/y_val.npy");
  ASSERT_TRUE(y.ok());
  y->data<int32_t>()[4] = 3;  // 3 classes: 0..2
  ASSERT_TRUE(WriteNpy(ds_ + "/y_val.npy", *y).ok());
  ExpectRejected({}, "record 4 has label 3");
}

TEST_F(TrainBadInput, NaNInFeatures) {
  auto x = ReadNpy(ds_ + "/X_train.npy");
  ASSERT_TRUE(x.ok());
  x->data<float>()[2 * 4 + 1] = std::nanf("");
  ASSERT_TRUE(WriteNpy(ds_ + "/X_train.npy", *x).ok());
  ExpectRejected({}, "record 2, feature 'f1' is NaN");
}

TEST_F(TrainBadInput, LayerSpecThatDoesNotParse) {
  ExpectRejected({"--layers", "dense:16:relu,dense:x"}, "--layers: layer 2 ('dense:x'), column 21");
  ExpectRejected({"--layers", "dense:16:swish"}, "unexpected 'swish'");
  ExpectRejected({"--layers", "conv2d:3"}, "unknown layer 'conv2d'");
  ExpectRejected({"--layers", "dense:8,,dense:4"}, "empty layer");
}

TEST_F(TrainBadInput, ImpossibleArchitecture) {
  ExpectRejected({"--layers", "conv1d:8:3:relu"}, "conv1d needs windowed records");
  ExpectRejected({"--layers", "dense:8,maxpool1d:2"}, "layer 2 (maxpool1d:2)");
}

TEST_F(TrainBadInput, BadOptionValues) {
  ExpectRejected({"--lr", "-1"}, "--lr: lr must be a number");
  ExpectRejected({"--optimizer", "adagrad"}, "unknown optimizer 'adagrad'");
  ExpectRejected({"--class-weights", "1,2"}, "lists 2 weights but the data set has 3 classes");
  ExpectRejected({"--loss", "mse"}, "does not fit a classification data set");
  ExpectRejected({"--anomaly-model", "kmeans", "--threshold", "best_f1", "--epochs", "0"},
                 "--epochs: epochs must be an integer from 1");
}

TEST_F(TrainBadInput, ConfigWithAnUnknownKey) {
  testing::WriteText(dir_.Path("c.toml"), "[train]\nepochs = 3\nlearning_rate = 0.1\n");
  ExpectRejected({"--config", dir_.Path("c.toml")}, "c.toml:3:17: unknown key 'learning_rate'");
  testing::WriteText(dir_.Path("d.toml"), "[train]\nepochs = \"many\"\n");
  ExpectRejected({"--config", dir_.Path("d.toml")}, "d.toml:2:10 (train.epochs)");
}

TEST_F(TrainBadInput, UnwritableOutput) {
  auto r = RunEmlkit({"train", "--data", ds_, "--out", dir_.Path("no/such/dir/m.tflite")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no/such/dir"), std::string::npos) << r.err;
}

TEST(EvalBadInput, WrongModelOrData) {
  ScratchDir dir;
  std::string cls = dir.Path("cls"), reg = dir.Path("reg");
  std::filesystem::create_directory(cls);
  std::filesystem::create_directory(reg);
  ASSERT_TRUE(
      train::testing::WriteDatasetFolder(cls, train::testing::Synthetic("classification", 200, 3))
          .ok());
  ASSERT_TRUE(
      train::testing::WriteDatasetFolder(reg, train::testing::Synthetic("regression", 200, 3))
          .ok());
  std::string model = dir.Path("m.tflite");
  ASSERT_EQ(RunEmlkit({"train", "--data", cls, "--out", model, "--epochs", "2"}).exit_code, 0);

  auto r = RunEmlkit({"eval", model, "--data", reg});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("trained for classification but the data set is regression"),
            std::string::npos)
      << r.err;
  testing::WriteText(dir.Path("junk.tflite"), "not a model");
  r = RunEmlkit({"eval", dir.Path("junk.tflite"), "--data", cls});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("junk.tflite"), std::string::npos) << r.err;
  r = RunEmlkit({"eval", model, "--data", cls, "--split", "holdout"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace emlkit
