//===- References.h - Plain C++ references of the example kernels -*- C++ -*-===//
//
// What each example kernel computes, written the obvious way, for the GPU
// tests (and the benchmark's sanity check).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_EXAMPLES_REFERENCES_H
#define TILE_KERNELS_EXAMPLES_REFERENCES_H

#include "tile/Support/Numerics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace tile::kernels::examples {

/// out[i] = x[i] + y[i].
inline void vectorAdd(const float *x, const float *y, float *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = x[i] + y[i];
}

/// The eps of the row quantization: absmax is at least this.
constexpr float kRowQuantEps = 1e-10f;

/// Row-wise absmax fp8 quantization (kernels/examples/row_quant.mlir): for
/// each row m of x (bf16 bits, row stride strideX), scale[m] = max(absmax,
/// eps) / 448 and q = e4m3(x * (1 / scale)), round to nearest even,
/// saturating.
inline void rowQuant(const uint16_t *x, uint8_t *q, float *scale, int M, int K,
                     int strideX, int strideQ) {
  for (int m = 0; m < M; ++m) {
    float absmax = 0.0f;
    for (int k = 0; k < K; ++k)
      absmax = std::max(absmax,
                        std::fabs(numerics::bf16ToFloat(x[size_t(m) * strideX + k])));
    absmax = std::max(absmax, kRowQuantEps);
    float s = absmax / 448.0f;
    float inv = 1.0f / s;
    scale[m] = s;
    for (int k = 0; k < K; ++k) {
      float v = numerics::bf16ToFloat(x[size_t(m) * strideX + k]) * inv;
      q[size_t(m) * strideQ + k] = numerics::floatToE4M3(v, /*saturate=*/true);
    }
  }
}

/// Row-wise softmax of x [M, N] (row stride `stride`), in double.
inline void softmax(const float *x, double *y, int M, int N, int stride) {
  for (int m = 0; m < M; ++m) {
    const float *row = x + size_t(m) * stride;
    double max = row[0];
    for (int n = 1; n < N; ++n)
      max = std::max(max, double(row[n]));
    double sum = 0;
    for (int n = 0; n < N; ++n)
      sum += std::exp(double(row[n]) - max);
    for (int n = 0; n < N; ++n)
      y[size_t(m) * N + n] = std::exp(double(row[n]) - max) / sum;
  }
}

/// any[m] = 1 if x[m, n] > t for some n < N, all[m] = 1 if for every n < N
/// (an empty row: any 0, all 1); 0 otherwise. x is M rows of stride
/// `stride`; the columns past N are not looked at.
inline void anyAll(const int32_t *x, uint8_t *any, uint8_t *all, int M, int N,
                   int stride, int32_t t) {
  for (int m = 0; m < M; ++m) {
    const int32_t *row = x + size_t(m) * stride;
    bool some = false, every = true;
    for (int n = 0; n < N; ++n) {
      some = some || row[n] > t;
      every = every && row[n] > t;
    }
    any[m] = some;
    all[m] = every;
  }
}

} // namespace tile::kernels::examples

#endif // TILE_KERNELS_EXAMPLES_REFERENCES_H
