// Host (x86-64, SSE2) SVDF kernels: the portable algorithm (kernels/svdf_portable.h) with SIMD
// dot products. Bit-exact with kernels/reference/.
#include "kernels/svdf.h"
#include "kernels/host_x86/simd.h"
#include "kernels/svdf_portable.h"

namespace emlkit {
namespace rt {
namespace {

struct SimdDots {
  static void Feature(const int8_t* x, int32_t offset, const int8_t* w, int32_t depth, int32_t rows,
                      int32_t* out) {
    for (int32_t r = 0; r < rows; r += 4) {
      const int32_t last = rows - r < 4 ? rows - r - 1 : 3;
      const int8_t* w0 = w + r * depth;
      alignas(16) int32_t acc[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(acc),
                      x86::DotInt8x4(x, offset, w0, w0 + (last < 1 ? last : 1) * depth,
                                     w0 + (last < 2 ? last : 2) * depth,
                                     w0 + (last < 3 ? last : 3) * depth, depth));
      for (int32_t j = 0; j <= last; ++j) out[r + j] = acc[j];
    }
  }

  // int16 state with zero point 0 (TFLite's int16 SVDF): pmaddwd straight on the values.
  // Anything else takes the portable loop ((state - zero point) may not fit 16 bits).
  template <typename T>
  static void Time(const T* state, int32_t zero_point, const T* w, int32_t memory, int32_t filters,
                   int32_t* out) {
    if (sizeof(T) != 2 || zero_point != 0) {
      portable::SvdfDots::Time<T>(state, zero_point, w, memory, filters, out);
      return;
    }
    for (int32_t f = 0; f < filters; ++f) {
      const T* s = state + f * memory;
      const T* wf = w + f * memory;
      __m128i acc = _mm_setzero_si128();
      int32_t j = 0;
      for (; j + 8 <= memory; j += 8) {
        acc = _mm_add_epi32(acc, _mm_madd_epi16(x86::Load16(s + j), x86::Load16(wf + j)));
      }
      alignas(16) int32_t lanes[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(lanes), acc);
      uint32_t dot = static_cast<uint32_t>(lanes[0]) + static_cast<uint32_t>(lanes[1]) +
                     static_cast<uint32_t>(lanes[2]) + static_cast<uint32_t>(lanes[3]);
      for (; j < memory; ++j) dot += static_cast<uint32_t>(wf[j] * s[j]);
      out[f] = static_cast<int32_t>(dot);
    }
  }
};

}  // namespace

void EvalSvdfInt8Int16State(const EvalContext& ctx, const void* record) {
  portable::SvdfInteger<int16_t, SimdDots>(ctx, *static_cast<const SvdfRecord*>(record));
}

void EvalSvdfInt8Int8State(const EvalContext& ctx, const void* record) {
  portable::SvdfInteger<int8_t, SimdDots>(ctx, *static_cast<const SvdfRecord*>(record));
}

void EvalSvdfFloat(const EvalContext& ctx, const void* record) {
  portable::SvdfFloat(ctx, *static_cast<const SvdfRecord*>(record));
}

}  // namespace rt
}  // namespace emlkit
