// The quantize and prune jobs on every kind of model `emlkit train` makes (synthetic data sets,
// no ../shared needed): a windowed conv1d network (CONV_2D, MAX_POOL_2D, MEAN, RESHAPE), a
// regression MLP and an anomaly autoencoder (SUB, MUL, MEAN in the graph).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "common/fs.h"
#include "optimize/prune_job.h"
#include "optimize/quantize_job.h"
#include "tflite/summary.h"
#include "train/export.h"
#include "train/testing/fixtures.h"

namespace emlkit::optimize {
namespace {

// A data set folder and a float model trained on it, in `dir`.
struct Trained {
  std::string data, model;
};

Trained TrainOn(const std::string& kind, const ScratchDir& dir, int epochs = 15) {
  Trained t{dir.Path("ds"), dir.Path("model.tflite")};
  EXPECT_TRUE(std::filesystem::create_directories(t.data));
  EXPECT_TRUE(
      train::testing::WriteDatasetFolder(t.data, train::testing::Synthetic(kind, 600, 3)).ok());
  auto ds = data::LoadDataset(t.data);
  EXPECT_TRUE(ds.ok()) << ds.status().ToString();
  train::TrainOptions o;
  o.loop.epochs = epochs;
  auto m = train::Fit(*ds, o);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(tflite::WriteModelFile(t.model, *train::ExportModel(*m)).ok());
  return t;
}

QuantizeResult Quantize(const Trained& t, int qat_epochs = 0) {
  QuantizeJobOptions o;
  o.model = t.model;
  o.calib = {t.data};
  o.qat_epochs = qat_epochs;
  auto r = RunQuantizeJob(o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : QuantizeResult();
}

TEST(QuantizeJob, ConvNetworkOnWindows) {
  ScratchDir dir;
  const Trained t = TrainOn("windows", dir);
  const QuantizeResult r = Quantize(t);
  EXPECT_EQ(r.task, "classification");
  EXPECT_GE(r.comparison.outputs[0].argmax_agree, r.comparison.records * 97 / 100);
  EXPECT_LE(std::fabs(r.int8_metrics["accuracy"].get<double>() -
                      r.float_metrics["accuracy"].get<double>()),
            0.03);
  std::set<std::string> ops;
  for (const LayerComparison& l : r.comparison.layers) ops.insert(l.op_name);
  for (const char* op : {"CONV_2D", "MAX_POOL_2D", "MEAN", "RESHAPE", "SOFTMAX"}) {
    EXPECT_EQ(ops.count(op), 1u) << op;
  }
  EXPECT_LT(r.int8_constant_bytes, r.float_constant_bytes / 3);
  const QuantizeResult q = Quantize(t, 2);  // quantization-aware training on conv layers
  EXPECT_EQ(q.qat_epochs_run, 2);
  EXPECT_GE(q.comparison.outputs[0].argmax_agree, q.comparison.records * 95 / 100);
}

TEST(QuantizeJob, RegressionReportsMaeOfBoth) {
  ScratchDir dir;
  const Trained t = TrainOn("regression", dir, 30);
  const QuantizeResult r = Quantize(t);
  EXPECT_EQ(r.task, "regression");
  const double f = r.float_metrics["mae"].get<double>(), q = r.int8_metrics["mae"].get<double>();
  EXPECT_LT(q, 1.2 * f + 0.05) << "float MAE " << f << ", int8 MAE " << q;
  EXPECT_FALSE(r.comparison.outputs[0].has_argmax);
}

TEST(QuantizeJob, AnomalyAutoencoderKeepsItsDecisions) {
  ScratchDir dir;
  const Trained t = TrainOn("anomaly", dir, 30);
  const QuantizeResult r = Quantize(t);
  EXPECT_EQ(r.task, "anomaly");
  std::set<std::string> ops;
  for (const LayerComparison& l : r.comparison.layers) ops.insert(l.op_name);
  for (const char* op : {"SUB", "MUL", "MEAN"}) EXPECT_EQ(ops.count(op), 1u) << op;
  EXPECT_GE(r.int8_metrics["accuracy"].get<double>(),
            r.float_metrics["accuracy"].get<double>() - 0.05);
}

TEST(PruneJob, StructuredShrinksConvFiltersAndDenseNeurons) {
  ScratchDir dir;
  const Trained t = TrainOn("windows", dir);
  PruneJobOptions o;
  o.model = t.model;
  o.data = t.data;
  o.target_macs = 0.6;
  o.max_drop = 5;
  o.epochs = 5;
  o.log = nullptr;
  auto r = RunPruneJob(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stop_reason, "target_macs");
  EXPECT_LE(r->after.macs, 0.6 * static_cast<double>(r->before.macs));
  EXPECT_LT(r->after.arena_bytes, r->before.arena_bytes);
  EXPECT_NE(r->after.architecture.find("conv1d:"), std::string::npos);
  EXPECT_NE(r->after.architecture, r->before.architecture);
  auto s = tflite::SummarizeModel(r->bytes, "pruned.tflite");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->macs, r->after.macs);
}

TEST(PruneJob, MagnitudeOnRegressionWarnsOnlyOverItsBudget) {
  ScratchDir dir;
  const Trained t = TrainOn("regression", dir, 30);
  PruneJobOptions o;
  o.model = t.model;
  o.data = t.data;
  o.mode = PruneMode::kMagnitude;
  o.sparsity = 0.5;
  o.epochs = 6;
  o.max_drop = 1000;  // percent of MAE: no warning
  o.log = nullptr;
  auto r = RunPruneJob(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->warnings.empty());
  for (const auto& [layer, sparsity] : r->layer_sparsity) EXPECT_NEAR(sparsity, 0.5, 0.05) << layer;
  EXPECT_LT(r->after.nonzero_params, r->before.nonzero_params);
}

}  // namespace
}  // namespace emlkit::optimize
