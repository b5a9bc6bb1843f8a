// Dot products of int8 weight rows with one int16 input vector (input values plus their offset),
// shared by the arm_dsp FULLY_CONNECTED and CONV_2D kernels, and the per-channel requantization
// that follows them. The input vector's layout: each group of 4 values as {x0, x2, x1, x3} (the
// lanes SXTB16 unpacks the weights into), the depth % 4 last values in order; 4-byte aligned.
#ifndef EMLKIT_RUNTIME_KERNELS_ARM_DSP_DOT_H_
#define EMLKIT_RUNTIME_KERNELS_ARM_DSP_DOT_H_

#include <stdint.h>

#include "kernels/arm_dsp/dsp.h"
#include "kernels/fixed_point.h"

namespace emlkit {
namespace rt {
namespace dsp {

// xs = x + offset in the layout above (SXTAB16 does both at once).
inline void InputVector(const int8_t* x, int32_t depth, int32_t offset, int16_t* xs) {
  const uint32_t off2 = (static_cast<uint32_t>(offset) & 0xFFFFu) * 0x10001u;
  uint32_t* out = reinterpret_cast<uint32_t*>(xs);
  for (int32_t n = depth >> 2; n > 0; --n, x += 4, out += 2) {
    const uint32_t v = Load32(x);
    out[0] = Sxtab16(off2, v);
    out[1] = Sxtab16Ror8(off2, v);
  }
  int16_t* tail = reinterpret_cast<int16_t*>(out);
  for (int32_t n = depth & 3; n > 0; --n) *tail++ = static_cast<int16_t>(*x++ + offset);
}

// Reorders a vector written in plain order into the layout above (swaps the middle of each 4).
inline void ToDotLayout(int16_t* xs, int32_t depth) {
  for (int32_t n = depth >> 2; n > 0; --n, xs += 4) {
    const int16_t t = xs[1];
    xs[1] = xs[2];
    xs[2] = t;
  }
}

// out[r] = sum_d xs . w_r for the four rows w + r * depth (modulo 2^32). Not inlined: the
// assembly loop needs every register.
__attribute__((noinline)) inline void DotFour(const int16_t* xs, const int8_t* w, int32_t depth,
                                              int32_t* out) {
  const int8_t* w0 = w;
  const int8_t* w1 = w0 + depth;
  const int8_t* w2 = w1 + depth;
  const int8_t* w3 = w2 + depth;
  int32_t acc[4] = {0, 0, 0, 0};
  if (depth >= 4) Dot4RowsBlocks(xs, w0, w1, w2, w3, depth >> 2, acc);
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

// One row: SMLAD over the groups, then the tail.
inline int32_t DotOne(const int16_t* xs, const int8_t* w, int32_t depth) {
  int32_t a = 0;
  const uint32_t* x2 = reinterpret_cast<const uint32_t*>(xs);
  for (int32_t n = depth >> 2; n > 0; --n, x2 += 2, w += 4) {
    const uint32_t v = Load32(w);
    a = Smlad(x2[0], Sxtb16(v), a);
    a = Smlad(x2[1], Sxtb16Ror8(v), a);
  }
  uint32_t t = static_cast<uint32_t>(a);
  const int16_t* tail = reinterpret_cast<const int16_t*>(x2);
  for (int32_t n = depth & 3; n > 0; --n) t += static_cast<uint32_t>(*tail++ * *w++);
  return static_cast<int32_t>(t);
}

// Per-channel requantization parameters of one operator (bias may be null). right_only: every
// shift is <= -1 (multipliers below one half, the usual case; see RightShiftsOnly).
struct ChannelQuant {
  const int32_t* bias;
  const int32_t* multipliers;
  const int8_t* shifts;
  int32_t zp, lo, hi;
  bool right_only;
};

// Whether shifts[0..n) are all <= -1.
inline bool RightShiftsOnly(const int8_t* shifts, int32_t n) {
  int32_t max = -1;
  for (int32_t i = 0; i < n; ++i) max = shifts[i] > max ? shifts[i] : max;
  return max < 0;
}

// y[i] = clamp(MultiplyByQuantizedMultiplier(d[i] + bias[c + i], multipliers[c + i],
// shifts[c + i]) + zp) for i < n. Shifts <= -1 take the short exact form; kRightOnly: all of
// them do (no test per value).
template <bool kRightOnly>
__attribute__((noinline)) void RequantizeChannelsT(const int32_t* d, int32_t n,
                                                   const ChannelQuant& q, int32_t c, int8_t* y) {
  const int32_t* bias = q.bias != nullptr ? q.bias + c : nullptr;
  const int32_t* multipliers = q.multipliers + c;
  const int8_t* shifts = q.shifts + c;
  const int32_t zp = q.zp, lo = q.lo, hi = q.hi;
  for (const int32_t* const end = d + n; d != end; ++d, ++y) {
    int32_t acc = *d;
    if (bias != nullptr) acc = fx::WrapAdd(acc, *bias++);
    const int32_t m = *multipliers++;
    const int shift = *shifts++;
    int32_t v;
    if (kRightOnly || shift < 0) {  // fx::MultiplyByQuantizedMultiplierRight, multiply in HighMul
      const int32_t h = HighMul(acc, m);
      v = (((h + (h >> 31)) >> (~shift)) + 1) >> 1;
    } else {
      v = HighMul(fx::WrapShl(acc, shift), m);  // shift in [0, 30]
    }
    v += zp;
    v = v < lo ? lo : v;
    v = v > hi ? hi : v;
    *y = static_cast<int8_t>(v);
  }
}

inline void RequantizeChannels(const int32_t* d, int32_t n, const ChannelQuant& q, int32_t c,
                               int8_t* y) {
  if (q.right_only) {
    RequantizeChannelsT<true>(d, n, q, c, y);
  } else {
    RequantizeChannelsT<false>(d, n, q, c, y);
  }
}

}  // namespace dsp
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_ARM_DSP_DOT_H_
