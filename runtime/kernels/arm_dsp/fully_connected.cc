// FULLY_CONNECTED for Armv7E-M (Cortex-M4/M7): replaces kernels/reference/fully_connected.cc in
// firmware for cores with the DSP extension. Each input row is copied once, plus the input offset,
// into int16 pairs (SXTAB16) in the order SXTB16 unpacks the weights, so the inner loop is
// 4 weights per load, two multiply-accumulates per SMLAD, four rows per pass sharing the input.
#include "kernels/fully_connected.h"
#include "kernels/arm_dsp/dot.h"
#include "kernels/fully_connected_portable.h"

namespace emlkit::rt {
namespace {

// The dot products of kernels/arm_dsp/dot.h (input layout: groups of 4 as {x0, x2, x1, x3}).
struct DspDot {
  // Outputs summed into a stack array, then requantized in one run.
  static constexpr int32_t kChunk = 64;
  static void Input(const int8_t* x, int32_t depth, int32_t offset, int16_t* xs) {
    dsp::InputVector(x, depth, offset, xs);
  }
  static void Four(const int16_t* xs, const int8_t* w, int32_t depth, int32_t* out) {
    dsp::DotFour(xs, w, depth, out);
  }
  static int32_t One(const int16_t* xs, const int8_t* w, int32_t depth) {
    return dsp::DotOne(xs, w, depth);
  }
  static void Two(const int16_t* xs, const int8_t* w0, const int8_t* w1, int32_t depth, int32_t* d0,
                  int32_t* d1) {
    *d0 = dsp::DotOne(xs, w0, depth);
    *d1 = dsp::DotOne(xs, w1, depth);
  }
};

void EvalFullyConnectedFloat(const EvalContext& ctx, const void* record) {
  portable::FullyConnectedFloat(ctx, record);
}

}  // namespace

uint32_t FullyConnectedScratchBytes(const FullyConnectedRecord& r) {
  return portable::ScratchBytesForDepth(r.accum_depth);
}

EvalFn SelectFullyConnectedEval(const FullyConnectedRecord& r, bool is_float) {
  return is_float ? &EvalFullyConnectedFloat : portable::SelectFcInt8<DspDot>(r);
}

}  // namespace emlkit::rt
