// Portable FULLY_CONNECTED kernels (the ones firmware without a DSP extension runs).
#include "kernels/fully_connected.h"
#include "kernels/fully_connected_portable.h"

#if defined(__AVR__)
#include <avr/pgmspace.h>
#endif

namespace emlkit {
namespace rt {
namespace {

// Plain C dot products over the input row plus offset (int16, in order); two weight rows share
// each input load.
struct PortableDot {
  // Outputs requantized per run: 4 (the sums stay in registers; a longer stack array made cores
  // with few registers, such as Armv6-M, spill in the inlined dot products).
  static constexpr int32_t kChunk = 4;
  static void Input(const int8_t* x, int32_t depth, int32_t offset, int16_t* xs) {
    for (int32_t d = 0; d < depth; ++d) xs[d] = static_cast<int16_t>(x[d] + offset);
  }
  EMLKIT_RT_INLINE static void Two(const int16_t* xs, const int8_t* w0, const int8_t* w1,
                                   int32_t depth, int32_t* d0, int32_t* d1) {
    uint32_t a0 = 0, a1 = 0;  // wrap like int32 would, without undefined behaviour
    for (int32_t d = 0; d < depth; ++d) {
      const int32_t xv = xs[d];
      a0 += static_cast<uint32_t>(xv * w0[d]);
      a1 += static_cast<uint32_t>(xv * w1[d]);
    }
    *d0 = static_cast<int32_t>(a0);
    *d1 = static_cast<int32_t>(a1);
  }
  EMLKIT_RT_INLINE static void Four(const int16_t* xs, const int8_t* w, int32_t depth,
                                    int32_t* out) {
    Two(xs, w, w + depth, depth, &out[0], &out[1]);
    Two(xs, w + 2 * depth, w + 3 * depth, depth, &out[2], &out[3]);
  }
  EMLKIT_RT_INLINE static int32_t One(const int16_t* xs, const int8_t* w, int32_t depth) {
    uint32_t a = 0;
    for (int32_t d = 0; d < depth; ++d) a += static_cast<uint32_t>(xs[d] * w[d]);
    return static_cast<int32_t>(a);
  }
};

void EvalFullyConnectedFloat(const EvalContext& ctx, const void* record) {
  portable::FullyConnectedFloat(ctx, record);
}

}  // namespace

#if defined(__AVR__)
namespace {

// The weights and bias in flash (the code emlkit export generates for an Uno-class board, whose
// 2 KB of RAM cannot hold them), read with LPM.
struct LoadFromFlash {
  static int8_t Weight(const int8_t* p) { return static_cast<int8_t>(pgm_read_byte(p)); }
  static int32_t Bias(const int32_t* p) { return static_cast<int32_t>(pgm_read_dword(p)); }
};

// int8, one output at a time with the offset added per multiply (no scratch: AVR has few
// registers to keep sums in anyway).
void FullyConnectedInt8FlashEval(const EvalContext& ctx, const void* record) {
  portable::FullyConnectedInt8NoScratch<LoadFromFlash>(portable::FcInt8Args(ctx, record));
}

}  // namespace

EvalFn SelectFullyConnectedFlashEval(const FullyConnectedRecord&) {
  return &FullyConnectedInt8FlashEval;
}
#endif  // __AVR__

uint32_t FullyConnectedScratchBytes(const FullyConnectedRecord& r) {
  return portable::ScratchBytesForDepth(r.accum_depth);
}

EvalFn SelectFullyConnectedEval(const FullyConnectedRecord& r, bool is_float) {
  return is_float ? &EvalFullyConnectedFloat : portable::SelectFcInt8<PortableDot>(r);
}

}  // namespace rt
}  // namespace emlkit
