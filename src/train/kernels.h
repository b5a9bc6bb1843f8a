// The numeric kernels of training. Plain functions over raw pointers; they never allocate.
//
// Batches are feature-major: n records of F features are stored as [F][n] (feature f of record r
// at x[f * n + r]), so every inner loop runs over the batch, whatever the layer widths (a 5-input
// or 2-output layer vectorizes as well as a wide one). Weights are [out][in] with a leading
// dimension ldw (element (o, i) at w[o * ldw + i]), TFLite's layout for FULLY_CONNECTED and
// CONV_2D, so a convolution's taps are a column block of its weight matrix.
//
// Reductions over the batch use sixteen lane sums added in a fixed tree, independent of the
// vector width the clone picked at load time (AVX-512, AVX2 or SSE2) runs.
#ifndef EMLKIT_TRAIN_KERNELS_H_
#define EMLKIT_TRAIN_KERNELS_H_

#include "train/layer_spec.h"

namespace emlkit::train::kernels {

// y[o][:] = bias[o] + sum_i w[o, i] * x[i][:]       x [in][n], y [out][n]
// With bias null: y[o][:] += sum_i w[o, i] * x[i][:].
void MatMul(const float* w, int ldw, const float* bias, const float* x, int n, int in, int out,
            float* y);
// dw[o, i] += sum_r dy[o][r] * x[i][r]              (dw has leading dimension ldw)
void OuterAccum(const float* dy, const float* x, int n, int in, int out, float* dw, int ldw);
// dx[i][:] += sum_o w[o, i] * dy[o][:]
void MatTMulAccum(const float* w, int ldw, const float* dy, int n, int in, int out, float* dx);
// db[o] += sum_r dy[o][r]
void RowSumsAccum(const float* dy, int n, int out, float* db);

// Applies `act` in place to a batch of `features` x n values. Softmax normalizes each record over
// groups of `group` consecutive features (group = features for a dense layer, the channel count
// for a window).
void ActivationForward(Act act, float* y, int n, int features, int group);
// dz = dy * act'(z), computed from the activation's output y (all any of them needs).
void ActivationBackward(Act act, const float* y, const float* dy, int n, int features, int group,
                        float* dz);

// Record-major [n][f] <-> feature-major [f][n].
void ToFeatureMajor(const float* x, int n, int f, float* out);
void ToRecordMajor(const float* x, int n, int f, float* out);

}  // namespace emlkit::train::kernels

#endif  // EMLKIT_TRAIN_KERNELS_H_
