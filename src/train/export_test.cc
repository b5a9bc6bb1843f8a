// Export: the .tflite a fitted model becomes, run through the device runtime (tflite::Runner),
// must give the host's predictions; the same seed must give the same bytes.
#include "train/export.h"

#include <gtest/gtest.h>

#include "common/fs.h"
#include "tflite/runner.h"
#include "train/testing/fixtures.h"

namespace emlkit::train {
namespace {

data::Dataset MakeDataset(const ScratchDir& dir, const std::string& kind, int n = 600) {
  EXPECT_TRUE(testing::WriteDatasetFolder(dir.path(), testing::Synthetic(kind, n, 5)).ok());
  auto ds = data::LoadDataset(dir.path());
  EXPECT_TRUE(ds.ok()) << ds.status().ToString();
  return std::move(*ds);
}

FittedModel FitOrDie(const data::Dataset& ds, TrainOptions o) {
  auto m = Fit(ds, o);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return std::move(*m);
}

std::vector<uint8_t> Serialize(const FittedModel& m) {
  auto model = ExportModel(m);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  auto bytes = tflite::WriteModel(*model);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return *bytes;
}

// Runs every test record through the runtime and compares with PredictOutputs.
void ExpectRuntimeMatchesHost(FittedModel& m, const data::Dataset& ds, double tol) {
  auto runner = tflite::Runner::FromBytes(Serialize(m), "exported");
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  const data::Split& test = ds.test;
  const int64_t per = test.x.record_elements();
  std::vector<float> host = PredictOutputs(m, test.x.data<float>(), test.size());
  const int64_t width = static_cast<int64_t>(host.size()) / test.size();
  for (int64_t i = 0; i < test.size(); ++i) {
    std::span<const float> rec(test.x.data<float>() + i * per, static_cast<size_t>(per));
    ASSERT_TRUE(runner->SetInputFloat(0, rec).ok());
    ASSERT_TRUE(runner->Invoke().ok());
    std::vector<float> out = runner->OutputFloat(0);
    ASSERT_EQ(static_cast<int64_t>(out.size()), width);
    for (int64_t j = 0; j < width; ++j)
      ASSERT_NEAR(out[static_cast<size_t>(j)], host[static_cast<size_t>(i * width + j)],
                  tol * std::max(1.0f, std::fabs(host[static_cast<size_t>(i * width + j)])))
          << "record " << i << " output " << j;
  }
}

TEST(Export, ClassifierRunsInTheRuntimeLikeOnTheHost) {
  ScratchDir dir;
  data::Dataset ds = MakeDataset(dir, "classification");
  TrainOptions o;
  o.loop.epochs = 15;
  o.layers = *ParseLayers("dense:8:relu,dense:8:tanh,dropout:0.1", "test");
  FittedModel m = FitOrDie(ds, o);
  EXPECT_GT(m.metrics["test"]["accuracy"].get<double>(), 0.8);
  ExpectRuntimeMatchesHost(m, ds, 1e-5);
  // Dense + tanh: FULLY_CONNECTED, FULLY_CONNECTED, TANH, FULLY_CONNECTED, SOFTMAX.
  auto model = ExportModel(m);
  ASSERT_TRUE(model.ok());
  std::vector<int32_t> codes;
  for (const auto& op : model->operators) codes.push_back(op.builtin_code);
  EXPECT_EQ(codes, (std::vector<int32_t>{tflite::op::kFullyConnected, tflite::op::kFullyConnected,
                                         tflite::op::kTanh, tflite::op::kFullyConnected,
                                         tflite::op::kSoftmax}));
  EXPECT_EQ(model->tensors[static_cast<size_t>(model->outputs[0])].name, "probabilities");
  EXPECT_EQ(model->tensors[static_cast<size_t>(model->inputs[0])].shape,
            (std::vector<int32_t>{1, 4}));
}

TEST(Export, EveryWindowLayerRunsInTheRuntimeLikeOnTheHost) {
  ScratchDir dir;
  data::Dataset ds = MakeDataset(dir, "windows", 300);
  for (const char* layers :
       {"conv1d:8:3:relu,maxpool1d:2,conv1d:8:3:relu6:padding=same,gap,dense:8:sigmoid",
        "conv1d:4:4:tanh:stride=2:padding=same,avgpool1d:3:stride=1,flatten,dense:4,relu",
        "conv1d:6:5:sigmoid,softmax,maxpool1d:3:stride=2,conv1d:3:2,relu6,gap,tanh"}) {
    SCOPED_TRACE(layers);
    TrainOptions o;
    o.loop.epochs = 4;
    o.layers = *ParseLayers(layers, "test");
    FittedModel m = FitOrDie(ds, o);
    ExpectRuntimeMatchesHost(m, ds, 1e-5);
  }
  TrainOptions o;  // the default architecture for windows learns the task
  o.loop.epochs = 30;
  FittedModel m = FitOrDie(ds, o);
  EXPECT_GT(m.metrics["test"]["accuracy"].get<double>(), 0.9) << m.metrics.dump();
  EXPECT_EQ(FormatLayers(m.options.layers),
            "conv1d:16:3:relu,maxpool1d:2,conv1d:16:3:relu,gap,dense:16:relu");
}

TEST(Export, AnomalyModelsComputeTheScoreInTheGraph) {
  ScratchDir dir;
  data::Dataset ds = MakeDataset(dir, "anomaly", 1500);
  TrainOptions o;
  o.loop.epochs = 150;
  FittedModel ae = FitOrDie(ds, o);
  ExpectRuntimeMatchesHost(ae, ds, 1e-4);
  EXPECT_GT(ae.metrics["test"]["auc"].get<double>(), 0.95) << ae.metrics.dump();
  ASSERT_TRUE(ae.threshold.has_value());
  EXPECT_EQ(ae.threshold->method, ThresholdMethod::kBestF1);  // val has anomalies

  o.anomaly_model = AnomalyModel::kKMeans;
  o.clusters = 6;
  FittedModel km = FitOrDie(ds, o);
  ExpectRuntimeMatchesHost(km, ds, 1e-4);
  EXPECT_GT(km.metrics["test"]["auc"].get<double>(), 0.9) << km.metrics.dump();
  nlohmann::json meta = ModelMetadata(km);
  EXPECT_EQ(meta["anomaly"]["model"], "kmeans");
  EXPECT_EQ(meta["anomaly"]["threshold"].get<double>(), km.threshold->threshold);
}

TEST(Export, SameSeedSameBytesOtherSeedOtherBytes) {
  ScratchDir dir;
  data::Dataset ds = MakeDataset(dir, "classification", 300);
  TrainOptions o;
  o.loop.epochs = 5;
  o.layers = *ParseLayers("dense:8:relu,dropout:0.2", "test");
  std::vector<uint8_t> a = Serialize(FitOrDie(ds, o)), b = Serialize(FitOrDie(ds, o));
  EXPECT_EQ(a, b);
  o.loop.seed = 1;
  EXPECT_NE(a, Serialize(FitOrDie(ds, o)));
}

TEST(Export, RegressionOutputsTargetUnits) {
  ScratchDir dir;
  data::Dataset ds = MakeDataset(dir, "regression", 800);
  TrainOptions o;
  o.loop.epochs = 60;
  o.loop.optimizer.weight_decay = 0;
  FittedModel m = FitOrDie(ds, o);
  EXPECT_GT(m.metrics["test"]["r2"].get<double>(), 0.95) << m.metrics.dump();
  ExpectRuntimeMatchesHost(m, ds, 1e-5);
  nlohmann::json meta = ModelMetadata(m);
  EXPECT_EQ(meta["outputs"]["scaling"], "in_graph");
  EXPECT_NEAR(meta["outputs"]["target_mean"][0].get<double>(), 11.0, 0.5);
}

TEST(Export, MetadataCarriesTheDatasetAndOptions) {
  ScratchDir dir;
  data::Dataset ds = MakeDataset(dir, "classification", 200);
  TrainOptions o;
  o.loop.epochs = 2;
  FittedModel m = FitOrDie(ds, o);
  auto model = ExportModel(m);
  ASSERT_TRUE(model.ok());
  auto text = model->GetMetadata("emlkit");
  ASSERT_TRUE(text.has_value());
  nlohmann::json j = nlohmann::json::parse(*text);
  EXPECT_EQ(j["format"], "emlkit-model");
  EXPECT_EQ(j["task"], "classification");
  EXPECT_EQ(j["labels"], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(j["preprocessing"], nlohmann::json::parse(ds.info.json_text));
  EXPECT_EQ(j["training"]["options"]["layers"], "dense:16:relu,dense:16:relu");
  EXPECT_EQ(j["training"]["options"]["lr"], 0.001);
  EXPECT_EQ(j["training"]["architecture"], "dense:16:relu,dense:16:relu,dense:3");
  EXPECT_TRUE(j["training"]["metrics"]["test"].contains("accuracy"));
}

}  // namespace
}  // namespace emlkit::train
