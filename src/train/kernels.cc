#include "train/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace emlkit::train::kernels {

void AccumRowTimesMatrix(const float* x, const float* wt, int in, int out, float* y) {
  for (int i = 0; i < in; ++i) {
    const float xi = x[i];
    const float* w = wt + static_cast<ptrdiff_t>(i) * out;
    for (int o = 0; o < out; ++o) y[o] += xi * w[o];
  }
}

void AccumOuter(const float* x, const float* dy, int in, int out, float* dwt) {
  for (int i = 0; i < in; ++i) {
    const float xi = x[i];
    float* d = dwt + static_cast<ptrdiff_t>(i) * out;
    for (int o = 0; o < out; ++o) d[o] += xi * dy[o];
  }
}

void AccumRowTimesMatrixT(const float* dy, const float* wt, int in, int out, float* dx) {
  for (int i = 0; i < in; ++i) {
    const float* w = wt + static_cast<ptrdiff_t>(i) * out;
    // Eight independent partial sums (one vector register's worth), added in a fixed tree.
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int o = 0;
    for (; o + 8 <= out; o += 8)
      for (int k = 0; k < 8; ++k) acc[k] += dy[o + k] * w[o + k];
    float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; o < out; ++o) s += dy[o] * w[o];
    dx[i] += s;
  }
}

void DenseForward(const float* x, const float* wt, const float* b, int n, int in, int out,
                  float* y) {
  for (int r = 0; r < n; ++r) {
    float* yr = y + static_cast<ptrdiff_t>(r) * out;
    std::memcpy(yr, b, sizeof(float) * static_cast<size_t>(out));
    AccumRowTimesMatrix(x + static_cast<ptrdiff_t>(r) * in, wt, in, out, yr);
  }
}

void DenseBackwardParams(const float* x, const float* dy, int n, int in, int out, float* dwt,
                         float* db) {
  std::memset(dwt, 0, sizeof(float) * static_cast<size_t>(in) * static_cast<size_t>(out));
  std::memset(db, 0, sizeof(float) * static_cast<size_t>(out));
  for (int r = 0; r < n; ++r) {
    const float* dyr = dy + static_cast<ptrdiff_t>(r) * out;
    AccumOuter(x + static_cast<ptrdiff_t>(r) * in, dyr, in, out, dwt);
    for (int o = 0; o < out; ++o) db[o] += dyr[o];
  }
}

void DenseBackwardInput(const float* dy, const float* wt, int n, int in, int out, float* dx) {
  std::memset(dx, 0, sizeof(float) * static_cast<size_t>(n) * static_cast<size_t>(in));
  for (int r = 0; r < n; ++r)
    AccumRowTimesMatrixT(dy + static_cast<ptrdiff_t>(r) * out, wt, in, out,
                         dx + static_cast<ptrdiff_t>(r) * in);
}

void ActivationForward(Act act, float* y, int rows, int width) {
  const ptrdiff_t total = static_cast<ptrdiff_t>(rows) * width;
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
      for (int r = 0; r < rows; ++r) {
        float* v = y + static_cast<ptrdiff_t>(r) * width;
        float m = *std::max_element(v, v + width);
        float sum = 0.0f;
        for (int j = 0; j < width; ++j) sum += (v[j] = std::exp(v[j] - m));
        const float inv = 1.0f / sum;
        for (int j = 0; j < width; ++j) v[j] *= inv;
      }
      return;
  }
}

void ActivationBackward(Act act, const float* y, const float* dy, int rows, int width, float* dz) {
  const ptrdiff_t total = static_cast<ptrdiff_t>(rows) * width;
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
      for (int r = 0; r < rows; ++r) {
        const ptrdiff_t off = static_cast<ptrdiff_t>(r) * width;
        float dot = 0.0f;
        for (int j = 0; j < width; ++j) dot += dy[off + j] * y[off + j];
        for (int j = 0; j < width; ++j) dz[off + j] = y[off + j] * (dy[off + j] - dot);
      }
      return;
  }
}

}  // namespace emlkit::train::kernels
