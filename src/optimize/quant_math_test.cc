#include "optimize/quant_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace emlkit::optimize {
namespace {

TEST(AsymmetricParams, ReluRangeHasZeroPointMinus128) {
  const QuantParams p = AsymmetricParams(0.0, 5.1);
  EXPECT_FLOAT_EQ(p.scale, 5.1f / 255.0f);
  EXPECT_EQ(p.zero_point, -128);
  EXPECT_NEAR(QuantMax(p), 5.1, 1e-6);
}

TEST(AsymmetricParams, RangeIsWidenedToContainZero) {
  const QuantParams p = AsymmetricParams(2.0, 4.0);  // as if [0, 4]
  EXPECT_EQ(p.zero_point, -128);
  EXPECT_FLOAT_EQ(p.scale, 4.0f / 255.0f);
  const QuantParams n = AsymmetricParams(-3.0, -1.0);  // as if [-3, 0]
  EXPECT_EQ(n.zero_point, 127);
  EXPECT_NEAR(QuantMin(n), -3.0, 1e-6);
}

TEST(AsymmetricParams, ZeroIsExactlyRepresentable) {
  for (double lo : {-1.0, -0.37, -12.5}) {
    for (double hi : {0.2, 3.3, 100.0}) {
      const QuantParams p = AsymmetricParams(lo, hi);
      EXPECT_GE(p.zero_point, -128);
      EXPECT_LE(p.zero_point, 127);
      EXPECT_EQ(QuantizeValue(0.0f, p, -128, 127), p.zero_point);
      // The representable range covers the requested one within half a step.
      EXPECT_LE(QuantMin(p), lo + 0.5 * p.scale + 1e-6);
      EXPECT_GE(QuantMax(p), hi - 0.5 * p.scale - 1e-6);
    }
  }
}

TEST(AsymmetricParams, DegenerateRangeGetsAPositiveScale) {
  const QuantParams p = AsymmetricParams(0.0, 0.0);
  EXPECT_GT(p.scale, 0.0f);
  EXPECT_EQ(p.zero_point, -128);
}

TEST(QuantizeValue, RoundsHalfAwayFromZeroAndClamps) {
  const QuantParams p{0.5f, 0};
  EXPECT_EQ(QuantizeValue(0.25f, p, -128, 127), 1);    // 0.5 -> 1
  EXPECT_EQ(QuantizeValue(-0.25f, p, -128, 127), -1);  // -0.5 -> -1
  EXPECT_EQ(QuantizeValue(1000.0f, p, -128, 127), 127);
  EXPECT_EQ(QuantizeValue(-1000.0f, p, -127, 127), -127);
  EXPECT_EQ(QuantizeValue(std::nanf(""), QuantParams{0.5f, 3}, -128, 127), 3);
}

TEST(QuantizeWeightsSymmetric, PerChannelMapsEachChannelMaxTo127) {
  // [2 channels, 3] with different magnitudes.
  const std::vector<float> w = {0.5f, -1.0f, 0.25f, 10.0f, -2.0f, 4.0f};
  const QuantizedWeights q = QuantizeWeightsSymmetric(w, {2, 3}, 0, true);
  ASSERT_EQ(q.scales.size(), 2u);
  EXPECT_FLOAT_EQ(q.scales[0], 1.0f / 127.0f);
  EXPECT_FLOAT_EQ(q.scales[1], 10.0f / 127.0f);
  EXPECT_EQ(q.values[1], -127);
  EXPECT_EQ(q.values[3], 127);
  EXPECT_EQ(q.values[2], 32);   // 0.25 * 127 = 31.75
  EXPECT_EQ(q.values[4], -25);  // -2 / (10/127) = -25.4
}

TEST(QuantizeWeightsSymmetric, PerTensorUsesOneScale) {
  const std::vector<float> w = {0.5f, -1.0f, 10.0f, -2.0f};
  const QuantizedWeights q = QuantizeWeightsSymmetric(w, {2, 2}, 0, false);
  ASSERT_EQ(q.scales.size(), 1u);
  EXPECT_FLOAT_EQ(q.scales[0], 10.0f / 127.0f);
  EXPECT_EQ(q.values[2], 127);
  EXPECT_EQ(q.values[0], 6);  // 0.5 / 0.0787 = 6.35
}

TEST(QuantizeWeightsSymmetric, LastAxisChannelsForDepthwiseFilters) {
  // [1, 1, 2, 3]: channel = index % 3.
  const std::vector<float> w = {1, 2, 3, -4, 5, -6};
  const QuantizedWeights q = QuantizeWeightsSymmetric(w, {1, 1, 2, 3}, 3, true);
  ASSERT_EQ(q.scales.size(), 3u);
  EXPECT_FLOAT_EQ(q.scales[0], 4.0f / 127.0f);
  EXPECT_FLOAT_EQ(q.scales[1], 5.0f / 127.0f);
  EXPECT_FLOAT_EQ(q.scales[2], 6.0f / 127.0f);
  EXPECT_EQ(q.values[3], -127);
  EXPECT_EQ(q.values[4], 127);
  EXPECT_EQ(q.values[5], -127);
}

TEST(QuantizeWeightsSymmetric, AllZeroChannelKeepsAPositiveScale) {
  const QuantizedWeights q = QuantizeWeightsSymmetric({0, 0, 1, 2}, {2, 2}, 0, true);
  EXPECT_EQ(q.scales[0], 1.0f);
  EXPECT_EQ(q.values[0], 0);
  EXPECT_EQ(q.values[1], 0);
}

TEST(QuantizeBias, ScaleIsInputTimesWeightScale) {
  const std::vector<int32_t> q = QuantizeBias({1.0f, -0.5f}, 0.1f, {0.01f, 0.02f});
  EXPECT_EQ(q[0], 1000);  // 1 / 0.001
  EXPECT_EQ(q[1], -250);  // -0.5 / 0.002
}

TEST(WidenScalesForBias, OnlyTheChannelsThatWouldOverflow) {
  std::vector<float> scales = {1e-6f, 1e-6f};
  // 1e3 / (1e-6 * 1e-6) overflows int32; 1e-6 / 1e-12 = 1e6 does not.
  EXPECT_TRUE(WidenScalesForBias({1e3f, 1e-6f}, 1e-6f, &scales));
  EXPECT_GT(scales[0], 1e-6f);
  EXPECT_EQ(scales[1], 1e-6f);
  const std::vector<int32_t> q = QuantizeBias({1e3f, 1e-6f}, 1e-6f, scales);
  EXPECT_LT(std::abs(static_cast<double>(q[0])), 1.1 * (1 << 30));
  EXPECT_FALSE(WidenScalesForBias({1e3f}, 1e-6f, &scales));
}

TEST(SqnrDb, KnownRatios) {
  EXPECT_DOUBLE_EQ(SqnrDb(100.0, 1.0), 20.0);
  EXPECT_TRUE(std::isinf(SqnrDb(1.0, 0.0)) && SqnrDb(1.0, 0.0) > 0);
  EXPECT_TRUE(std::isinf(SqnrDb(0.0, 1.0)) && SqnrDb(0.0, 1.0) < 0);
}

}  // namespace
}  // namespace emlkit::optimize
