// CONCATENATION, PAD, STRIDED_SLICE, RESHAPE, MEAN: the data-movement operators give exact
// results (checked element by element against index arithmetic), MEAN int8 within one step.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numeric>

#include "testing/model_builder.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

constexpr uint8_t kConcatenationOptions = 10, kReducerOptions = 27, kStridedSliceOptions = 32;

std::vector<float> Iota(int n, float start = 0) {
  std::vector<float> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), start);
  return v;
}

TEST(Concatenation, FloatAlongEachAxis) {
  // a [2, 2], b [2, 3]: along axis -1 -> [2, 5]; c [1, 2] along axis 0 with a -> [3, 2].
  ModelBuilder m;
  const int a = m.AddTensor(TensorType::kFloat32, {2, 2});
  const int b = m.AddTensor(TensorType::kFloat32, {2, 3});
  const int c = m.AddTensor(TensorType::kFloat32, {1, 2});
  const int ab = m.AddTensor(TensorType::kFloat32, {2, 5});
  const int ac = m.AddTensor(TensorType::kFloat32, {3, 2});
  m.AddOp(kConcatenation, {a, b}, {ab}, Options(kConcatenationOptions).I32(0, -1));
  m.AddOp(kConcatenation, {a, c}, {ac}, Options(kConcatenationOptions).I32(0, 0));
  m.SetIo({a, b, c}, {ab, ac});
  const auto out = RunModel(m.Build(), {Bytes(Iota(4)), Bytes(Iota(6, 10)), Bytes(Iota(2, 20))});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(As<float>(out[0]), (std::vector<float>{0, 1, 10, 11, 12, 2, 3, 13, 14, 15}));
  EXPECT_EQ(As<float>(out[1]), (std::vector<float>{0, 1, 2, 3, 20, 21}));
}

TEST(Concatenation, Int8KeepsBytesAndRejectsOtherScales) {
  const Quant q = PerTensor(0.5f, 3);
  ModelBuilder m;
  const int a = m.AddTensor(TensorType::kInt8, {1, 3}, q);
  const int b = m.AddTensor(TensorType::kInt8, {1, 1}, q);
  const int y = m.AddTensor(TensorType::kInt8, {1, 4}, q);
  m.AddOp(kConcatenation, {a, b}, {y}, Options(kConcatenationOptions).I32(0, 1));
  m.SetIo({a, b}, {y});
  const auto out = RunModel(
      m.Build(), {Bytes(std::vector<int8_t>{-128, 0, 127}), Bytes(std::vector<int8_t>{5})});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(As<int8_t>(out[0]), (std::vector<int8_t>{-128, 0, 127, 5}));

  ModelBuilder bad;
  const int ba = bad.AddTensor(TensorType::kInt8, {1, 3}, q);
  const int bb = bad.AddTensor(TensorType::kInt8, {1, 1}, PerTensor(0.25f, 3));
  const int by = bad.AddTensor(TensorType::kInt8, {1, 4}, q);
  bad.AddOp(kConcatenation, {ba, bb}, {by}, Options(kConcatenationOptions).I32(0, 1));
  bad.SetIo({ba, bb}, {by});
  const InitResult r = TryInit(bad.Build());
  EXPECT_EQ(r.status, Status::kUnsupported);
  EXPECT_EQ(r.tensor, bb);
}

