// emlkit eval on an int8 model: inputs are quantized with the input tensor's scale / zero point
// and outputs dequantized, so the metrics are those of TFLite Micro's own outputs. Uses the
// golden thermostat MLP and its 2,000-record test set (TFLM's int8 outputs included).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "integration/train_fixtures.h"
#include "support/test_util.h"
#include "train/testing/fixtures.h"

namespace emlkit {
namespace {

TEST(EvalInt8, MetricsAreThoseOfTflmOutputs) {
  EMLKIT_REQUIRE_SHARED(golden, "golden/thermostat_mlp_int8");
  auto inputs = ReadFileBytes(golden + "/testset_inputs.bin");
  auto labels = ReadFileBytes(golden + "/testset_labels_u8.bin");
  auto outputs = ReadFileBytes(golden + "/testset_outputs.bin");
  ASSERT_TRUE(inputs.ok() && labels.ok() && outputs.ok());
  const int n = 2000;
  ASSERT_EQ(inputs->size(), static_cast<size_t>(n * 5));
  // Data set records: the int8 inputs dequantized (scale 1/128, zero point 0, from meta.json).
  nlohmann::json meta = nlohmann::json::parse(testing::ReadText(golden + "/meta.json"));
  const double scale = meta["inputs"][0]["scale"].get<double>();
  const int zero = meta["inputs"][0]["zero_point"].get<int>();
  train::testing::DatasetArrays d;
  d.record_shape = {5};
  d.feature_names = {"Temperature", "Humidity", "Light", "CO2", "HumidityRatio"};
  d.label_names = {"0", "1"};
  int correct = 0;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 5; ++j) {
      int8_t q = static_cast<int8_t>((*inputs)[static_cast<size_t>(i * 5 + j)]);
      d.test.x.push_back(static_cast<float>(scale * (q - zero)));
    }
    d.test.labels.push_back((*labels)[static_cast<size_t>(i)]);
    int8_t o0 = static_cast<int8_t>((*outputs)[static_cast<size_t>(2 * i)]);
    int8_t o1 = static_cast<int8_t>((*outputs)[static_cast<size_t>(2 * i + 1)]);
    correct += (o1 > o0 ? 1 : 0) == d.test.labels.back();  // argmax, first on ties
  }
  d.train = {d.test.x, d.test.labels, {}};  // unused by eval, but a data set needs a train split
  ScratchDir dir;
  ASSERT_TRUE(train::testing::WriteDatasetFolder(dir.path(), d).ok());

  nlohmann::json ev = testing::EvalJson(golden + "/model.tflite", dir.path());
  EXPECT_EQ(ev["input_type"], "int8");
  EXPECT_EQ(ev["n"], n);
  EXPECT_DOUBLE_EQ(ev["accuracy"].get<double>(), correct / static_cast<double>(n));
}

}  // namespace
}  // namespace emlkit
