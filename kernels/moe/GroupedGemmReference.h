//===- GroupedGemmReference.h - grouped_gemm_i8 the obvious way -*- C++ -*-===//
//
// The exact numerics of GroupedGemmSpec.h (KERNELS.md section 5), in plain
// C++ for tile-run, the property tests and the GPU tests: int32 group dots
// in 64-bit integers, one f32 multiply for the scale, std::fma into the f32
// accumulator, then one rounding to the output type. Nothing here is a * b
// + c written out, so no compiler contraction can change it.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_MOE_GROUPEDGEMMREFERENCE_H
#define TILE_KERNELS_MOE_GROUPEDGEMMREFERENCE_H

#include "GroupedGemmSpec.h"
#include "tile/Support/Numerics.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace tile::kernels {

/// The weight b[e, n, k]: an int8, or the nibble of an int4 pair (low
/// nibble = even n, high = odd n, two's complement).
inline int groupedGemmWeight(const GroupedGemmSpec &spec, const int8_t *b,
                             int64_t e, int64_t n, int64_t k, int64_t N,
                             int64_t K) {
  if (spec.weights == GroupedGemmWeights::I8)
    return b[(e * N + n) * K + k];
  uint8_t pair = uint8_t(b[(e * (N / 2) + n / 2) * K + k]);
  int nibble = n % 2 == 0 ? pair & 15 : pair >> 4;
  return nibble >= 8 ? nibble - 16 : nibble;
}

/// The exact dot of a[m, k0 : k0 + len] and b[e, n, same], as int32 wraps
/// it (it never does for len <= 2^17).
inline int32_t groupedGemmGroupDot(const GroupedGemmSpec &spec,
                                   const int8_t *a, const int8_t *b,
                                   int64_t m, int64_t e, int64_t n,
                                   int64_t k0, int64_t len, int64_t N,
                                   int64_t K, int64_t lda) {
  int64_t sum = 0;
  const int8_t *x = a + m * lda + k0;
  for (int64_t k = 0; k < len; ++k)
    sum += int64_t(x[k]) * groupedGemmWeight(spec, b, e, n, k0 + k, N, K);
  return int32_t(uint32_t(uint64_t(sum)));
}

/// out[m, n] before the final rounding: the f32 accumulator of the spec.
inline float groupedGemmAccumulator(const GroupedGemmSpec &spec,
                                    const int8_t *a, const int8_t *b,
                                    const float *sa, const float *sb,
                                    int64_t m, int64_t e, int64_t n,
                                    int64_t N, int64_t K, int64_t lda) {
  const int64_t G = K / spec.group;
  float acc = 0.0f;
  for (int64_t g = 0; g < G; ++g) {
    int32_t I = groupedGemmGroupDot(spec, a, b, m, e, n, g * spec.group,
                                    spec.group, N, K, lda);
    float aScale = spec.actScales == ActScales::Token ? sa[m] : sa[m * G + g];
    float s = aScale * sb[(e * N + n) * G + g];
    acc = std::fma(float(I), s, acc);
  }
  return acc;
}

/// Writes `v` rounded to nearest even to the output type at element i of
/// `out`.
inline void groupedGemmStore(const GroupedGemmSpec &spec, void *out,
                             int64_t i, float v) {
  char *base = static_cast<char *>(out);
  switch (spec.out) {
  case GroupedGemmOut::F32:
    std::memcpy(base + i * 4, &v, 4);
    return;
  case GroupedGemmOut::BF16: {
    uint16_t h = numerics::floatToBf16(v);
    std::memcpy(base + i * 2, &h, 2);
    return;
  }
  case GroupedGemmOut::F16: {
    uint16_t h = numerics::floatToF16(v);
    std::memcpy(base + i * 2, &h, 2);
    return;
  }
  }
}

/// Element i of an out buffer as a float (for messages and tolerances).
inline float groupedGemmLoad(const GroupedGemmSpec &spec, const void *out,
                             int64_t i) {
  const char *base = static_cast<const char *>(out);
  uint16_t h;
  float v;
  switch (spec.out) {
  case GroupedGemmOut::F32:
    std::memcpy(&v, base + i * 4, 4);
    return v;
  case GroupedGemmOut::BF16:
    std::memcpy(&h, base + i * 2, 2);
    return numerics::bf16ToFloat(h);
  case GroupedGemmOut::F16:
    std::memcpy(&h, base + i * 2, 2);
    return numerics::f16ToFloat(h);
  }
  return 0;
}

/// Writes out[m, 0:N] (row stride ldo, elements of the spec's out type) for
/// every row m of every expert: group_offsets [E + 1] sorted, within [0, M].
/// Other rows and the columns past N are left as they are.
inline void groupedGemmReference(const GroupedGemmSpec &spec, const int8_t *a,
                                 const int32_t *groupOffsets, int64_t E,
                                 const int8_t *b, const float *sa,
                                 const float *sb, void *out, int64_t M,
                                 int64_t N, int64_t K, int64_t lda,
                                 int64_t ldo) {
  (void)M;
  for (int64_t e = 0; e < E; ++e)
    for (int64_t m = groupOffsets[e]; m < groupOffsets[e + 1]; ++m)
      for (int64_t n = 0; n < N; ++n)
        groupedGemmStore(spec, out, m * ldo + n,
                         groupedGemmAccumulator(spec, a, b, sa, sb, m, e, n,
                                                N, K, lda));
}

} // namespace tile::kernels

#endif // TILE_KERNELS_MOE_GROUPEDGEMMREFERENCE_H
