// `emlkit quantize` on the golden float models that have an int8 twin made by TFLite's converter
// (hello_world_float / _int8, mlperf_ad01_fp32 / _int8): calibrated on records generated as the
// golden README describes, our int8 model follows the twin's conventions field by field and its
// outputs are compared with the float model's and the twin's on other generated records. The
// figures are printed (the closing note of issue 5 quotes them).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/npy.h"
#include "common/rng.h"
#include "integration/occupancy_model.h"
#include "optimize/compare.h"
#include "support/test_util.h"
#include "tflite/model.h"
#include "tflite/runner.h"

namespace emlkit {
namespace {

using testing::RunJson;

// Records `first`..`first + n - 1` of the golden generator (record k uses seed k + 1, one
// SplitMix64 draw per element, float32 ((r >> 40) / 2^24) * 2 - 1), [n, width], each value then
// mapped to `offset + scale * value` (1 and 0: the golden records themselves).
NpyArray GoldenRecords(int64_t first, int64_t n, int64_t width, double scale = 1.0,
                       double offset = 0.0) {
  NpyArray a = NpyArray::Zeros(DType::kFloat32, {n, width});
  for (int64_t k = 0; k < n; ++k) {
    uint64_t state = static_cast<uint64_t>(first + k + 1);
    for (int64_t j = 0; j < width; ++j) {
      const uint64_t r = SplitMix64(state);
      const float u = static_cast<float>(static_cast<double>(r >> 40) / 16777216.0 * 2.0 - 1.0);
      a.data<float>()[k * width + j] = static_cast<float>(offset + scale * u);
    }
  }
  return a;
}

struct Twin {
  const char* float_dir;
  const char* int8_dir;
  int64_t width;       // input values per record
  int64_t calib;       // calibration records
  double min_sqnr_db;  // our per-channel int8 output against float, at least
  // The twin was converted from this very float model (mlperf_ad01); hello_world's two models
  // are separate trainings (their weights differ).
  bool same_network;
};

class GoldenTwins : public ::testing::TestWithParam<Twin> {};

optimize::ModelComparison Compare(tflite::Runner& ref, tflite::Runner& test, const NpyArray& x) {
  auto c = optimize::CompareModels(ref, test, {x});
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : optimize::ModelComparison();
}

TEST_P(GoldenTwins, OurInt8ModelAgainstTheFloatModelAndTheTwin) {
  const Twin& t = GetParam();
  EMLKIT_REQUIRE_SHARED(float_dir, std::string("golden/") + t.float_dir);
  EMLKIT_REQUIRE_SHARED(int8_dir, std::string("golden/") + t.int8_dir);
  ScratchDir dir;
  ASSERT_TRUE(WriteNpy(dir.Path("calib.npy"), GoldenRecords(0, t.calib, t.width)).ok());
  const std::string fm = float_dir + "/model.tflite", twin_path = int8_dir + "/model.tflite";
  // Per tensor, as the twins are, for the field-by-field comparison; per channel (the default)
  // for the accuracy.
  const nlohmann::json pt = RunJson({"quantize", fm, "--calib", dir.Path("calib.npy"), "--out",
                                     dir.Path("per_tensor.tflite"), "--per-tensor"});
  const nlohmann::json pc =
      RunJson({"quantize", fm, "--calib", dir.Path("calib.npy"), "--out", dir.Path("ours.tflite")});
  ASSERT_TRUE(pt.is_object() && pc.is_object());
  // The per-layer report covers the input and every operator.
  auto twin_model = tflite::ReadModelFile(twin_path);
  auto ours = tflite::ReadModelFile(dir.Path("per_tensor.tflite"));
  ASSERT_TRUE(twin_model.ok() && ours.ok());
  EXPECT_EQ(pc["comparison"]["layers"].size(), twin_model->operators.size() + 1);

  // Field by field against the twin.
  ASSERT_EQ(ours->operators.size(), twin_model->operators.size());
  for (size_t k = 0; k < ours->operators.size(); ++k) {
    const tflite::Operator& a = ours->operators[k];
    const tflite::Operator& b = twin_model->operators[k];
    SCOPED_TRACE("op " + std::to_string(k));
    EXPECT_EQ(a.builtin_code, b.builtin_code);
    EXPECT_EQ(a.version, b.version);
    EXPECT_EQ(a.options, b.options);
    ASSERT_EQ(a.inputs.size(), b.inputs.size());
    std::vector<int32_t> ta = a.inputs, tb = b.inputs;
    ta.push_back(a.outputs[0]);
    tb.push_back(b.outputs[0]);
    for (size_t i = 0; i < ta.size(); ++i) {
      const tflite::Tensor& x = ours->tensors[static_cast<size_t>(ta[i])];
      const tflite::Tensor& y = twin_model->tensors[static_cast<size_t>(tb[i])];
      SCOPED_TRACE(y.name);
      EXPECT_EQ(x.type, y.type);
      EXPECT_EQ(x.shape, y.shape);
      ASSERT_TRUE(x.quant && y.quant);
      EXPECT_EQ(x.quant->scale.size(), y.quant->scale.size());
      if (i == 1 || i == 2) {  // 0
        EXPECT_EQ(x.quant->zero_point, y.quant->zero_point);
      }
      // Weights of the same network: max |w| / 127, the converter's scale to the bit, and the
      // same int8 values.
      if (i == 1 && t.same_network) {
        EXPECT_EQ(x.quant->scale, y.quant->scale);
        EXPECT_EQ(ours->TensorData(ta[i]), twin_model->TensorData(tb[i]));
      }
      // Activations after a ReLU sit at the bottom of the int8 range in both.
      if (i == 3 && y.quant->zero_point[0] == -128) {
        EXPECT_EQ(x.quant->zero_point[0], -128);
      }
    }
  }

  // Outputs on other generated records: ours and the twin against float, and against each other.
  auto f = tflite::Runner::Open(fm);
  auto q = tflite::Runner::Open(dir.Path("ours.tflite"));
  auto qt = tflite::Runner::Open(dir.Path("per_tensor.tflite"));
  auto tw = tflite::Runner::Open(twin_path);
  ASSERT_TRUE(f.ok() && q.ok() && qt.ok() && tw.ok());
  const NpyArray x = GoldenRecords(1000, 500, t.width);
  const optimize::ModelComparison ours_pc = Compare(*f, *q, x), ours_pt = Compare(*f, *qt, x);
  const optimize::ModelComparison twin = Compare(*f, *tw, x), between = Compare(*tw, *q, x);
  std::printf(
      "%s vs float on 500 generated records: ours per-channel SQNR %.1f dB (max |err| %.4g), ours "
      "per-tensor %.1f dB, TFLite twin %.1f dB (max |err| %.4g); ours vs twin %.1f dB; twin input "
      "scale %g zero point %d, ours %g %d\n",
      t.float_dir, ours_pc.outputs[0].error.sqnr_db, ours_pc.outputs[0].error.max_abs_error,
      ours_pt.outputs[0].error.sqnr_db, twin.outputs[0].error.sqnr_db,
      twin.outputs[0].error.max_abs_error, between.outputs[0].error.sqnr_db, tw->input(0).scale,
      tw->input(0).zero_point, q->input(0).scale, q->input(0).zero_point);
  for (size_t i = 0; i < ours_pc.layers.size(); ++i) {
    const optimize::LayerComparison& l = ours_pc.layers[i];
    std::printf("  %-16s %-40s ours %.1f dB (per-tensor %.1f dB), twin %.1f dB\n",
                l.op_name.c_str(), l.tensor_name.substr(0, 40).c_str(), l.error.sqnr_db,
                ours_pt.layers[i].error.sqnr_db, twin.layers[i].error.sqnr_db);
  }
  EXPECT_GE(ours_pc.outputs[0].error.sqnr_db, t.min_sqnr_db);
  EXPECT_GE(ours_pc.outputs[0].error.sqnr_db, ours_pt.outputs[0].error.sqnr_db - 0.5);
  // On the records it was calibrated for, ours is closer to float than the twin, which TFLite
  // calibrated on another input range.
  EXPECT_GT(ours_pc.outputs[0].error.sqnr_db, twin.outputs[0].error.sqnr_db);
}

INSTANTIATE_TEST_SUITE_P(
    Golden, GoldenTwins,
    ::testing::Values(Twin{"hello_world_float", "hello_world_int8", 1, 500, 33.0, false},
                      Twin{"mlperf_ad01_fp32", "mlperf_ad01_int8", 640, 200, 25.0, true}),
    [](const ::testing::TestParamInfo<Twin>& info) { return std::string(info.param.float_dir); });

// hello_world learned sin(x) on x in [0, 2 pi], the range TFLite calibrated its twin on (its
// input parameters cover [0, 6.24]). Calibrated on that domain too, ours is compared with the
// twin where the twin is at its best: no clipping on either side. (The twin is another training
// of the same network, so its error against this float model is quantization plus that.)
TEST(HelloWorldTwin, OnTheDomainTfliteCalibratedIt) {
  EMLKIT_REQUIRE_SHARED(float_dir, "golden/hello_world_float");
  EMLKIT_REQUIRE_SHARED(int8_dir, "golden/hello_world_int8");
  constexpr double kPi = 3.14159265358979323846;
  ScratchDir dir;
  ASSERT_TRUE(WriteNpy(dir.Path("calib.npy"), GoldenRecords(0, 500, 1, kPi, kPi)).ok());
  ASSERT_TRUE(RunJson({"quantize", float_dir + "/model.tflite", "--calib", dir.Path("calib.npy"),
                       "--out", dir.Path("ours.tflite")})
                  .is_object());
  auto f = tflite::Runner::Open(float_dir + "/model.tflite");
  auto q = tflite::Runner::Open(dir.Path("ours.tflite"));
  auto tw = tflite::Runner::Open(int8_dir + "/model.tflite");
  ASSERT_TRUE(f.ok() && q.ok() && tw.ok());
  const NpyArray x = GoldenRecords(1000, 500, 1, kPi, kPi);
  const optimize::ModelComparison ours = Compare(*f, *q, x), twin = Compare(*f, *tw, x);
  const optimize::ModelComparison between = Compare(*tw, *q, x);
  std::printf(
      "hello_world on x in [0, 2 pi], 500 records: ours SQNR %.1f dB (max |err| %.4g), TFLite twin "
      "%.1f dB (max |err| %.4g), ours vs twin %.1f dB; input scale ours %g zero point %d, twin "
      "%g %d\n",
      ours.outputs[0].error.sqnr_db, ours.outputs[0].error.max_abs_error,
      twin.outputs[0].error.sqnr_db, twin.outputs[0].error.max_abs_error,
      between.outputs[0].error.sqnr_db, q->input(0).scale, q->input(0).zero_point,
      tw->input(0).scale, tw->input(0).zero_point);
  // Both calibrated on the same domain: the two int8 models say nearly the same thing, and ours
  // is at least as close to this float model as the converter's.
  EXPECT_GE(twin.outputs[0].error.sqnr_db, 25.0);
  EXPECT_GE(between.outputs[0].error.sqnr_db, 20.0);
  EXPECT_GE(ours.outputs[0].error.sqnr_db, twin.outputs[0].error.sqnr_db - 1.0);
}

}  // namespace
}  // namespace emlkit
