// `emlkit quantize` on the occupancy quality bar (issue 5): with the defaults of `emlkit data
// prepare` and `emlkit train`, the int8 model is within 0.3 accuracy points of the float model
// on datatest.txt and agrees with it on >= 99.5 % of records — post-training, with every range
// method and option, and after quantization-aware training — and follows the conventions of
// the golden int8 models field by field.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/fs.h"
#include "integration/occupancy_model.h"
#include "support/test_util.h"
#include "tflite/model.h"
#include "tflite/op_support.h"

namespace emlkit {
namespace {

using testing::CliResult;
using testing::RunEmlkit;
using testing::RunJson;

// Quantizes the trained occupancy model with `extra` options; returns the report.
nlohmann::json Quantize(const testing::OccupancyModel& m, const std::string& out,
                        std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"quantize", m.model, "--calib", m.data, "--out", out};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunJson(args);
}

void ExpectQualityBar(const nlohmann::json& r, const std::string& what) {
  ASSERT_TRUE(r.is_object()) << what;
  const double f = r["float"]["accuracy"].get<double>(), q = r["int8"]["accuracy"].get<double>();
  const double agree = r["agreement"].get<double>();
  std::printf("%s: float %.4f int8 %.4f agreement %.4f (%s)\n", what.c_str(), f, q, agree,
              r["report_on"].get<std::string>().c_str());
  EXPECT_EQ(r["comparison"]["records"], 2665) << what;  // all of datatest.txt
  EXPECT_LE(std::fabs(q - f), 0.003) << what;
  EXPECT_GE(agree, 0.995) << what;
  EXPECT_GE(f, 0.97) << what;  // a real model, not a constant
}

TEST(QuantizeOccupancy, QualityBarWithTheDefaults) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  const std::string out = m.dir + "/q.tflite";
  const nlohmann::json r = Quantize(m, out);
  ExpectQualityBar(r, "post-training, minmax");
  // The runtime prepares the file (the verifier and every kernel's checks) and `emlkit eval`,
  // an independent path, measures the same accuracy.
  const nlohmann::json eval = RunJson({"eval", out, "--data", m.data});
  ASSERT_TRUE(eval.is_object());
  EXPECT_EQ(eval["input_type"], "int8");
  EXPECT_DOUBLE_EQ(eval["accuracy"].get<double>(), r["int8"]["accuracy"].get<double>());
  // Every layer reported, with its error.
  const nlohmann::json& layers = r["comparison"]["layers"];
  ASSERT_EQ(layers.size(), 5u);  // the input, 3 FULLY_CONNECTED, SOFTMAX
  for (const auto& l : layers) EXPECT_GT(l["sqnr_db"].get<double>(), 25.0) << l.dump();
  // The metadata says how it was made.
  auto model = tflite::ReadModelFile(out);
  ASSERT_TRUE(model.ok());
  const nlohmann::json meta = nlohmann::json::parse(*model->GetMetadata("emlkit"));
  EXPECT_EQ(meta["quantization"]["method"], "post_training");
  EXPECT_EQ(meta["quantization"]["calibration"]["records"], 1000);
  EXPECT_EQ(meta["quantization"]["report"]["outputs"][0]["agreement"], r["agreement"]);
  EXPECT_TRUE(meta.contains("training"));  // carried forward
  EXPECT_TRUE(meta.contains("preprocessing"));
}

TEST(QuantizeOccupancy, EveryRangeMethodAndOptionKeepsTheBar) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  ExpectQualityBar(Quantize(m, m.dir + "/p.tflite", {"--method", "percentile"}), "percentile");
  ExpectQualityBar(Quantize(m, m.dir + "/m.tflite", {"--method", "mse"}), "mse");
  ExpectQualityBar(Quantize(m, m.dir + "/t.tflite", {"--per-tensor"}), "per-tensor weights");
  ExpectQualityBar(Quantize(m, m.dir + "/f.tflite", {"--io", "float"}), "float input/output");
  ExpectQualityBar(
      Quantize(m, m.dir + "/v.tflite", {"--calib-split", "val", "--calib-records", "200"}),
      "200 validation records");
}

TEST(QuantizeOccupancy, QuantizationAwareTrainingKeepsTheBar) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  const nlohmann::json r = Quantize(m, m.dir + "/qat.tflite", {"--qat-epochs", "3"});
  ExpectQualityBar(r, "quantization-aware training, 3 epochs");
  EXPECT_EQ(r["qat_epochs"], 3);
  auto model = tflite::ReadModelFile(m.dir + "/qat.tflite");
  ASSERT_TRUE(model.ok());
  const nlohmann::json meta = nlohmann::json::parse(*model->GetMetadata("emlkit"));
  EXPECT_EQ(meta["quantization"]["method"], "quantization_aware_training");
}

TEST(QuantizeOccupancy, DeterministicBytes) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  for (const char* name : {"/d1.tflite", "/d2.tflite"}) {
    CliResult r = RunEmlkit({"quantize", m.model, "--calib", m.data, "--out", m.dir + name,
                             "--method", "mse", "--seed", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("(" + m.dir + name + " against " + m.model), std::string::npos)
        << "the report names the int8 model by its file\n"
        << r.out;
  }
  EXPECT_EQ(ReadFileBytes(m.dir + "/d1.tflite").value(),
            ReadFileBytes(m.dir + "/d2.tflite").value());
}

