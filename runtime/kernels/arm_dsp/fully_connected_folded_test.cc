// The folded FULLY_CONNECTED of generated Armv7E-M code (kernels/arm_dsp/fully_connected_folded.h,
// dsp.h in plain C on the host) against direct integer sums and the runtime's
// MultiplyByQuantizedMultiplier, over every depth tail, partial last groups, batches, per-tensor
// and per-channel multipliers; and the layers FoldFullyConnected must refuse.
#include "kernels/arm_dsp/fully_connected_folded.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "kernels/fixed_point.h"

namespace emlkit {
namespace rt {
namespace {

// Uniform integers in [lo, hi].
class Rng {
 public:
  explicit Rng(uint32_t seed) : gen_(seed) {}
  int32_t Next(int32_t lo, int32_t hi) {
    return std::uniform_int_distribution<int32_t>(lo, hi)(gen_);
  }

 private:
  std::mt19937 gen_;
};

// A record with its per-channel tail (when per_channel) and room for the folded groups.
struct Layer {
  std::vector<uint64_t> storage;  // 8-byte aligned record bytes
  std::vector<int8_t> weights;
  std::vector<int32_t> bias;
  FullyConnectedRecord& r() { return *reinterpret_cast<FullyConnectedRecord*>(storage.data()); }
  int32_t Multiplier(int32_t o) {
    if (r().per_channel == 0) return r().multiplier;
    return reinterpret_cast<const int32_t*>(Bytes() + r().per_channel)[o];
  }
  int32_t Shift(int32_t o) {
    if (r().per_channel == 0) return r().shift;
    return reinterpret_cast<const int8_t*>(Bytes() + r().per_channel + 4 * r().output_depth)[o];
  }
  uint8_t* Bytes() { return reinterpret_cast<uint8_t*>(storage.data()); }
};

Layer MakeLayer(Rng& rng, int32_t batches, int32_t depth, int32_t outputs, bool per_channel,
                bool has_bias) {
  Layer l;
  const uint32_t base = sizeof(FullyConnectedRecord);
  const uint32_t tail = per_channel ? 5 * static_cast<uint32_t>(outputs) : 0;
  const uint32_t folded = (base + tail + 7) / 8 * 8;
  l.storage.assign((folded + 52 * ((outputs + 3) / 4) + 7) / 8, 0);
  FullyConnectedRecord& r = l.r();
  r.batches = batches;
  r.accum_depth = depth;
  r.output_depth = outputs;
  r.input_offset = rng.Next(-128, 127);
  r.output_offset = rng.Next(-128, 127);
  r.act_min = -128;
  r.act_max = 127;
  r.multiplier = rng.Next(1 << 30, 0x7FFFFFFF);
  r.shift = rng.Next(-14, -1);
  r.bias = has_bias ? 0 : kNoRef;
  r.input = 0;
  r.output = 256;
  r.weights = kModelRefBit;
  r.folded = folded;
  if (per_channel) {
    r.per_channel = base;
    for (int32_t o = 0; o < outputs; ++o) {
      reinterpret_cast<int32_t*>(l.Bytes() + base)[o] = rng.Next(1 << 30, 0x7FFFFFFF);
      reinterpret_cast<int8_t*>(l.Bytes() + base + 4 * outputs)[o] =
          static_cast<int8_t>(rng.Next(-14, -1));
    }
  }
  l.weights.resize(static_cast<size_t>(depth * outputs));
  for (int8_t& w : l.weights) w = static_cast<int8_t>(rng.Next(-127, 127));
  if (has_bias) {
    l.bias.resize(static_cast<size_t>(outputs));
    for (int32_t& b : l.bias) b = rng.Next(-200000, 200000);
  }
  return l;
}

TEST(FoldedFullyConnected, BitExactWithIntegerSumsAndTfliteRequantization) {
  Rng rng(42);
  int checked = 0, inside = 0;
  for (const int32_t depth : {1, 2, 3, 4, 5, 7, 8, 13, 16, 17, 31, 32}) {
    for (const int32_t outputs : {1, 2, 3, 4, 5, 6, 7, 8, 13, 16, 32}) {
      const bool per_channel = (depth + outputs) % 2 == 0;
      const int32_t batches = outputs % 3 == 0 ? 2 : 1;
      Layer l = MakeLayer(rng, batches, depth, outputs, per_channel, outputs != 7);
      FullyConnectedRecord& r = l.r();
      auto* groups = reinterpret_cast<FcFoldedGroup*>(l.Bytes() + r.folded);
      ASSERT_TRUE(FoldFullyConnected(r, l.weights.data(), l.bias.empty() ? nullptr : l.bias.data(),
                                     groups));
      for (int trial = 0; trial < 20; ++trial) {
        uint8_t arena[512];
        std::memset(arena, 0x5A, sizeof(arena));
        auto* x = reinterpret_cast<int8_t*>(arena);
        for (int32_t i = 0; i < batches * depth; ++i) {
          x[i] = static_cast<int8_t>(trial == 0 ? -128 : trial == 1 ? 127 : rng.Next(-128, 127));
        }
        EvalContext ctx{{arena, reinterpret_cast<uint8_t*>(l.weights.data())}};
        FullyConnectedFolded(ctx, l.Bytes());
        const auto* y = reinterpret_cast<const int8_t*>(arena + 256);
        for (int32_t b = 0; b < batches; ++b) {
          for (int32_t o = 0; o < outputs; ++o) {
            int32_t acc = l.bias.empty() ? 0 : l.bias[o];
            for (int32_t d = 0; d < depth; ++d) {
              acc += (x[b * depth + d] + r.input_offset) * l.weights[o * depth + d];
            }
            int32_t want = fx::MultiplyByQuantizedMultiplier(acc, l.Multiplier(o), l.Shift(o)) +
                           r.output_offset;
            inside += want > -128 && want < 127;
            want = want < -128 ? -128 : (want > 127 ? 127 : want);
            ASSERT_EQ(y[b * outputs + o], want)
                << "depth " << depth << " outputs " << outputs << " batch " << b << " output " << o;
            ++checked;
          }
        }
        // Nothing written past the outputs.
        EXPECT_EQ(arena[256 + batches * outputs], 0x5A);
      }
    }
  }
  EXPECT_GT(inside, checked / 4) << "the clamp decided too many outputs to test the arithmetic";
}

TEST(FoldedFullyConnected, RefusesLayersItIsNotExactOrMeantFor) {
  Rng rng(7);
  const auto folds = [](Layer& l) {
    std::vector<FcFoldedGroup> g(static_cast<size_t>((l.r().output_depth + 3) / 4));
    return FoldFullyConnected(l.r(), l.weights.data(), l.bias.empty() ? nullptr : l.bias.data(),
                              g.data());
  };
  Layer ok = MakeLayer(rng, 1, 8, 4, false, true);
  EXPECT_TRUE(folds(ok));
  Layer deep = MakeLayer(rng, 1, kFoldedMaxDepth + 1, 4, false, true);
  EXPECT_FALSE(folds(deep));
  Layer wide = MakeLayer(rng, 1, 8, kFoldedMaxOutputs + 1, false, true);
  EXPECT_FALSE(folds(wide));
  Layer relu = MakeLayer(rng, 1, 8, 4, false, true);
  relu.r().act_min = -100;
  EXPECT_FALSE(folds(relu));
  Layer above_half = MakeLayer(rng, 1, 8, 4, true, true);
  reinterpret_cast<int8_t*>(above_half.Bytes() + above_half.r().per_channel + 16)[3] = 0;
  EXPECT_FALSE(folds(above_half));
  Layer big_bias = MakeLayer(rng, 1, 8, 4, false, true);
  big_bias.bias[2] = (1 << 30) - 1000;  // 128 * sum |w| would pass 2^30
  EXPECT_FALSE(folds(big_bias));
  Layer big_zp = MakeLayer(rng, 1, 8, 4, false, true);
  big_zp.r().shift = -24;  // zero point * 2^24 + 2^23 needs more than 30 bits
  big_zp.r().output_offset = 100;
  EXPECT_FALSE(folds(big_zp));
}

}  // namespace
}  // namespace rt
}  // namespace emlkit
