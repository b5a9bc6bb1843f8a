// emlkit train / emlkit eval end to end for anomaly detection on NAB's machine temperature
// series: an autoencoder and k-means, trained on the windows outside the labelled anomalies,
// scoring in the graph, threshold from the validation split.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "integration/train_fixtures.h"
#include "support/test_util.h"
#include "tflite/model.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;

TEST(TrainAnomaly, NabMachineTemperatureAutoencoderAndKMeans) {
  EMLKIT_REQUIRE_SHARED(nab, "data/nab");
  ScratchDir dir;
  std::string ds = testing::PrepareNab(nab, dir.Path("ds"));
  for (const char* kind : {"autoencoder", "kmeans"}) {
    SCOPED_TRACE(kind);
    std::string model = dir.Path(std::string(kind) + ".tflite");
    auto r = RunEmlkit({"train", "--data", ds, "--out", model, "--anomaly-model", kind, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json summary = nlohmann::json::parse(r.out);

    nlohmann::json ev = testing::EvalJson(model, ds);
    EXPECT_GT(ev["auc"].get<double>(), 0.95) << ev.dump();
    EXPECT_EQ(ev["per_class"][1]["label"], "anomaly");
    EXPECT_GT(ev["per_class"][1]["recall"].get<double>(), 0.5) << ev.dump();
    EXPECT_DOUBLE_EQ(ev["threshold"].get<double>(), summary["anomaly_threshold"].get<double>());

    auto m = tflite::ReadModelFile(model);
    ASSERT_TRUE(m.ok());
    nlohmann::json meta = nlohmann::json::parse(*m->GetMetadata("emlkit"));
    EXPECT_EQ(meta["anomaly"]["model"], kind);
    EXPECT_EQ(meta["anomaly"]["score"], "output");
    EXPECT_EQ(meta["anomaly"]["threshold_rule"], "best_f1");  // val holds a labelled window
    EXPECT_EQ(m->tensors[static_cast<size_t>(m->outputs[0])].name, "anomaly_score");
  }
}

}  // namespace
}  // namespace emlkit
