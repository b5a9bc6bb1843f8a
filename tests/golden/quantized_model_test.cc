// The int8 model `emlkit quantize` makes for the occupancy quality bar runs bit-exactly: the
// kernels of this test binary (the host-optimized runtime, and in the "portable." build the
// portable kernels firmware runs) give the very bytes `emlkit invoke` wrote on the host, for all
// 2,665 records of datatest.txt. (That these kernels match TensorFlow Lite Micro byte for byte
// is golden_test.cc's job, on thermostat_mlp_int8: the same operators and conventions.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/npy.h"
#include "emlkit/runtime.h"
#include "integration/occupancy_model.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

TEST(QuantizedOccupancyModel, RunsBitExactlyOnTheDeviceKernels) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  const testing::OccupancyModel& m = testing::TrainedOccupancyModel(occ);
  ASSERT_FALSE(m.model.empty());
  const std::string q = m.dir + "/int8.tflite";
  testing::CliResult r = testing::RunEmlkit({"quantize", m.model, "--calib", m.data, "--out", q});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<uint8_t> model = ReadFileBytes(q).value();

  std::vector<uint8_t> arena(64 * 1024 + 16);
  uint8_t* base = arena.data() + (16 - reinterpret_cast<uintptr_t>(arena.data()) % 16) % 16;
  rt::Interpreter interp;
  ASSERT_EQ(interp.Init(model.data(), model.size(), base, 64 * 1024), rt::Status::kOk)
      << interp.error().what;
  rt::TensorView in, out;
  ASSERT_EQ(interp.Input(0, &in), rt::Status::kOk);
  ASSERT_EQ(interp.Output(0, &out), rt::Status::kOk);
  ASSERT_EQ(in.type, rt::TensorType::kInt8);
  ASSERT_EQ(in.bytes, 5u);

  // The test records quantized with the input's parameters (TFLite's rounding).
  const NpyArray x = ReadNpy(m.data + "/X_test.npy").value();
  NpyArray xq = NpyArray::Zeros(DType::kInt8, x.shape());
  for (int64_t i = 0; i < x.num_elements(); ++i) {
    const float v = std::round(x.data<float>()[i] / in.scale) + static_cast<float>(in.zero_point);
    xq.data<int8_t>()[i] = static_cast<int8_t>(std::fmax(-128.0f, std::fmin(127.0f, v)));
  }
  ASSERT_TRUE(WriteNpy(m.dir + "/xq.npy", xq).ok());
  r = testing::RunEmlkit({"invoke", q, "--input", m.dir + "/xq.npy", "--output", m.dir + "/y.npy"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const NpyArray host = ReadNpy(m.dir + "/y.npy").value();
  ASSERT_EQ(host.records(), x.records());

  int64_t differing = 0;
  for (int64_t rec = 0; rec < x.records(); ++rec) {
    ASSERT_EQ(interp.ResetState(), rt::Status::kOk);
    std::memcpy(in.data, xq.data<int8_t>() + rec * 5, 5);
    ASSERT_EQ(interp.Invoke(), rt::Status::kOk);
    differing += std::memcmp(out.data, host.raw() + rec * out.bytes, out.bytes) != 0;
  }
  EXPECT_EQ(differing, 0) << "records whose outputs differ from the host's";
}

}  // namespace
}  // namespace emlkit
