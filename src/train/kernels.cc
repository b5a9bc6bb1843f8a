#include "train/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>

// The hot loops are compiled for AVX-512, AVX2 and baseline x86-64 and picked at load time.
// Arithmetic is identical in every clone: the module is built with -ffp-contract=off (no fused
// multiply-add) and reductions have a fixed order.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__)
#define EMLKIT_KERNEL __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define EMLKIT_KERNEL
#endif

namespace emlkit::train::kernels {
namespace {

// Sixteen records at a time, as two 8-float vectors (one AVX register each, two SSE registers
// in the baseline clone). Tails shorter than 16 run the same per-lane arithmetic in scalar code.
constexpr int kLanes = 16;
typedef float V8 __attribute__((vector_size(32)));
struct V16 {
  V8 lo, hi;
};

inline V16 Load(const float* p) {
  V16 v;
  std::memcpy(&v.lo, p, sizeof v.lo);
  std::memcpy(&v.hi, p + 8, sizeof v.hi);
  return v;
}
inline void Store(float* p, const V16& v) {
  std::memcpy(p, &v.lo, sizeof v.lo);
  std::memcpy(p + 8, &v.hi, sizeof v.hi);
}
inline V16& operator+=(V16& a, const V16& b) {
  a.lo += b.lo;
  a.hi += b.hi;
  return a;
}
inline V16 operator*(const V16& a, const V16& b) { return {a.lo * b.lo, a.hi * b.hi}; }
inline V16 operator*(float s, const V16& a) { return {s * a.lo, s * a.hi}; }

typedef float V4 __attribute__((vector_size(16)));

// The 16 lane sums added in a fixed tree: halves, then quarters, ... (what a vector horizontal
// add does, whatever the register width).
inline float Reduce(const V16& v) {
  V8 s8 = v.lo + v.hi;
  V4 a, b;
  std::memcpy(&a, &s8, sizeof a);
  std::memcpy(&b, reinterpret_cast<const char*>(&s8) + sizeof a, sizeof b);
  V4 s4 = a + b;
  return (s4[0] + s4[2]) + (s4[1] + s4[3]);
}

// The last n % 16 records of a lane-wise sum (lane = record % 16), added in scalar code.
inline V16 Tail(V16 acc, const float* a, const float* b, int r, int n) {
  float lane[kLanes];
  Store(lane, acc);
  for (int k = 0; r < n; ++r, ++k) lane[k] += b ? a[r] * b[r] : a[r];
  return Load(lane);
}

// Sum over r < n of a[r] * b[r] (b null: of a[r]), in lane r % 16, then Reduce().
inline float LaneDot(const float* __restrict a, const float* __restrict b, int n) {
  V16 acc = {};
  int r = 0;
  for (; r + kLanes <= n; r += kLanes) acc += b ? Load(a + r) * Load(b + r) : Load(a + r);
  if (r < n) acc = Tail(acc, a, b, r, n);
  return Reduce(acc);
}

}  // namespace

EMLKIT_KERNEL
void MatMul(const float* __restrict w, int ldw, const float* __restrict bias,
            const float* __restrict x, int n, int in, int out, float* __restrict y) {
  for (int o = 0; o < out; ++o) {
    const float* wo = w + static_cast<ptrdiff_t>(o) * ldw;
    float* yo = y + static_cast<ptrdiff_t>(o) * n;
    int r = 0;
    for (; r + kLanes <= n; r += kLanes) {
      V16 acc;
      if (bias) {
        acc.lo = V8{} + bias[o];
        acc.hi = acc.lo;
      } else {
        acc = Load(yo + r);
      }
      for (int i = 0; i < in; ++i) acc += wo[i] * Load(x + static_cast<ptrdiff_t>(i) * n + r);
      Store(yo + r, acc);
    }
    for (; r < n; ++r) {
      float acc = bias ? bias[o] : yo[r];
      for (int i = 0; i < in; ++i) acc += wo[i] * x[static_cast<ptrdiff_t>(i) * n + r];
      yo[r] = acc;
    }
  }
}

EMLKIT_KERNEL
void OuterAccum(const float* __restrict dy, const float* __restrict x, int n, int in, int out,
                float* __restrict dw, int ldw) {
  const int full = n - n % kLanes;
  for (int o = 0; o < out; ++o) {
    const float* dyo = dy + static_cast<ptrdiff_t>(o) * n;
    float* dwo = dw + static_cast<ptrdiff_t>(o) * ldw;
    int i = 0;
    // Four inputs at a time share each load of dy.
    for (; i + 4 <= in; i += 4) {
      const float* x0 = x + static_cast<ptrdiff_t>(i) * n;
      V16 a0 = {}, a1 = {}, a2 = {}, a3 = {};
      for (int r = 0; r < full; r += kLanes) {
        const V16 d = Load(dyo + r);
        a0 += d * Load(x0 + r);
        a1 += d * Load(x0 + n + r);
        a2 += d * Load(x0 + 2 * n + r);
        a3 += d * Load(x0 + 3 * n + r);
      }
      if (full < n) {
        a0 = Tail(a0, dyo, x0, full, n);
        a1 = Tail(a1, dyo, x0 + n, full, n);
        a2 = Tail(a2, dyo, x0 + 2 * n, full, n);
        a3 = Tail(a3, dyo, x0 + 3 * n, full, n);
      }
      dwo[i] += Reduce(a0);
      dwo[i + 1] += Reduce(a1);
      dwo[i + 2] += Reduce(a2);
      dwo[i + 3] += Reduce(a3);
    }
    for (; i < in; ++i) dwo[i] += LaneDot(dyo, x + static_cast<ptrdiff_t>(i) * n, n);
  }
}

EMLKIT_KERNEL
void MatTMulAccum(const float* __restrict w, int ldw, const float* __restrict dy, int n, int in,
                  int out, float* __restrict dx) {
  for (int i = 0; i < in; ++i) {
    float* dxi = dx + static_cast<ptrdiff_t>(i) * n;
    int r = 0;
    for (; r + kLanes <= n; r += kLanes) {
      V16 acc = Load(dxi + r);
      for (int o = 0; o < out; ++o)
        acc +=
            w[static_cast<ptrdiff_t>(o) * ldw + i] * Load(dy + static_cast<ptrdiff_t>(o) * n + r);
      Store(dxi + r, acc);
    }
    for (; r < n; ++r) {
      float acc = dxi[r];
      for (int o = 0; o < out; ++o)
        acc += w[static_cast<ptrdiff_t>(o) * ldw + i] * dy[static_cast<ptrdiff_t>(o) * n + r];
      dxi[r] = acc;
    }
  }
}

EMLKIT_KERNEL
void RowSumsAccum(const float* dy, int n, int out, float* db) {
  for (int o = 0; o < out; ++o) db[o] += LaneDot(dy + static_cast<ptrdiff_t>(o) * n, nullptr, n);
}

EMLKIT_KERNEL
void ActivationForward(Act act, float* y, int n, int features, int group) {
  const ptrdiff_t total = static_cast<ptrdiff_t>(n) * features;
  switch (act) {
    case Act::kLinear:
    case Act::kCount:
      return;
    case Act::kRelu:
      for (ptrdiff_t i = 0; i < total; ++i) y[i] = y[i] > 0.0f ? y[i] : 0.0f;
      return;
    case Act::kRelu6:
      for (ptrdiff_t i = 0; i < total; ++i) y[i] = std::min(std::max(y[i], 0.0f), 6.0f);
      return;
    case Act::kTanh:
      for (ptrdiff_t i = 0; i < total; ++i) y[i] = std::tanh(y[i]);
      return;
    case Act::kSigmoid:
      for (ptrdiff_t i = 0; i < total; ++i) y[i] = 1.0f / (1.0f + std::exp(-y[i]));
      return;
    case Act::kSoftmax:
      for (int g = 0; g < features / group; ++g) {
        float* base = y + static_cast<ptrdiff_t>(g) * group * n;
        for (int r = 0; r < n; ++r) {
          float m = base[r];
          for (int j = 1; j < group; ++j) m = std::max(m, base[static_cast<ptrdiff_t>(j) * n + r]);
          float sum = 0.0f;
          for (int j = 0; j < group; ++j) {
            float& v = base[static_cast<ptrdiff_t>(j) * n + r];
            sum += (v = std::exp(v - m));
          }
          const float inv = 1.0f / sum;
          for (int j = 0; j < group; ++j) base[static_cast<ptrdiff_t>(j) * n + r] *= inv;
        }
      }
      return;
  }
}

EMLKIT_KERNEL
void ActivationBackward(Act act, const float* y, const float* dy, int n, int features, int group,
                        float* dz) {
  const ptrdiff_t total = static_cast<ptrdiff_t>(n) * features;
  switch (act) {
    case Act::kLinear:
    case Act::kCount:
      if (dz != dy) std::memcpy(dz, dy, sizeof(float) * static_cast<size_t>(total));
      return;
    case Act::kRelu:
      for (ptrdiff_t i = 0; i < total; ++i) dz[i] = y[i] > 0.0f ? dy[i] : 0.0f;
      return;
    case Act::kRelu6:
      for (ptrdiff_t i = 0; i < total; ++i) dz[i] = (y[i] > 0.0f && y[i] < 6.0f) ? dy[i] : 0.0f;
      return;
    case Act::kTanh:
      for (ptrdiff_t i = 0; i < total; ++i) dz[i] = dy[i] * (1.0f - y[i] * y[i]);
      return;
    case Act::kSigmoid:
      for (ptrdiff_t i = 0; i < total; ++i) dz[i] = dy[i] * y[i] * (1.0f - y[i]);
      return;
    case Act::kSoftmax:
      for (int g = 0; g < features / group; ++g) {
        const ptrdiff_t base = static_cast<ptrdiff_t>(g) * group * n;
        for (int r = 0; r < n; ++r) {
          float dot = 0.0f;
          for (int j = 0; j < group; ++j) {
            const ptrdiff_t e = base + static_cast<ptrdiff_t>(j) * n + r;
            dot += dy[e] * y[e];
          }
          for (int j = 0; j < group; ++j) {
            const ptrdiff_t e = base + static_cast<ptrdiff_t>(j) * n + r;
            dz[e] = y[e] * (dy[e] - dot);
          }
        }
      }
      return;
  }
}

void ToFeatureMajor(const float* x, int n, int f, float* out) {
  for (int r = 0; r < n; ++r)
    for (int j = 0; j < f; ++j)
      out[static_cast<ptrdiff_t>(j) * n + r] = x[static_cast<ptrdiff_t>(r) * f + j];
}

void ToRecordMajor(const float* x, int n, int f, float* out) {
  for (int r = 0; r < n; ++r)
    for (int j = 0; j < f; ++j)
      out[static_cast<ptrdiff_t>(r) * f + j] = x[static_cast<ptrdiff_t>(j) * n + r];
}

}  // namespace emlkit::train::kernels
