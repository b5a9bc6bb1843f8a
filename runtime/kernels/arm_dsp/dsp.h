// The few Armv7E-M DSP instructions the arm_dsp kernels use, as inline functions. On a core with
// the DSP extension (Cortex-M4/M7/M33..., __ARM_FEATURE_DSP) they are single instructions (ACLE
// intrinsics or inline assembly); elsewhere (the host tests) plain C with exactly the same
// results, so the same kernels run bit-exact everywhere. Only this header knows the difference.
//
//   Sxtb16(v)         {int16(byte 0 of v), int16(byte 2)}                    SXTB16
//   Sxtb16Ror8(v)     {int16(byte 1), int16(byte 3)}                         SXTB16 ..., ROR #8
//   Sxtab16(a, v)     {a.lo + int16(byte 0), a.hi + int16(byte 2)} (16-bit wrap)   SXTAB16
//   Sxtab16Ror8(a, v) {a.lo + int16(byte 1), a.hi + int16(byte 3)}           SXTAB16 ..., ROR #8
//   Smlad(a, b, c)    c + a.lo * b.lo + a.hi * b.hi (signed 16-bit halves; wraps modulo 2^32)
//   Smlabb(a, b, c)   c + a.lo * b.lo;  Smlatt(a, b, c)  c + a.hi * b.hi      SMLABB, SMLATT
//   HighMul(x, m)     round(x * m / 2^31), ties up (SMULL + rounding, no constant registers)
//   Smmulr(a, b)      round(a * b / 2^32), ties up                           SMMULR
//   Ssat8(v)          v clamped to [-128, 127]                               SSAT #8
//   Load32(p)         4 bytes from any address (Armv7-M LDR allows unaligned addresses)
//   Dot4RowsBlocks    four int8-by-int16 dot products over groups of 4 (an assembly loop)
//   Dot4RowsInt8Blocks  the same with int8 inputs; Dot2RowsInt8Blocks for two rows
#ifndef EMLKIT_RUNTIME_KERNELS_ARM_DSP_DSP_H_
#define EMLKIT_RUNTIME_KERNELS_ARM_DSP_DSP_H_

#include <stdint.h>
#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>
#define EMLKIT_ARM_DSP_NATIVE 1
#endif