TEST(Pad, FloatAndInt8FillWithZero) {
  // [1, 2, 3] padded by [[0, 0], [1, 0], [0, 2]] -> [1, 3, 5].
  const std::vector<int32_t> paddings = {0, 0, 1, 0, 0, 2};
  for (const TensorType type : {TensorType::kFloat32, TensorType::kInt8}) {
    const Quant q = type == TensorType::kInt8 ? PerTensor(0.1f, -7) : Quant{};
    ModelBuilder m;
    const int x = m.AddTensor(type, {1, 2, 3}, q);
    const int p = m.AddConstant(TensorType::kInt32, {3, 2}, paddings);
    const int y = m.AddTensor(type, {1, 3, 5}, q);
    m.AddOp(kPad, {x, p}, {y});
    m.SetIo({x}, {y});
    const std::vector<float> want = {0, 0, 0, 0, 0,  //
                                     1, 2, 3, 0, 0,  //
                                     4, 5, 6, 0, 0};
    if (type == TensorType::kFloat32) {
      EXPECT_EQ(RunModel1<float>(m.Build(), std::vector<float>{1, 2, 3, 4, 5, 6}), want);
    } else {
      const auto y8 = RunModel1<int8_t>(m.Build(), std::vector<int8_t>{1, 2, 3, 4, 5, 6});
      ASSERT_EQ(y8.size(), want.size());
      for (size_t i = 0; i < want.size(); ++i) {
        // Padding is the zero point (real 0); data passes unchanged.
        EXPECT_EQ(y8[i], want[i] == 0 ? -7 : static_cast<int8_t>(want[i])) << i;
      }
    }
  }
}

TEST(Pad, PaddingsMustMatchTheOutput) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {2, 2});
  const int p = m.AddConstant(TensorType::kInt32, {2, 2}, std::vector<int32_t>{1, 1, 0, 0});
  const int y = m.AddTensor(TensorType::kFloat32, {3, 2});  // should be [4, 2]
  m.AddOp(kPad, {x, p}, {y});
  m.SetIo({x}, {y});
  const InitResult r = TryInit(m.Build());
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.what, "PAD paddings do not match the output shape");
}

// STRIDED_SLICE on a [3, 4, 5] float tensor holding its own flat index.
std::vector<float> Slice(const std::vector<int32_t>& begin, const std::vector<int32_t>& end,
                         const std::vector<int32_t>& strides, const std::vector<int32_t>& out_shape,
                         int32_t begin_mask, int32_t end_mask, int32_t shrink_mask) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {3, 4, 5});
  const int b = m.AddConstant(TensorType::kInt32, {3}, begin);
  const int e = m.AddConstant(TensorType::kInt32, {3}, end);
  const int s = m.AddConstant(TensorType::kInt32, {3}, strides);
  const int y = m.AddTensor(TensorType::kFloat32, out_shape);
  m.AddOp(kStridedSlice, {x, b, e, s}, {y},
          Options(kStridedSliceOptions).I32(0, begin_mask).I32(1, end_mask).I32(4, shrink_mask));
  m.SetIo({x}, {y});
  return RunModel1<float>(m.Build(), Iota(60));
}

TEST(StridedSlice, StridesMasksAndShrink) {
  // x[1:3, ::2, -1:0:-2]: rows 1-2, columns 0 and 2, last index 4 then 2 (stop 0 excluded).
  std::vector<float> want;
  for (int i = 1; i < 3; ++i) {
    for (int j = 0; j < 4; j += 2) {
      for (int k = 4; k > 0; k -= 2) want.push_back(static_cast<float>(i * 20 + j * 5 + k));
    }
  }
  EXPECT_EQ(Slice({1, 0, -1}, {3, 0, 0}, {1, 2, -2}, {2, 2, 2}, 0, 0b010, 0), want);
  // x[2, 1:, 3] (axes 0 and 2 shrunk): 2*20 + j*5 + 3 for j = 1..3.
  EXPECT_EQ(Slice({2, 1, 3}, {0, 4, 0}, {1, 1, 1}, {3}, 0, 0, 0b101),
            (std::vector<float>{48, 53, 58}));
  // begin_mask on every axis with end clamped past the size: the whole tensor.
  EXPECT_EQ(Slice({2, 2, 2}, {9, 9, 9}, {1, 1, 1}, {3, 4, 5}, 0b111, 0, 0), Iota(60));
}

TEST(StridedSlice, WrongOutputSizeIsRejected) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {6});
  const int b = m.AddConstant(TensorType::kInt32, {1}, std::vector<int32_t>{0});
  const int e = m.AddConstant(TensorType::kInt32, {1}, std::vector<int32_t>{6});
  const int s = m.AddConstant(TensorType::kInt32, {1}, std::vector<int32_t>{2});
  const int y = m.AddTensor(TensorType::kFloat32, {2});  // 3 elements sliced
  m.AddOp(kStridedSlice, {x, b, e, s}, {y}, Options(kStridedSliceOptions));
  m.SetIo({x}, {y});
  const InitResult r = TryInit(m.Build());
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.tensor, y);
}

