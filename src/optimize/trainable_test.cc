// A model exported by the trainer comes back as the same network: same predictions for every
// task and layer kind; what cannot be imported is refused by name.
#include "optimize/trainable.h"

#include <gtest/gtest.h>

#include "common/fs.h"
#include "optimize/testing/graphs.h"
#include "train/export.h"
#include "train/testing/fixtures.h"

namespace emlkit::optimize {
namespace {

data::Dataset SyntheticDataset(const std::string& kind, const ScratchDir& dir) {
  EXPECT_TRUE(
      train::testing::WriteDatasetFolder(dir.path(), train::testing::Synthetic(kind, 300, 1)).ok());
  auto ds = data::LoadDataset(dir.path());
  EXPECT_TRUE(ds.ok()) << ds.status().ToString();
  return std::move(*ds);
}

train::FittedModel FitQuickly(const data::Dataset& ds, const std::string& layers = "") {
  train::TrainOptions o;
  o.loop.epochs = 3;
  if (!layers.empty()) o.layers = *train::ParseLayers(layers, "test");
  auto m = train::Fit(ds, o);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return std::move(*m);
}

class ImportRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(ImportRoundTrip, PredictsWhatTheTrainedNetworkPredicts) {
  ScratchDir dir;
  const data::Dataset ds = SyntheticDataset(GetParam(), dir);
  train::FittedModel m = FitQuickly(ds);
  auto file = train::ExportModel(m);
  ASSERT_TRUE(file.ok());
  auto back = ImportTrainedModel(*file, "m.tflite");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(train::FormatLayers(back->specs), train::FormatLayers(m.specs));
  EXPECT_EQ(back->info.task, ds.info.task);
  const data::Split& s = ds.test;
  const std::vector<float> a = train::PredictOutputs(m, s.x.data<float>(), s.size());
  const std::vector<float> b = train::PredictOutputs(*back, s.x.data<float>(), s.size());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-4 * (1 + std::fabs(a[i])));
  auto fits = CheckDatasetFits(*back, ds, "m.tflite", "ds");
  ASSERT_TRUE(fits.ok());
  EXPECT_EQ(*fits, "");
}

INSTANTIATE_TEST_SUITE_P(Tasks, ImportRoundTrip,
                         ::testing::Values("classification", "windows", "regression", "anomaly"));

TEST(ImportTrainedModel, RefusesModelsWithoutTrainingMetadata) {
  auto r = ImportTrainedModel(testing::AllOpsGraph(), "other.tflite");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("other.tflite has no emlkit training metadata"),
            std::string::npos)
      << r.status().message();
}

TEST(ImportTrainedModel, RefusesKMeans) {
  ScratchDir dir;
  const data::Dataset ds = SyntheticDataset("anomaly", dir);
  train::TrainOptions o;
  o.anomaly_model = train::AnomalyModel::kKMeans;
  auto m = train::Fit(ds, o);
  ASSERT_TRUE(m.ok());
  auto r = ImportTrainedModel(*train::ExportModel(*m), "km.tflite");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("k-means"), std::string::npos) << r.status().message();
}

TEST(CheckDatasetFits, RefusesAnotherTaskOrShape) {
  ScratchDir a, b;
  const data::Dataset cls = SyntheticDataset("classification", a);
  const data::Dataset reg = SyntheticDataset("regression", b);
  train::FittedModel m = FitQuickly(cls);
  auto r = CheckDatasetFits(m, reg, "m.tflite", "reg/");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("trained for classification but reg/ holds a regression"),
            std::string::npos)
      << r.status().message();
}

TEST(ExportFineTuned, CarriesTheMetadataForwardAndUpdatesTheArchitecture) {
  ScratchDir dir;
  const data::Dataset ds = SyntheticDataset("classification", dir);
  train::FittedModel m = FitQuickly(ds, "dense:8:relu");
  tflite::Model original = *train::ExportModel(m);
  nlohmann::json meta = nlohmann::json::parse(*original.GetMetadata("emlkit"));
  meta["from_a_later_version"] = 7;
  original.SetMetadata("emlkit", meta.dump());
  // A smaller network in place of the trained one.
  train::FittedModel small = FitQuickly(ds, "dense:3:relu");
  auto out = ExportFineTuned(small, original, "pruning", {{"method", "structured"}});
  ASSERT_TRUE(out.ok());
  const nlohmann::json got = nlohmann::json::parse(*out->GetMetadata("emlkit"));
  EXPECT_EQ(got["from_a_later_version"], 7);
  EXPECT_EQ(got["pruning"]["method"], "structured");
  EXPECT_EQ(got["training"]["architecture"], "dense:3:relu,dense:3");
  EXPECT_EQ(got["training"]["epochs_run"], meta["training"]["epochs_run"]);
  EXPECT_TRUE(ImportTrainedModel(*out, "small.tflite").ok());
}

}  // namespace
}  // namespace emlkit::optimize
