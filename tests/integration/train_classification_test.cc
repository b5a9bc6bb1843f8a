// emlkit train / emlkit eval end to end on the occupancy quality bar: defaults only, a fixed
// seed, evaluated through the device runtime.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "integration/train_fixtures.h"
#include "support/test_util.h"
#include "tflite/model.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;

TEST(TrainClassification, OccupancyQualityBarWithDefaults) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  ScratchDir dir;
  std::string ds = testing::PrepareOccupancy(occ, dir.Path("ds"), {"--label", "Occupancy"});
  std::string model = dir.Path("model.tflite");
  auto r = RunEmlkit({"train", "--data", ds, "--out", model});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("epoch 1/100"), std::string::npos) << r.err;  // per-epoch progress lines
  EXPECT_TRUE(r.out.empty()) << "progress goes to stderr: " << r.out;

  nlohmann::json ev = testing::EvalJson(model, ds);
  EXPECT_GE(ev["accuracy"].get<double>(), 0.975) << ev.dump();
  EXPECT_EQ(ev["n"], 2665);
  EXPECT_EQ(ev["input_type"], "float32");
  ASSERT_EQ(ev["per_class"].size(), 2u);
  EXPECT_EQ(ev["per_class"][1]["label"], "1");
  EXPECT_EQ(ev["per_class"][0]["support"].get<int>() + ev["per_class"][1]["support"].get<int>(),
            2665);
  EXPECT_GT(ev["auc"].get<double>(), 0.98);
  int64_t total = 0, correct = 0;
  for (size_t i = 0; i < 2; ++i)
    for (size_t j = 0; j < 2; ++j) {
      total += ev["confusion_matrix"][i][j].get<int64_t>();
      if (i == j) correct += ev["confusion_matrix"][i][j].get<int64_t>();
    }
  EXPECT_EQ(total, 2665);
  EXPECT_DOUBLE_EQ(static_cast<double>(correct) / 2665.0, ev["accuracy"].get<double>());

  // The training log: a start line, one line per epoch, an end line.
  std::string log = testing::ReadText(dir.Path("model.train.jsonl"));
  std::vector<nlohmann::json> lines;
  size_t pos = 0;
  while (pos < log.size()) {
    size_t nl = log.find('\n', pos);
    lines.push_back(nlohmann::json::parse(log.substr(pos, nl - pos)));
    pos = nl + 1;
  }
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines.front()["event"], "start");
  EXPECT_EQ(lines.back()["event"], "end");
  EXPECT_EQ(lines[1]["event"], "epoch");
  EXPECT_TRUE(lines[1].contains("val_accuracy"));
  EXPECT_EQ(lines.back()["stop_reason"], "early_stopping");

  // The model carries its task, labels, preprocessing and training record.
  auto m = tflite::ReadModelFile(model);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  nlohmann::json meta = nlohmann::json::parse(*m->GetMetadata("emlkit"));
  EXPECT_EQ(meta["task"], "classification");
  EXPECT_EQ(meta["labels"], (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(meta["preprocessing"], nlohmann::json::parse(testing::ReadText(ds + "/dataset.json")));
  EXPECT_GE(meta["training"]["metrics"]["test"]["accuracy"].get<double>(), 0.975);

  // Same data, options and seed: the same bytes.
  std::string again = dir.Path("again.tflite");
  ASSERT_EQ(RunEmlkit({"train", "--data", ds, "--out", again, "--quiet"}).exit_code, 0);
  EXPECT_EQ(testing::ReadText(model), testing::ReadText(again));
}

TEST(TrainClassification, ConfigFileAndFlags) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  ScratchDir dir;
  std::string ds = testing::PrepareOccupancy(occ, dir.Path("ds"), {"--label", "Occupancy"});
  testing::WriteText(dir.Path("emlkit.toml"),
                     "[data]\nwhatever = 1\n\n[train]\nlayers = \"dense:8:relu\"\nepochs = 3\n"
                     "optimizer = \"sgd\"\nlr = 0.01\nschedule = \"cosine\"\n");
  auto r = RunEmlkit({"train", "--data", ds, "--out", dir.Path("m.tflite"), "--config",
                      dir.Path("emlkit.toml"), "--epochs", "2", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["architecture"], "dense:8:relu,dense:2");  // from the file
  EXPECT_EQ(j["epochs_run"], 2);                         // the flag wins
  EXPECT_EQ(j["stop_reason"], "epochs");
}

}  // namespace
}  // namespace emlkit
