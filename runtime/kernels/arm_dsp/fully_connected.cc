// FULLY_CONNECTED for Armv7E-M (Cortex-M4/M7): replaces kernels/reference/fully_connected.cc in
// firmware for cores with the DSP extension. Each input row is copied once, plus the input offset,
// into int16 pairs (SXTAB16) in the order SXTB16 unpacks the weights, so the inner loop is
// 4 weights per load, two multiply-accumulates per SMLAD, four rows per pass sharing the input.
#include "kernels/fully_connected.h"
#include "kernels/arm_dsp/dsp.h"
#include "kernels/fully_connected_portable.h"

namespace emlkit::rt {
namespace {

// Groups of 4 inputs as {x0, x2, x1, x3} + offset (Dot4RowsBlocks' layout), the rest in order.
struct DspDot {
  static void Input(const int8_t* x, int32_t depth, int32_t offset, int16_t* xs) {
    const uint32_t off2 = (static_cast<uint32_t>(offset) & 0xFFFFu) * 0x10001u;
    uint32_t* out = reinterpret_cast<uint32_t*>(xs);
    for (int32_t n = depth >> 2; n > 0; --n, x += 4, out += 2) {
      const uint32_t v = dsp::Load32(x);
      out[0] = dsp::Sxtab16(off2, v);
      out[1] = dsp::Sxtab16Ror8(off2, v);
    }
    int16_t* tail = reinterpret_cast<int16_t*>(out);
    for (int32_t n = depth & 3; n > 0; --n) *tail++ = static_cast<int16_t>(*x++ + offset);
  }

  // Not inlined: the assembly loop needs every register.
  __attribute__((noinline)) static void Four(const int16_t* xs, const int8_t* w, int32_t depth,
                                             int32_t* out) {
    const int8_t* w0 = w;
    const int8_t* w1 = w0 + depth;
    const int8_t* w2 = w1 + depth;
    const int8_t* w3 = w2 + depth;
    int32_t acc[4] = {0, 0, 0, 0};
    if (depth >= 4) dsp::Dot4RowsBlocks(xs, w0, w1, w2, w3, depth >> 2, acc);
    uint32_t t0 = static_cast<uint32_t>(acc[0]), t1 = static_cast<uint32_t>(acc[1]);
    uint32_t t2 = static_cast<uint32_t>(acc[2]), t3 = static_cast<uint32_t>(acc[3]);
    for (int32_t n = depth & 3; n > 0; --n) {
      const int32_t xv = *xs++;
      t0 += static_cast<uint32_t>(xv * *w0++);
      t1 += static_cast<uint32_t>(xv * *w1++);
      t2 += static_cast<uint32_t>(xv * *w2++);
      t3 += static_cast<uint32_t>(xv * *w3++);
    }
    out[0] = static_cast<int32_t>(t0);
    out[1] = static_cast<int32_t>(t1);
    out[2] = static_cast<int32_t>(t2);
    out[3] = static_cast<int32_t>(t3);
  }

  // One row: sum over the groups with SMLAD, then the tail.
  static int32_t One(const int16_t* xs, const int8_t* w, int32_t depth) {
    int32_t a = 0;
    const uint32_t* x2 = reinterpret_cast<const uint32_t*>(xs);
    for (int32_t n = depth >> 2; n > 0; --n, x2 += 2, w += 4) {
      const uint32_t v = dsp::Load32(w);
      a = dsp::Smlad(x2[0], dsp::Sxtb16(v), a);
      a = dsp::Smlad(x2[1], dsp::Sxtb16Ror8(v), a);
    }
    uint32_t t = static_cast<uint32_t>(a);
    const int16_t* tail = reinterpret_cast<const int16_t*>(x2);
    for (int32_t n = depth & 3; n > 0; --n) t += static_cast<uint32_t>(*tail++ * *w++);
    return static_cast<int32_t>(t);
  }

  static void Two(const int16_t* xs, const int8_t* w0, const int8_t* w1, int32_t depth, int32_t* d0,
                  int32_t* d1) {
    *d0 = One(xs, w0, depth);
    *d1 = One(xs, w1, depth);
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
