// `emlkit quantize` and `emlkit prune` on bad input (issue 5): an already-quantized model, an
// operator the quantizer does not handle (named), calibration records of the wrong shape or too
// few, models emlkit did not train, conflicting options: a clear message, exit code 2, nothing
// written.
#include <gtest/gtest.h>
#include <filesystem>

#include <string>
#include <vector>

#include "common/fs.h"
#include "common/npy.h"
#include "integration/occupancy_model.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::CliResult;
using testing::PathExists;
using testing::RunEmlkit;

// Runs emlkit expecting exit code 2, a message containing every `needles`, and no `out` file.
void ExpectRefused(const std::vector<std::string>& args, const std::string& out,
                   const std::vector<std::string>& needles) {
  CliResult r = RunEmlkit(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("emlkit: error: ", 0), 0u) << r.err;
  for (const std::string& n : needles) EXPECT_NE(r.err.find(n), std::string::npos) << r.err;
  EXPECT_FALSE(PathExists(out)) << out;
}

std::string WriteRecords(const std::string& path, int64_t n, int64_t width) {
  NpyArray a = NpyArray::Zeros(DType::kFloat32, {n, width});
  for (int64_t i = 0; i < a.num_elements(); ++i)
    a.data<float>()[i] = 0.01f * static_cast<float>(i % 97);
  EXPECT_TRUE(WriteNpy(path, a).ok());
  return path;
}

TEST(QuantizeBadInput, AnAlreadyQuantizedModel) {
  EMLKIT_REQUIRE_SHARED(model, "golden/hello_world_int8/model.tflite");
  ScratchDir dir;
  const std::string calib = WriteRecords(dir.Path("x.npy"), 100, 1);
  ExpectRefused({"quantize", model, "--calib", calib, "--out", dir.Path("q.tflite")},
                dir.Path("q.tflite"), {model + " is already quantized", "int8", "float original"});
}

TEST(QuantizeBadInput, AnOperatorTheQuantizerDoesNotHandleIsNamed) {
  EMLKIT_REQUIRE_SHARED(model, "golden/trained_lstm/model.tflite");
  ScratchDir dir;
  const std::string calib = WriteRecords(dir.Path("x.npy"), 100, 28 * 28);
  ExpectRefused({"quantize", model, "--calib", calib, "--out", dir.Path("q.tflite")},
                dir.Path("q.tflite"),
                {"op 0 (UNIDIRECTIONAL_SEQUENCE_LSTM) is not handled by emlkit quantize"});
}

TEST(QuantizeBadInput, CalibrationRecordsOfTheWrongShape) {
  EMLKIT_REQUIRE_SHARED(model, "golden/hello_world_float/model.tflite");
  ScratchDir dir;
  const std::string calib = WriteRecords(dir.Path("x3.npy"), 100, 3);
  ExpectRefused({"quantize", model, "--calib", calib, "--out", dir.Path("q.tflite")},
                dir.Path("q.tflite"),
                {calib, "records of shape [3] (3 values) do not fit input 0",
                 "serving_default_dense_input:0"});
}

TEST(QuantizeBadInput, ADataSetOfTheWrongShape) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  EMLKIT_REQUIRE_SHARED(model, "golden/hello_world_float/model.tflite");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  ScratchDir dir;
  ExpectRefused({"quantize", model, "--calib", m.data, "--out", dir.Path("q.tflite")},
                dir.Path("q.tflite"), {"the train split of " + m.data, "records of shape [5]"});
}

TEST(QuantizeBadInput, ADataSetOfAnotherTask) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  ScratchDir dir;
  CliResult prep = RunEmlkit({"data", "prepare", "--input", occ + "/datatraining.txt", "--features",
                              "Temperature,Humidity,Light,CO2,HumidityRatio", "--task",
                              "regression", "--target", "CO2", "--out", dir.Path("reg")});
  ASSERT_EQ(prep.exit_code, 0) << prep.err;
  ExpectRefused({"quantize", m.model, "--calib", dir.Path("reg"), "--out", dir.Path("q.tflite")},
                dir.Path("q.tflite"),
                {"trained for classification", "holds a regression data set"});
}

// Issue 15: under 20 calibration records is a warning (small data sets), not a refusal; no
// record at all is still refused.
TEST(QuantizeBadInput, FewCalibrationRecordsWarn) {
  EMLKIT_REQUIRE_SHARED(model, "golden/hello_world_float/model.tflite");
  ScratchDir dir;
  const std::string calib = WriteRecords(dir.Path("x.npy"), 10, 1);
  CliResult r = RunEmlkit({"quantize", model, "--calib", calib, "--out", dir.Path("q.tflite")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE((r.out + r.err).find("calibrating on only 10 records"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir.Path("q.tflite")));
  const std::string enough = WriteRecords(dir.Path("y.npy"), 100, 1);
  ExpectRefused({"quantize", model, "--calib", enough, "--out", dir.Path("q2.tflite"),
                 "--calib-records", "0"},
                dir.Path("q2.tflite"), {"--calib-records 0", "at least 1"});
}

TEST(QuantizeBadInput, QatNeedsATrainedModelAndItsDataSet) {
  EMLKIT_REQUIRE_SHARED(model, "golden/hello_world_float/model.tflite");
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  ScratchDir dir;
  const std::string calib = WriteRecords(dir.Path("x.npy"), 100, 1);
  ExpectRefused(
      {"quantize", model, "--calib", calib, "--out", dir.Path("q.tflite"), "--qat-epochs", "2"},
      dir.Path("q.tflite"), {"--qat-epochs", "data set folder"});
}

TEST(PruneBadInput, ModelsEmlkitDidNotTrain) {
  EMLKIT_REQUIRE_SHARED(model, "golden/hello_world_float/model.tflite");
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  ScratchDir dir;
  ExpectRefused({"prune", model, "--data", m.data, "--out", dir.Path("p.tflite")},
                dir.Path("p.tflite"), {model + " has no emlkit training metadata"});
}

TEST(PruneBadInput, ConflictingOrOutOfRangeOptions) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  ScratchDir dir;
  const std::string out = dir.Path("p.tflite");
  ExpectRefused({"prune", m.model, "--data", m.data, "--out", out, "--sparsity", "0.5",
                 "--target-macs", "0.5"},
                out, {"exclude each other"});
  ExpectRefused({"prune", m.model, "--data", m.data, "--out", out, "--sparsity", "1.5"}, out,
                {"--sparsity 1.5"});
  ExpectRefused({"prune", m.model, "--data", m.data, "--out", out, "--target-macs", "0"}, out,
                {"--target-macs 0"});
}

TEST(PruneBadInput, ADataSetThatDoesNotFit) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  ScratchDir dir;
  CliResult prep =
      RunEmlkit({"data", "prepare", "--input", occ + "/datatraining.txt", "--features",
                 "Temperature,Light,CO2", "--label", "Occupancy", "--out", dir.Path("ds3")});
  ASSERT_EQ(prep.exit_code, 0) << prep.err;
  ExpectRefused({"prune", m.model, "--data", dir.Path("ds3"), "--out", dir.Path("p.tflite")},
                dir.Path("p.tflite"), {"takes records of shape [5]", "[3]"});
}

}  // namespace
}  // namespace emlkit