// Field by field against the golden int8 models TFLite's converter (hello_world_int8) and flatc
// (thermostat_mlp_int8, the same 5-16-16-2 architecture) wrote.
TEST(QuantizeOccupancy, FollowsTheGoldenModelsConventions) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  EMLKIT_REQUIRE_SHARED(thermo, "golden/thermostat_mlp_int8/model.tflite");
  EMLKIT_REQUIRE_SHARED(hello, "golden/hello_world_int8/model.tflite");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  ASSERT_TRUE(Quantize(m, m.dir + "/c.tflite").is_object());
  auto ours = tflite::ReadModelFile(m.dir + "/c.tflite");
  auto golden = tflite::ReadModelFile(thermo);
  auto converter = tflite::ReadModelFile(hello);
  ASSERT_TRUE(ours.ok() && golden.ok() && converter.ok());
  ASSERT_EQ(ours->operators.size(), golden->operators.size());
  const int fc_version = converter->operators[0].version;  // what TFLite's converter writes
  EXPECT_EQ(fc_version, 4);
  for (size_t k = 0; k < ours->operators.size(); ++k) {
    const tflite::Operator& a = ours->operators[k];
    const tflite::Operator& b = golden->operators[k];
    SCOPED_TRACE("op " + std::to_string(k) + " " + tflite::OpName(a));
    EXPECT_EQ(a.builtin_code, b.builtin_code);
    EXPECT_EQ(a.version, a.builtin_code == tflite::op::kFullyConnected ? fc_version : b.version);
    ASSERT_EQ(a.inputs.size(), b.inputs.size());
    for (size_t i = 0; i < a.inputs.size(); ++i) {
      const tflite::Tensor& ta = ours->tensors[static_cast<size_t>(a.inputs[i])];
      const tflite::Tensor& tb = golden->tensors[static_cast<size_t>(b.inputs[i])];
      SCOPED_TRACE("input " + std::to_string(i) + " " + ta.name);
      EXPECT_EQ(ta.type, tb.type);
      EXPECT_EQ(ta.shape, tb.shape);
      ASSERT_TRUE(ta.quant && tb.quant);
      EXPECT_EQ(ta.quant->scale.size(), tb.quant->scale.size());
      EXPECT_EQ(ta.quant->quantized_dimension, tb.quant->quantized_dimension);
      if (i > 0) {  // weights and bias: symmetric
        for (int64_t zp : ta.quant->zero_point) EXPECT_EQ(zp, 0);
      }
      if (i == 2) {  // bias scale = input scale x weight scale, per channel
        const float in = ours->tensors[static_cast<size_t>(a.inputs[0])].quant->scale[0];
        const auto& ws = ours->tensors[static_cast<size_t>(a.inputs[1])].quant->scale;
        for (size_t c = 0; c < ws.size(); ++c) EXPECT_EQ(ta.quant->scale[c], in * ws[c]);
      }
    }
    const tflite::Tensor& oa = ours->tensors[static_cast<size_t>(a.outputs[0])];
    const tflite::Tensor& ob = golden->tensors[static_cast<size_t>(b.outputs[0])];
    EXPECT_EQ(oa.type, ob.type);
    EXPECT_EQ(oa.shape, ob.shape);
    EXPECT_EQ(oa.quant->scale.size(), 1u);
    // ReLU layers start at the bottom of the int8 range; the softmax output is fixed.
    if (k < 2 || k == 3) {
      EXPECT_EQ(oa.quant->zero_point, ob.quant->zero_point);
    }
    if (k == 3) {
      EXPECT_EQ(oa.quant->scale, ob.quant->scale);
    }
  }
  EXPECT_EQ(ours->tensors[static_cast<size_t>(ours->inputs[0])].type, tflite::TensorType::kInt8);
  EXPECT_EQ(ours->version, golden->version);
}

TEST(QuantizeOccupancy, EvalCompareShowsBothModelsAndTheirAgreement) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  const nlohmann::json q = Quantize(m, m.dir + "/e.tflite");
  ASSERT_TRUE(q.is_object());
  const nlohmann::json j =
      RunJson({"eval", m.dir + "/e.tflite", "--data", m.data, "--compare", m.model});
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["reference"]["input_type"], "float32");
  EXPECT_EQ(j["input_type"], "int8");
  EXPECT_EQ(j["comparison"]["outputs"][0]["agreement"], q["agreement"]);
  EXPECT_EQ(j["comparison"]["layers"].size(), 5u);
  CliResult text = RunEmlkit({"eval", m.dir + "/e.tflite", "--data", m.data, "--compare", m.model});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("same predicted class on"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("FULLY_CONNECTED"), std::string::npos);
  EXPECT_NE(text.out.find("(float32)"), std::string::npos);
  EXPECT_NE(text.out.find("(int8)"), std::string::npos);
}

}  // namespace
}  // namespace emlkit