namespace emlkit {
namespace rt {
namespace dsp {

inline uint32_t Load32(const void* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

#ifdef EMLKIT_ARM_DSP_NATIVE

inline uint32_t Sxtb16(uint32_t v) {
  return static_cast<uint32_t>(__sxtb16(static_cast<int8x4_t>(v)));
}
inline uint32_t Sxtb16Ror8(uint32_t v) {
  uint32_t r;
  __asm("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
}
inline uint32_t Sxtab16(uint32_t a, uint32_t v) {
  return static_cast<uint32_t>(__sxtab16(static_cast<int16x2_t>(a), static_cast<int8x4_t>(v)));
}
inline uint32_t Sxtab16Ror8(uint32_t a, uint32_t v) {
  uint32_t r;
  __asm("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(v));
  return r;
}
inline int32_t Smlad(uint32_t a, uint32_t b, int32_t c) {
  return __smlad(static_cast<int16x2_t>(a), static_cast<int16x2_t>(b), c);
}
inline int32_t Ssat8(int32_t v) { return __ssat(v, 8); }
inline int32_t Smmulr(int32_t a, int32_t b) {
  int32_t r;
  __asm("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
inline int32_t Smlabb(uint32_t a, uint32_t b, int32_t c) {
  return __smlabb(static_cast<int32_t>(a), static_cast<int32_t>(b), c);
}
inline int32_t Smlatt(uint32_t a, uint32_t b, int32_t c) {
  return __smlatt(static_cast<int32_t>(a), static_cast<int32_t>(b), c);
}

// One row of a 4-row assembly loop below: the row's next 4 weights (register w, post-incremented),
// unpacked by SXTB16, multiplied with the inputs' lanes xe and xo into the accumulator a.
// clang-format off
#define EMLKIT_DSP_ROW(w, a)                           \
  "ldr %[v], [%[" w "]], #4\n"                         \
  "sxtb16 %[t], %[v]\n"                                \
  "sxtb16 %[v], %[v], ror #8\n"                        \
  "smlad %[" a "], %[xe], %[t], %[" a "]\n"            \
  "smlad %[" a "], %[xo], %[v], %[" a "]\n"

// The 4-row loop: LOAD_INPUTS puts the next 4 inputs' lanes in xe ({x0, x2}) and xo ({x1, x3}).
#define EMLKIT_DSP_4ROWS(LOAD_INPUTS)                                                           \
  __asm volatile(                                                                               \
      "1:\n" LOAD_INPUTS                                                                        \
      EMLKIT_DSP_ROW("w0", "a0") EMLKIT_DSP_ROW("w1", "a1")                                      \
      EMLKIT_DSP_ROW("w2", "a2") EMLKIT_DSP_ROW("w3", "a3")                                      \
      "subs %[n], %[n], #1\n"                                                                   \
      "bne 1b\n"                                                                                \
      : [x] "+r"(x), [w0] "+r"(w0), [w1] "+r"(w1), [w2] "+r"(w2), [w3] "+r"(w3), [n] "+r"(n),  \
        [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [xe] "=&r"(xe),            \
        [xo] "=&r"(xo), [v] "=&r"(v), [t] "=&r"(t)                                              \
      :                                                                                         \
      : "cc", "memory")
// clang-format on

// acc[r] += sum over n >= 1 groups g of x[4g] * w_r[4g] + ... + x[4g+3] * w_r[4g+3] (modulo
// 2^32), advancing x by 4n and each w_r by 4n. T = int16_t: x holds each group of 4 inputs as
// {x0, x2, x1, x3} (Sxtab16 then Sxtab16Ror8), matching SXTB16's lanes of the weights, 4-byte
// aligned; one LDRD per group. T = int8_t: the inputs as they are (no offset, no int16 copy), any
// alignment; one load and 2 SXTB16 per group. Then per row one load, 2 SXTB16 and 2 SMLAD.
template <typename T>
inline void Dot4RowsLoop(const T*& x, const int8_t*& w0, const int8_t*& w1, const int8_t*& w2,
                         const int8_t*& w3, int32_t n, int32_t acc[4]) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  uint32_t xe, xo, v, t;
  if (sizeof(T) == 2) {
    EMLKIT_DSP_4ROWS("ldrd %[xe], %[xo], [%[x]], #8\n");
  } else {
    EMLKIT_DSP_4ROWS(
        "ldr %[xo], [%[x]], #4\n"
        "sxtb16 %[xe], %[xo]\n"
        "sxtb16 %[xo], %[xo], ror #8\n");
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

// Dot4RowsLoop<int8_t> for two rows.
inline void Dot2RowsInt8Blocks(const int8_t*& x, const int8_t*& w0, const int8_t*& w1, int32_t n,
                               int32_t acc[2]) {
  int32_t a0 = acc[0], a1 = acc[1];
  uint32_t xe, xo, v, t;
  __asm volatile(
      "1:\n"
      "ldr %[xo], [%[x]], #4\n"
      "sxtb16 %[xe], %[xo]\n"
      "sxtb16 %[xo], %[xo], ror #8\n"
      EMLKIT_DSP_ROW("w0", "a0")
      EMLKIT_DSP_ROW("w1", "a1")
      "subs %[n], %[n], #1\n"
      "bne 1b\n"
      : [x] "+r"(x), [w0] "+r"(w0), [w1] "+r"(w1), [n] "+r"(n), [a0] "+r"(a0), [a1] "+r"(a1),
        [xe] "=&r"(xe), [xo] "=&r"(xo), [v] "=&r"(v), [t] "=&r"(t)
      :
      : "cc", "memory");
  acc[0] = a0;
  acc[1] = a1;
}

// round(x * m / 2^31), ties up (fx::HighMulNonNegative): SMULL, then + 2^30 and the shift, with no
// registers held for the rounding constant.
inline __attribute__((always_inline)) int32_t HighMul(int32_t x, int32_t m) {
  uint32_t lo, hi;
  __asm(
      "smull %[lo], %[hi], %[x], %[m]\n"
      "adds %[lo], %[lo], #0x40000000\n"
      "adc %[hi], %[hi], #0\n"
      "lsr %[lo], %[lo], #31\n"
      "orr %[lo], %[lo], %[hi], lsl #1\n"
      : [lo] "=&r"(lo), [hi] "=&r"(hi)
      : [x] "r"(x), [m] "r"(m)
      : "cc");
  return static_cast<int32_t>(lo);
}

#else

inline uint32_t Sxtb16(uint32_t v) {
  const uint32_t lo = static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(v))) & 0xFFFFu;
  const uint32_t hi = static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(v >> 16)));
  return lo | (hi << 16);
}
inline uint32_t Sxtb16Ror8(uint32_t v) { return Sxtb16((v >> 8) | (v << 24)); }
inline uint32_t Sxtab16(uint32_t a, uint32_t v) {
  const uint32_t e = Sxtb16(v);
  return ((a + e) & 0xFFFFu) | (((a >> 16) + (e >> 16)) << 16);
}
inline uint32_t Sxtab16Ror8(uint32_t a, uint32_t v) { return Sxtab16(a, (v >> 8) | (v << 24)); }
inline int32_t Smlabb(uint32_t a, uint32_t b, int32_t c) {
  return static_cast<int32_t>(
      static_cast<uint32_t>(c) +
      static_cast<uint32_t>(static_cast<int16_t>(a) * static_cast<int16_t>(b)));
}
inline int32_t Smlatt(uint32_t a, uint32_t b, int32_t c) {
  return static_cast<int32_t>(
      static_cast<uint32_t>(c) +
      static_cast<uint32_t>(static_cast<int16_t>(a >> 16) * static_cast<int16_t>(b >> 16)));
}
inline int32_t Smlad(uint32_t a, uint32_t b, int32_t c) {
  const int32_t p0 = static_cast<int16_t>(a) * static_cast<int16_t>(b);
  const int32_t p1 = static_cast<int16_t>(a >> 16) * static_cast<int16_t>(b >> 16);
  return static_cast<int32_t>(static_cast<uint32_t>(c) + static_cast<uint32_t>(p0) +
                              static_cast<uint32_t>(p1));
}

template <typename T>
inline void Dot4RowsLoop(const T*& x, const int8_t*& w0, const int8_t*& w1, const int8_t*& w2,
                         const int8_t*& w3, int32_t n, int32_t acc[4]) {
  const int8_t** rows[4] = {&w0, &w1, &w2, &w3};
  for (; n > 0; --n, x += 4) {
    uint32_t xe, xo;
    if (sizeof(T) == 2) {
      xe = static_cast<uint16_t>(x[0]) | static_cast<uint32_t>(x[1]) << 16;
      xo = static_cast<uint16_t>(x[2]) | static_cast<uint32_t>(x[3]) << 16;
    } else {
      xe = Sxtb16(Load32(x));
      xo = Sxtb16Ror8(Load32(x));
    }
    for (int r = 0; r < 4; ++r) {
      const uint32_t v = Load32(*rows[r]);
      *rows[r] += 4;
      acc[r] = Smlad(xo, Sxtb16Ror8(v), Smlad(xe, Sxtb16(v), acc[r]));
    }
  }
}

inline void Dot2RowsInt8Blocks(const int8_t*& x, const int8_t*& w0, const int8_t*& w1, int32_t n,
                               int32_t acc[2]) {
  const int8_t* w2 = w0;  // summed and dropped
  const int8_t* w3 = w1;
  int32_t four[4] = {acc[0], acc[1], 0, 0};
  Dot4RowsLoop(x, w0, w1, w2, w3, n, four);
  acc[0] = four[0];
  acc[1] = four[1];
}

inline int32_t HighMul(int32_t x, int32_t m) {
  return static_cast<int32_t>((static_cast<int64_t>(x) * m + (int64_t{1} << 30)) >> 31);
}
inline int32_t Ssat8(int32_t v) { return v < -128 ? -128 : (v > 127 ? 127 : v); }
inline int32_t Smmulr(int32_t a, int32_t b) {
  return static_cast<int32_t>((static_cast<int64_t>(a) * b + (int64_t{1} << 31)) >> 32);
}

#endif

inline void Dot4RowsBlocks(const int16_t*& xs, const int8_t*& w0, const int8_t*& w1,
                           const int8_t*& w2, const int8_t*& w3, int32_t n, int32_t acc[4]) {
  Dot4RowsLoop(xs, w0, w1, w2, w3, n, acc);
}
inline void Dot4RowsInt8Blocks(const int8_t*& x, const int8_t*& w0, const int8_t*& w1,
                               const int8_t*& w2, const int8_t*& w3, int32_t n, int32_t acc[4]) {
  Dot4RowsLoop(x, w0, w1, w2, w3, n, acc);
}

}  // namespace dsp
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_ARM_DSP_DSP_H_
