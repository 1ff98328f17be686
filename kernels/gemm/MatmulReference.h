//===- MatmulReference.h - matmul computed the obvious way ------*- C++ -*-===//
//
// The exact products of MatmulSpec.h for the GPU tests: float operands summed
// in double, int8 in 64-bit integers wrapped to int32 at the end (what int32
// arithmetic gives in any order). Plain C++.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_GEMM_MATMULREFERENCE_H
#define TILE_KERNELS_GEMM_MATMULREFERENCE_H

#include "MatmulSpec.h"
#include "tile/Support/Numerics.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tile::kernels {

/// The `T` at element `i` of a byte buffer (memcpy: the buffers are bytes).
template <typename T> T elementAt(const void *data, size_t i) {
  T v;
  std::memcpy(&v, static_cast<const char *>(data) + i * sizeof(T), sizeof(T));
  return v;
}

/// Element `i` of an operand buffer of `spec`'s type, as a double.
inline double matmulOperand(const MatmulSpec &spec, const void *data,
                            size_t i) {
  switch (spec.operands) {
  case MatmulOperands::F16:
    return numerics::f16ToFloat(elementAt<uint16_t>(data, i));
  case MatmulOperands::BF16:
    return numerics::bf16ToFloat(elementAt<uint16_t>(data, i));
  case MatmulOperands::I8:
    return elementAt<int8_t>(data, i);
  }
  return 0;
}

/// Element `i` of a c buffer of `spec`'s accumulator type, as a double.
inline double matmulResult(const MatmulSpec &spec, const void *data,
                           size_t i) {
  switch (spec.acc) {
  case MatmulAcc::I32:
    return elementAt<int32_t>(data, i);
  case MatmulAcc::F16:
    return numerics::f16ToFloat(elementAt<uint16_t>(data, i));
  case MatmulAcc::F32:
    return elementAt<float>(data, i);
  }
  return 0;
}

/// c (M x N, row stride N) = a * b (b as spec.bLayout says), exactly: doubles for float operands, the
/// int32-wrapped integer sum for int8 (returned as a double holding the
/// int32).
inline void matmulReference(const MatmulSpec &spec, const void *a,
                            const void *b, double *c, int M, int N, int K,
                            int lda, int ldb) {
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      if (spec.operands == MatmulOperands::I8) {
        int64_t sum = 0;
        for (int k = 0; k < K; ++k)
          sum += int64_t(elementAt<int8_t>(a, size_t(m) * lda + k)) *
                 elementAt<int8_t>(b, matmulBIndex(spec, k, n, ldb));
        c[size_t(m) * N + n] = double(int32_t(uint32_t(uint64_t(sum))));
        continue;
      }
      double sum = 0;
      for (int k = 0; k < K; ++k)
        sum += matmulOperand(spec, a, size_t(m) * lda + k) *
               matmulOperand(spec, b, matmulBIndex(spec, k, n, ldb));
      c[size_t(m) * N + n] = sum;
    }
}

} // namespace tile::kernels

#endif // TILE_KERNELS_GEMM_MATMULREFERENCE_H
