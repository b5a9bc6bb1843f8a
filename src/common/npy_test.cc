#include "common/npy.h"

#include <gtest/gtest.h>

#include "common/fs.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

TEST(Npy, RoundTripsShapesAndValues) {
  ScratchDir dir;
  NpyArray a = NpyArray::Zeros(DType::kFloat32, {3, 2});
  for (int i = 0; i < 6; ++i) a.data<float>()[i] = 0.5f * static_cast<float>(i) - 1.0f;
  ASSERT_TRUE(WriteNpy(dir.Path("a.npy"), a).ok());
  auto b = ReadNpy(dir.Path("a.npy"));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->dtype(), DType::kFloat32);
  EXPECT_EQ(b->shape(), (std::vector<int64_t>{3, 2}));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(b->data<float>()[i], a.data<float>()[i]);
}

TEST(Npy, HeaderIsNumpyCompatible) {
  NpyArray a = NpyArray::Zeros(DType::kInt32, {4});
  std::vector<uint8_t> bytes = SerializeNpy(a);
  std::string header(bytes.begin() + 10, bytes.begin() + 10 + (bytes[8] | (bytes[9] << 8)));
  EXPECT_EQ(header.substr(0, 48), "{'descr': '<i4', 'fortran_order': False, 'shape'");
  EXPECT_NE(header.find("(4,)"), std::string::npos) << header;
  EXPECT_EQ((10 + header.size()) % 64, 0u);
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(bytes.size(), 10 + header.size() + 16);
}

TEST(Npy, ReadsGoldenInputs) {
  EMLKIT_REQUIRE_SHARED(path, "golden/thermostat_mlp_int8/input0.npy");
  auto a = ReadNpy(path);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->dtype(), DType::kInt8);
  EXPECT_EQ(a->shape(), (std::vector<int64_t>{10, 1, 5}));
  EXPECT_EQ(a->record_elements(), 5);
}

TEST(Npy, RejectsTruncatedAndForeignFiles) {
  std::vector<uint8_t> bytes = SerializeNpy(NpyArray::Zeros(DType::kInt8, {8}));
  auto r = ParseNpy(bytes.data(), bytes.size() - 1, "x.npy");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("x.npy"), std::string::npos);
  const uint8_t junk[] = "PK\x03\x04 not numpy at all";
  EXPECT_EQ(ParseNpy(junk, sizeof junk, "j.npy").status().code(), StatusCode::kCorruption);
  std::string dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }";
  std::string big = std::string("\x93NUMPY\x01\x00", 8);
  big += static_cast<char>(dict.size());
  big += '\0';
  big += dict + "abcd";
  auto be = ParseNpy(reinterpret_cast<const uint8_t*>(big.data()), big.size(), "be.npy");
  EXPECT_EQ(be.status().code(), StatusCode::kUnsupported) << be.status().ToString();
}

TEST(Npy, MissingFileIsNotFound) {
  auto r = ReadNpy("/nonexistent/dir/x.npy");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().ExitCode(), 2);
}

}  // namespace
}  // namespace emlkit