TEST(Reshape, AliasesItsInputAndFeedsTheNextOperator) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {2, 3});
  const int shape = m.AddConstant(TensorType::kInt32, {1}, std::vector<int32_t>{6});
  const int r = m.AddTensor(TensorType::kFloat32, {6});
  const int y = m.AddTensor(TensorType::kFloat32, {6});
  m.AddOp(kReshape, {x, shape}, {r});
  m.AddOp(kRelu, {r}, {y});
  m.SetIo({x}, {y});
  EXPECT_EQ(RunModel1<float>(m.Build(), std::vector<float>{-1, 2, -3, 4, -5, 6}),
            (std::vector<float>{0, 2, 0, 4, 0, 6}));

  ModelBuilder bad;
  const int bx = bad.AddTensor(TensorType::kFloat32, {2, 3});
  const int by = bad.AddTensor(TensorType::kFloat32, {5});
  bad.AddOp(kReshape, {bx}, {by});
  bad.SetIo({bx}, {by});
  EXPECT_EQ(TryInit(bad.Build()).what, "RESHAPE changes the number of bytes");
}

std::vector<uint8_t> MeanModel(TensorType type, const std::vector<int32_t>& in_shape,
                               const std::vector<int32_t>& axes,
                               const std::vector<int32_t>& out_shape, Quant qi = {},
                               Quant qo = {}) {
  ModelBuilder m;
  const int x = m.AddTensor(type, in_shape, qi);
  const int a = m.AddConstant(TensorType::kInt32, {static_cast<int32_t>(axes.size())}, axes);
  const int y = m.AddTensor(type, out_shape, qo);
  m.AddOp(kMean, {x, a}, {y}, Options(kReducerOptions).Bool(0, true));
  m.SetIo({x}, {y});
  return m.Build();
}

TEST(Mean, FloatOverSpatialAxes) {
  // [1, 2, 3, 2] averaged over axes 1 and 2 (channel-wise means), and over axis -1.
  const std::vector<float> x = Iota(12);
  const auto spatial =
      RunModel1<float>(MeanModel(TensorType::kFloat32, {1, 2, 3, 2}, {1, 2}, {1, 1, 1, 2}), x);
  EXPECT_EQ(spatial, (std::vector<float>{5, 6}));  // even and odd indices 0..10 / 1..11
  const auto last =
      RunModel1<float>(MeanModel(TensorType::kFloat32, {1, 2, 3, 2}, {-1}, {1, 2, 3, 1}), x);
  EXPECT_EQ(last, (std::vector<float>{0.5f, 2.5f, 4.5f, 6.5f, 8.5f, 10.5f}));
}

TEST(Mean, Int8WithinOneStep) {
  const Quant qi = PerTensor(0.07f, 9), qo = PerTensor(0.05f, -4);
  std::vector<int8_t> x(2 * 5 * 7 * 3);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int8_t>((i * 53) % 256 - 128);
  const auto y = RunModel1<int8_t>(
      MeanModel(TensorType::kInt8, {2, 5, 7, 3}, {1, 2}, {2, 1, 1, 3}, qi, qo), x);
  ASSERT_EQ(y.size(), 6u);
  for (int b = 0; b < 2; ++b) {
    for (int c = 0; c < 3; ++c) {
      double sum = 0;
      for (int i = 0; i < 35; ++i) sum += 0.07 * (x[(b * 35 + i) * 3 + c] - 9);
      const double want = std::round(sum / 35 / 0.05) - 4;
      EXPECT_LE(std::abs(y[b * 3 + c] - want), 1) << b << "," << c;
    }
  }
}

TEST(Mean, AxisOutOfRangeIsNamed) {
  const InitResult r = TryInit(MeanModel(TensorType::kFloat32, {2, 3}, {2}, {2, 3}));
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.what, "MEAN axis out of range");
  EXPECT_EQ(r.tensor, 1);
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
