// CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D over shapes that reach every loop
// tail (odd channel counts, strides, dilation, SAME and VALID padding, batches), against direct
// loops written here from the definitions: int8 must match bit for bit (integer accumulation,
// then TFLite's MultiplyByQuantizedMultiplier), float within 1e-5 relative.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/fixed_point.h"
#include "kernels/quant_util.h"
#include "testing/model_builder.h"
#include "testing/reference_multiplier.h"

namespace emlkit {
namespace rt {
namespace test {
namespace {

constexpr uint8_t kConv2DOptions = 1, kDepthwiseConv2DOptions = 2, kPool2DOptions = 5;
constexpr int8_t kSame = 0, kValid = 1, kActNone = 0, kActRelu = 1, kActRelu6 = 3;

struct Shape {
  int32_t batches, in_h, in_w, in_c;
  int32_t out_c;  // conv: filters; depthwise: in_c * multiplier; pool: in_c
  int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w;
  int8_t padding, activation;
  int32_t groups = 1;  // conv: filters see in_c / groups input channels
};

// Input channels of one conv filter.
int32_t FilterInC(const Shape& s) { return s.in_c / s.groups; }

// TFLite's output size and padding before the input.
void Geometry(const Shape& s, int32_t* out_h, int32_t* out_w, int32_t* pad_h, int32_t* pad_w) {
  const int32_t eff_h = (s.k_h - 1) * s.dil_h + 1, eff_w = (s.k_w - 1) * s.dil_w + 1;
  if (s.padding == kSame) {
    *out_h = (s.in_h + s.stride_h - 1) / s.stride_h;
    *out_w = (s.in_w + s.stride_w - 1) / s.stride_w;
  } else {
    *out_h = (s.in_h - eff_h + s.stride_h) / s.stride_h;
    *out_w = (s.in_w - eff_w + s.stride_w) / s.stride_w;
  }
  const int32_t total_h = (*out_h - 1) * s.stride_h + eff_h - s.in_h;
  const int32_t total_w = (*out_w - 1) * s.stride_w + eff_w - s.in_w;
  *pad_h = total_h > 0 ? total_h / 2 : 0;
  *pad_w = total_w > 0 ? total_w / 2 : 0;
}

// Deterministic pseudo-random values.
struct Lcg {
  uint32_t state;
  int32_t Next(int32_t lo, int32_t hi) {
    state = state * 1664525u + 1013904223u;
    return lo + static_cast<int32_t>((state >> 8) % static_cast<uint32_t>(hi - lo + 1));
  }
};

enum class Kind { kConv, kDepthwise, kAvgPool, kMaxPool };

// Calls f(b, oy, ox, oc, iy, ix, ic, filter_index) for every in-bounds tap of every output.
template <typename F>
void ForEachTap(Kind kind, const Shape& s, F f) {
  int32_t out_h, out_w, pad_h, pad_w;
  Geometry(s, &out_h, &out_w, &pad_h, &pad_w);
  const int32_t mult = kind == Kind::kDepthwise ? s.out_c / s.in_c : 1;
  for (int32_t b = 0; b < s.batches; ++b) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      for (int32_t ox = 0; ox < out_w; ++ox) {
        for (int32_t oc = 0; oc < s.out_c; ++oc) {
          for (int32_t ky = 0; ky < s.k_h; ++ky) {
            for (int32_t kx = 0; kx < s.k_w; ++kx) {
              const int32_t iy = oy * s.stride_h - pad_h + ky * s.dil_h;
              const int32_t ix = ox * s.stride_w - pad_w + kx * s.dil_w;
              if (iy < 0 || iy >= s.in_h || ix < 0 || ix >= s.in_w) continue;
              if (kind == Kind::kConv) {
                const int32_t fic = FilterInC(s), first = oc / (s.out_c / s.groups) * fic;
                for (int32_t ic = 0; ic < fic; ++ic) {
                  f(b, oy, ox, oc, iy, ix, first + ic, ((oc * s.k_h + ky) * s.k_w + kx) * fic + ic);
                }
              } else {
                const int32_t ic = kind == Kind::kDepthwise ? oc / mult : oc;
                f(b, oy, ox, oc, iy, ix, ic, (ky * s.k_w + kx) * s.out_c + oc);
              }
            }
          }
        }
      }
    }
  }
}

int32_t OutIndex(const Shape& s, int32_t b, int32_t oy, int32_t ox, int32_t oc) {
  int32_t out_h, out_w, pad_h, pad_w;
  Geometry(s, &out_h, &out_w, &pad_h, &pad_w);
  return ((b * out_h + oy) * out_w + ox) * s.out_c + oc;
}
int32_t InIndex(const Shape& s, int32_t b, int32_t iy, int32_t ix, int32_t ic) {
  return ((b * s.in_h + iy) * s.in_w + ix) * s.in_c + ic;
}

// The operator's model: input, [filter, bias,] output; options from the shape.
std::vector<uint8_t> Model(Kind kind, const Shape& s, TensorType type, const void* filter,
                           size_t filter_bytes, const void* bias, size_t bias_bytes, Quant qi,
                           Quant qf, Quant qb, Quant qo) {
  int32_t out_h, out_w, pad_h, pad_w;
  Geometry(s, &out_h, &out_w, &pad_h, &pad_w);
  ModelBuilder m;
  const int x = m.AddTensor(type, {s.batches, s.in_h, s.in_w, s.in_c}, qi);
  const int y = m.AddTensor(type, {s.batches, out_h, out_w, s.out_c}, qo);
  if (kind == Kind::kAvgPool || kind == Kind::kMaxPool) {
    m.AddOp(kind == Kind::kAvgPool ? kAveragePool2D : kMaxPool2D, {x}, {y},
            Options(kPool2DOptions)
                .I8(0, s.padding)
                .I32(1, s.stride_w)
                .I32(2, s.stride_h)
                .I32(3, s.k_w)
                .I32(4, s.k_h)
                .I8(5, s.activation));
  } else {
    const bool dw = kind == Kind::kDepthwise;
    const std::vector<int32_t> fshape =
        dw ? std::vector<int32_t>{1, s.k_h, s.k_w, s.out_c}
           : std::vector<int32_t>{s.out_c, s.k_h, s.k_w, FilterInC(s)};
    const int f = m.AddConstant(type, fshape, filter, filter_bytes, qf);
    const TensorType bias_type = type == TensorType::kInt8 ? TensorType::kInt32 : type;
    const int bt = m.AddConstant(bias_type, {s.out_c}, bias, bias_bytes, qb);
    Options o(dw ? kDepthwiseConv2DOptions : kConv2DOptions);
    o.I8(0, s.padding).I32(1, s.stride_w).I32(2, s.stride_h);
    if (dw) {
      o.I32(3, s.out_c / s.in_c).I8(4, s.activation).I32(5, s.dil_w).I32(6, s.dil_h);
    } else {
      o.I8(3, s.activation).I32(4, s.dil_w).I32(5, s.dil_h);
    }
    m.AddOp(dw ? kDepthwiseConv2D : kConv2D, {x, f, bt}, {y}, o);
  }
  m.SetIo({x}, {y});
  return m.Build();
}

int32_t OutputCount(const Shape& s) {
  int32_t out_h, out_w, pad_h, pad_w;
  Geometry(s, &out_h, &out_w, &pad_h, &pad_w);
  return s.batches * out_h * out_w * s.out_c;
}
int32_t FilterCount(Kind kind, const Shape& s) {
  return kind == Kind::kConv ? s.out_c * s.k_h * s.k_w * FilterInC(s) : s.k_h * s.k_w * s.out_c;
}

float ClampFloat(float v, int8_t act) {
  if (act == kActRelu || act == kActRelu6) v = v < 0 ? 0 : v;
  if (act == kActRelu6) v = v > 6 ? 6 : v;
  return v;
}

void CheckFloat(Kind kind, const Shape& s, uint32_t seed) {
  Lcg rng{seed};
  std::vector<float> x(static_cast<size_t>(s.batches * s.in_h * s.in_w * s.in_c));
  for (float& v : x) v = static_cast<float>(rng.Next(-1000, 1000)) / 500.0f;
  const bool pool = kind == Kind::kAvgPool || kind == Kind::kMaxPool;
  std::vector<float> w(pool ? 0 : static_cast<size_t>(FilterCount(kind, s)));
  std::vector<float> bias(pool ? 0 : static_cast<size_t>(s.out_c));
  for (float& v : w) v = static_cast<float>(rng.Next(-1000, 1000)) / 1000.0f;
  for (float& v : bias) v = static_cast<float>(rng.Next(-1000, 1000)) / 1000.0f;

  std::vector<double> acc(static_cast<size_t>(OutputCount(s)), 0.0);
  std::vector<int32_t> count(acc.size(), 0);
  std::vector<float> maxv(acc.size(), -INFINITY);
  ForEachTap(kind, s,
             [&](int32_t b, int32_t oy, int32_t ox, int32_t oc, int32_t iy, int32_t ix, int32_t ic,
                 int32_t fi) {
               const int32_t o = OutIndex(s, b, oy, ox, oc);
               const float xv = x[InIndex(s, b, iy, ix, ic)];
               if (pool) {
                 acc[o] += xv;
                 count[o] += 1;
                 maxv[o] = xv > maxv[o] ? xv : maxv[o];
               } else {
                 acc[o] += static_cast<double>(xv) * w[fi];
               }
             });
  const auto y = RunModel1<float>(Model(kind, s, TensorType::kFloat32, w.data(), w.size() * 4,
                                        bias.data(), bias.size() * 4, {}, {}, {}, {}),
                                  x);
  ASSERT_EQ(y.size(), acc.size());
  for (size_t o = 0; o < acc.size(); ++o) {
    double want;
    if (kind == Kind::kAvgPool) {
      want = acc[o] / count[o];
    } else if (kind == Kind::kMaxPool) {
      want = maxv[o];
    } else {
      want = acc[o] + bias[o % static_cast<size_t>(s.out_c)];
    }
    want = ClampFloat(static_cast<float>(want), s.activation);
    ASSERT_NEAR(y[o], want, 1e-5 * (1 + std::fabs(want))) << "output " << o;
  }
}

// out_scale > 0 replaces the default output scale (multipliers >= 1/2, shifts >= 0); the inputs,
// weights and biases are then small (|x - zero point|, |w| <= 3) so that outputs stay in range.
void CheckInt8(Kind kind, const Shape& s, uint32_t seed, float out_scale_override = 0.0f) {
  Lcg rng{seed};
  const int32_t in_zp = rng.Next(-20, 20), out_zp = rng.Next(-20, 20);
  const float in_scale = 0.02f;
  const bool small = out_scale_override > 0.0f;
  std::vector<int8_t> x(static_cast<size_t>(s.batches * s.in_h * s.in_w * s.in_c));
  for (int8_t& v : x) {
    v = static_cast<int8_t>(small ? in_zp + rng.Next(-3, 3) : rng.Next(-128, 127));
  }
  const bool pool = kind == Kind::kAvgPool || kind == Kind::kMaxPool;
  std::vector<int8_t> w(pool ? 0 : static_cast<size_t>(FilterCount(kind, s)));
  std::vector<int32_t> bias(pool ? 0 : static_cast<size_t>(s.out_c));
  for (int8_t& v : w) v = static_cast<int8_t>(small ? rng.Next(-3, 3) : rng.Next(-127, 127));
  for (int32_t& v : bias) v = small ? rng.Next(-30, 30) : rng.Next(-3000, 3000);
  // Per-channel filter scales; the output scale keeps results mostly in range.
  Quant qf, qb;
  for (int32_t c = 0; c < s.out_c; ++c) {
    qf.scales.push_back(0.004f + 0.001f * static_cast<float>(c % 5));
    qf.zero_points.push_back(0);
    qb.scales.push_back(in_scale * qf.scales.back());
    qb.zero_points.push_back(0);
  }
  qf.quantized_dimension = kind == Kind::kConv ? 0 : 3;
  // Output scale grows with the taps per output so that most results stay inside int8.
  const int32_t taps = s.k_h * s.k_w * (kind == Kind::kConv ? FilterInC(s) : 1);
  const float out_scale = pool                        ? in_scale
                          : out_scale_override > 0.0f ? out_scale_override
                                                      : 0.02f * std::sqrt(static_cast<float>(taps));
  const Quant qi = PerTensor(in_scale, in_zp);
  const Quant qo = pool ? PerTensor(in_scale, in_zp) : PerTensor(out_scale, out_zp);

  std::vector<int32_t> acc(static_cast<size_t>(OutputCount(s)), 0);
  std::vector<int32_t> count(acc.size(), 0), maxv(acc.size(), -128);
  ForEachTap(kind, s,
             [&](int32_t b, int32_t oy, int32_t ox, int32_t oc, int32_t iy, int32_t ix, int32_t ic,
                 int32_t fi) {
               const int32_t o = OutIndex(s, b, oy, ox, oc);
               const int32_t xv = x[InIndex(s, b, iy, ix, ic)];
               if (pool) {
                 acc[o] += xv;
                 count[o] += 1;
                 maxv[o] = xv > maxv[o] ? xv : maxv[o];
               } else {
                 acc[o] += (xv - in_zp) * w[fi];
               }
             });
  const int32_t zp = pool ? in_zp : out_zp;
  const int32_t lo = s.activation == kActNone ? -128 : (zp > -128 ? zp : -128);
  int32_t hi = 127;
  if (s.activation == kActRelu6) {
    const int32_t six = zp + static_cast<int32_t>(std::round(6.0f / qo.scales[0]));
    hi = six < 127 ? six : 127;
  }
  const auto y = RunModel1<int8_t>(Model(kind, s, TensorType::kInt8, w.data(), w.size(),
                                         bias.data(), bias.size() * 4, qi, qf, qb, qo),
                                   x);
  ASSERT_EQ(y.size(), acc.size());
  size_t inside = 0;  // outputs the clamp did not decide (the test is weak if few are)
  for (size_t o = 0; o < acc.size(); ++o) {
    int32_t want;
    if (kind == Kind::kAvgPool) {
      const int32_t n = count[o];  // TFLite rounds the average half away from zero
      want = acc[o] > 0 ? (acc[o] + n / 2) / n : (acc[o] - n / 2) / n;
    } else if (kind == Kind::kMaxPool) {
      want = maxv[o];
    } else {
      const int32_t c = static_cast<int32_t>(o % static_cast<size_t>(s.out_c));
      int32_t mult, shift;
      QuantizeMultiplier(static_cast<double>(in_scale) * qf.scales[c] / out_scale, &mult, &shift);
      want = fx::MultiplyByQuantizedMultiplier(acc[o] + bias[c], mult, shift) + out_zp;
    }
    inside += want > lo && want < hi ? 1 : 0;
    want = want < lo ? lo : (want > hi ? hi : want);
    ASSERT_EQ(y[o], want) << "output " << o;
  }
  EXPECT_GT(inside, acc.size() / 3) << "most outputs clamped: choose other scales";
}

// {batches, in_h, in_w, in_c, out_c, k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad, act}
const Shape kConvShapes[] = {
    {1, 7, 6, 3, 5, 3, 3, 1, 1, 1, 1, kSame, kActNone},
    {2, 9, 9, 17, 8, 3, 2, 2, 2, 1, 1, kValid, kActRelu},
    {1, 5, 8, 8, 16, 1, 1, 1, 1, 1, 1, kValid, kActRelu6},
    {1, 8, 7, 4, 3, 3, 3, 1, 2, 2, 2, kSame, kActNone},
    {1, 10, 3, 1, 32, 4, 1, 2, 1, 1, 1, kSame, kActRelu},
    {1, 6, 5, 6, 9, 3, 3, 1, 1, 1, 1, kSame, kActNone, 3},   // 3 groups of 2 channels
    {1, 7, 7, 8, 4, 2, 3, 2, 1, 1, 2, kValid, kActRelu, 2},  // 2 groups, dilated
};
const Shape kDepthwiseShapes[] = {
    {1, 6, 7, 3, 6, 3, 3, 1, 1, 1, 1, kSame, kActNone},  // multiplier 2
    {1, 9, 8, 32, 32, 3, 3, 2, 2, 1, 1, kSame, kActRelu6},
    {2, 7, 7, 17, 17, 3, 3, 1, 1, 2, 2, kValid, kActRelu},
    {1, 5, 11, 8, 8, 1, 4, 1, 3, 1, 1, kSame, kActNone},
};
const Shape kPoolShapes[] = {
    {1, 7, 6, 3, 3, 3, 3, 2, 2, 1, 1, kSame, kActNone},
    {2, 8, 8, 17, 17, 2, 2, 2, 2, 1, 1, kValid, kActRelu},
    {1, 5, 9, 32, 32, 5, 9, 1, 1, 1, 1, kValid, kActNone},  // global pooling
    {1, 6, 5, 8, 8, 3, 2, 1, 1, 1, 1, kSame, kActRelu6},
};

TEST(Conv2D, FloatMatchesDirectLoops) {
  uint32_t seed = 1;
  for (const Shape& s : kConvShapes) CheckFloat(Kind::kConv, s, seed++);
}
TEST(Conv2D, Int8PerChannelBitExact) {
  uint32_t seed = 11;
  for (const Shape& s : kConvShapes) CheckInt8(Kind::kConv, s, seed++);
}
// Filter scales 0.004..0.008 against this output scale give multipliers 0.35..0.7: shifts -1
// and 0 in one layer (the arm_dsp kernels' right-shift-only fast path must not be taken).
constexpr float kMixedShiftOutScale = 0.02f * 0.004f / 0.35f;
TEST(Conv2D, Int8MixedShiftsBitExact) {
  uint32_t seed = 41;
  for (const Shape& s : kConvShapes) CheckInt8(Kind::kConv, s, seed++, kMixedShiftOutScale);
}
TEST(DepthwiseConv2D, Int8MixedShiftsBitExact) {
  uint32_t seed = 51;
  for (const Shape& s : kDepthwiseShapes) {
    CheckInt8(Kind::kDepthwise, s, seed++, kMixedShiftOutScale);
  }
}
TEST(DepthwiseConv2D, FloatMatchesDirectLoops) {
  uint32_t seed = 21;
  for (const Shape& s : kDepthwiseShapes) CheckFloat(Kind::kDepthwise, s, seed++);
}
TEST(DepthwiseConv2D, Int8PerChannelBitExact) {
  uint32_t seed = 31;
  for (const Shape& s : kDepthwiseShapes) CheckInt8(Kind::kDepthwise, s, seed++);
}
TEST(Pooling, FloatAverageAndMax) {
  uint32_t seed = 41;
  for (const Shape& s : kPoolShapes) {
    CheckFloat(Kind::kAvgPool, s, seed++);
    CheckFloat(Kind::kMaxPool, s, seed++);
  }
}
TEST(Pooling, Int8AverageAndMaxBitExact) {
  uint32_t seed = 51;
  for (const Shape& s : kPoolShapes) {
    CheckInt8(Kind::kAvgPool, s, seed++);
    CheckInt8(Kind::kMaxPool, s, seed++);
  }
}

TEST(Conv2D, WrongOutputSizeIsRejected) {
  ModelBuilder m;
  const int x = m.AddTensor(TensorType::kFloat32, {1, 5, 5, 2});
  const int f = m.AddConstant(TensorType::kFloat32, {3, 3, 3, 2}, std::vector<float>(54, 0.1f));
  const int y = m.AddTensor(TensorType::kFloat32, {1, 5, 5, 3});  // VALID gives 3x3
  m.AddOp(kConv2D, {x, f, -1}, {y}, Options(kConv2DOptions).I8(0, kValid).I32(1, 1).I32(2, 1));
  m.SetIo({x}, {y});
  const InitResult r = TryInit(m.Build());
  EXPECT_EQ(r.status, Status::kCorruptModel);
  EXPECT_EQ(r.tensor, y);
}

}  // namespace
}  // namespace test
}  // namespace rt
}  // namespace emlkit
