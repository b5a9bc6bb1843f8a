// Training options: defaults, flags and config keys through the one table, and their errors.
#include "train/train_options.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/config.h"
#include "common/fs.h"
#include "train/fit.h"
#include "train/testing/fixtures.h"

namespace emlkit::train {
namespace {

TEST(TrainOptions, DefaultsAreTheMeasuredOnes) {
  TrainOptions o;
  EXPECT_EQ(o.loop.epochs, 100);
  EXPECT_EQ(o.loop.batch_size, 32);
  EXPECT_EQ(o.loop.optimizer.kind, OptimizerKind::kAdam);
  EXPECT_FLOAT_EQ(o.loop.lr, 1e-3f);
  EXPECT_FLOAT_EQ(o.loop.optimizer.weight_decay, 1e-2f);
  EXPECT_EQ(o.loop.patience, 10);
  EXPECT_TRUE(o.loop.restore_best);
  EXPECT_EQ(FormatLayers(DefaultLayers("classification", {5})), "dense:16:relu,dense:16:relu");
  EXPECT_EQ(FormatLayers(DefaultLayers("anomaly", {12, 1})),
            "flatten,dense:6:relu,dense:3:relu,dense:6:relu");
  EXPECT_EQ(FormatLayers(DefaultLayers("classification", {4, 3})),
            "flatten,dense:16:relu,dense:16:relu");
}

TEST(TrainOptions, EveryKeyHasAFlagAndSetsSomething) {
  for (const TrainOptionDef& d : TrainOptionDefs()) {
    EXPECT_EQ(std::string(d.flag), [&] {
      std::string f = d.key;
      for (char& c : f)
        if (c == '_') c = '-';
      return f;
    }()) << d.key;
    EXPECT_GT(std::string(d.help).size(), 10u) << d.key;
  }
  TrainOptions o;
  ASSERT_TRUE(SetTrainOption(&o, "optimizer", "adamw", "--optimizer").ok());
  ASSERT_TRUE(SetTrainOption(&o, "schedule", "plateau", "--schedule").ok());
  ASSERT_TRUE(SetTrainOption(&o, "lr_factor", "0.25", "--lr-factor").ok());
  ASSERT_TRUE(SetTrainOption(&o, "class_weights", "balanced", "--class-weights").ok());
  ASSERT_TRUE(SetTrainOption(&o, "seed", "42", "--seed").ok());
  EXPECT_EQ(o.loop.optimizer.kind, OptimizerKind::kAdamW);
  EXPECT_EQ(o.loop.schedule.kind, ScheduleKind::kPlateau);
  EXPECT_FLOAT_EQ(o.loop.schedule.factor, 0.25f);
  EXPECT_EQ(o.class_weighting, ClassWeighting::kBalanced);
  EXPECT_EQ(o.loop.seed, 42u);
  nlohmann::json j = TrainOptionsToJson(o);
  EXPECT_EQ(j["optimizer"], "adamw");
  EXPECT_EQ(j["lr_factor"], 0.25);
  EXPECT_EQ(j["lr"], 0.001);  // the decimal value, not float noise
  Status bad = SetTrainOption(&o, "batch_size", "0", "--batch-size");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("--batch-size: batch size must be an integer from 1"),
            std::string::npos);
  EXPECT_FALSE(SetTrainOption(&o, "lr", "1e-3x", "--lr").ok());
  EXPECT_FALSE(SetTrainOption(&o, "class_weights", "1,,2", "--class-weights").ok());
}

TEST(TrainOptions, ConfigSection) {
  auto cfg = ConfigFile::Parse(
      "[train]\nlayers = \"dense:4:tanh\"\nlr = 0.01\nepochs = 7\nclass_weights = [1, 3]\n",
      "e.toml");
  ASSERT_TRUE(cfg.ok());
  TrainOptions o;
  ASSERT_TRUE(ApplyTrainConfig(*cfg->Section("train"), &o).ok());
  EXPECT_EQ(FormatLayers(o.layers), "dense:4:tanh");
  EXPECT_FLOAT_EQ(o.loop.lr, 0.01f);
  EXPECT_EQ(o.loop.epochs, 7);
  EXPECT_EQ(o.class_weights, (std::vector<float>{1, 3}));

  auto typo = ConfigFile::Parse("[train]\nepoch = 7\n", "e.toml");
  Status s = ApplyTrainConfig(*typo->Section("train"), &o);
  EXPECT_NE(s.message().find("e.toml:2:9: unknown key 'epoch'"), std::string::npos) << s.message();
  auto bad_layers = ConfigFile::Parse("[train]\n  layers = \"dense:4:tanh,dense\"\n", "e.toml");
  s = ApplyTrainConfig(*bad_layers->Section("train"), &o);
  EXPECT_NE(s.message().find("e.toml:2:12 (train.layers): layer 2 ('dense')"), std::string::npos)
      << s.message();
}

TEST(TrainOptions, FitRejectsOptionsThatDoNotFitTheTask) {
  ScratchDir dir;
  ASSERT_TRUE(testing::WriteDatasetFolder(dir.path(), testing::Synthetic("anomaly", 200, 1)).ok());
  auto ds = data::LoadDataset(dir.path());
  ASSERT_TRUE(ds.ok());
  TrainOptions o;
  o.anomaly_model = AnomalyModel::kKMeans;
  o.layers = *ParseLayers("dense:4", "t");
  EXPECT_NE(Fit(*ds, o).status().message().find("--layers does not apply"), std::string::npos);
  o = TrainOptions();
  o.class_weighting = ClassWeighting::kBalanced;
  EXPECT_NE(Fit(*ds, o).status().message().find("classification only"), std::string::npos);
}

}  // namespace
}  // namespace emlkit::train
