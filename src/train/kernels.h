// The numeric kernels of training: row-times-matrix products for dense and 1-D convolution
// layers, and activation functions with their derivatives. Plain functions over raw pointers;
// they never allocate. Matrices are row-major; a layer's weights are kept as wt[in][out] (the
// transpose of TFLite's [out][in]) so the innermost loops run over the contiguous output axis.
//
// Every reduction uses a fixed association order, independent of the vector width the compiler
// picks, so a build gives the same bits whichever instruction set it runs on.
#ifndef EMLKIT_TRAIN_KERNELS_H_
#define EMLKIT_TRAIN_KERNELS_H_

#include "train/layer_spec.h"

namespace emlkit::train::kernels {

// y[o] += sum_i x[i] * wt[i][o]          x [in], wt [in][out], y [out]
void AccumRowTimesMatrix(const float* x, const float* wt, int in, int out, float* y);
// dwt[i][o] += x[i] * dy[o]              (outer product)
void AccumOuter(const float* x, const float* dy, int in, int out, float* dwt);
// dx[i] += sum_o dy[o] * wt[i][o]        (row times transposed matrix)
void AccumRowTimesMatrixT(const float* dy, const float* wt, int in, int out, float* dx);

// Dense layer on a batch: y[n][o] = b[o] + sum_i x[n][i] * wt[i][o].
void DenseForward(const float* x, const float* wt, const float* b, int n, int in, int out,
                  float* y);
// Gradients of a dense layer: dwt = x^T dy, db = column sums of dy (both overwritten).
void DenseBackwardParams(const float* x, const float* dy, int n, int in, int out, float* dwt,
                         float* db);
// dx = dy wt^T (overwritten).
void DenseBackwardInput(const float* dy, const float* wt, int n, int in, int out, float* dx);

// Applies `act` in place to `rows` rows of `width` values (softmax is per row).
void ActivationForward(Act act, float* y, int rows, int width);
// dz = dy * act'(z), written from the activation's output y (which is all any of them needs).
void ActivationBackward(Act act, const float* y, const float* dy, int rows, int width, float* dz);

}  // namespace emlkit::train::kernels

#endif  // EMLKIT_TRAIN_KERNELS_H_
