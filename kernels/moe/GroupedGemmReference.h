//===- GroupedGemmReference.h - grouped_gemm_i8 the obvious way -*- C++ -*-===//
//
// The exact numerics of GroupedGemmSpec.h (KERNELS.md section 5), in plain
// C++ for tile-run, the property tests and the GPU tests: int32 group dots
// in 64-bit integers, one f32 multiply for the scale, std::fma into the f32
// accumulator, then one rounding to the output type. Nothing here is a * b
// + c written out, so no compiler contraction can change it. With swiglu,
// out[m, j] = silu(g) * u from the accumulators of b's rows j and N/2 + j,
// silu(g) = g / (1 + exp(-g)) in f32 with std::exp (silu_mul_quant's
// siluReference, copied: this header stays free of the quant library), and
// the GPU's output is accepted within groupedGemmSwigluAccepts's bound.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_MOE_GROUPEDGEMMREFERENCE_H
#define TILE_KERNELS_MOE_GROUPEDGEMMREFERENCE_H

#include "GroupedGemmSpec.h"
#include "tile/Support/Numerics.h"

#include <algorithm>
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

/// silu(g) = g / (1 + exp(-g)) in f32, as the DSL's silu computes it (and
/// silu_mul_quant's siluReference): std::exp(float), then an IEEE division.
/// The interpreter uses the same std::exp, so it agrees bit for bit.
inline float groupedGemmSilu(float g) { return g / (1.0f + std::exp(-g)); }

/// The SwiGLU epilogue's f32 value before the rounding to the out type.
inline float groupedGemmSwiglu(float g, float u) {
  return groupedGemmSilu(g) * u;
}

/// `v` rounded to nearest even to the spec's out type, as a float.
inline float groupedGemmRound(const GroupedGemmSpec &spec, float v) {
  switch (spec.out) {
  case GroupedGemmOut::F32:
    return v;
  case GroupedGemmOut::BF16:
    return numerics::bf16ToFloat(numerics::floatToBf16(v));
  case GroupedGemmOut::F16:
    return numerics::f16ToFloat(numerics::floatToF16(v));
  }
  return v;
}

/// The GPU's SwiGLU is not the host's: exp is ex2.approx.f32 of
/// fl(-g * fl(log2 e)) (the argument's rounding alone moves exp by up to
/// |g| * 2^-23 relative; ex2.approx adds 2 ulp) and silu's division may be
/// div.approx (2 ulp; 0 once 1 + exp(-g) passes 2^126, i.e. g < -87.3, where
/// silu(g) is below 2^-118 anyway). silu's relative error is at most exp's
/// (d silu / silu = -e / (1 + e) * de / e), so the GPU's f32 y = silu(g) * u
/// is within
///   (min(|g|, 104) + 16) * 2^-23 * |y|  +  2^-100 * (|u| + 1)
/// of the reference's (16 * 2^-23 = 2^-19: 8 ulp for the ex2, the
/// division, the sum and the product; beyond |g| = 104 exp over- or
/// underflows on both sides to the same silu, 0 or g; the absolute term
/// covers silu's underflow near g = -87 to -104). An out element is accepted
/// if it is the out-type rounding (nearest even, monotonic) of some value in
/// that interval: exact but for a value at a rounding boundary of the out
/// type (bf16 and fp16 outputs then differ by one ulp; f32 by a few ulp).
inline bool groupedGemmSwigluAccepts(const GroupedGemmSpec &spec, float g,
                                     float u, float got) {
  const double y = double(groupedGemmSwiglu(g, u));
  const double slack =
      (std::min(std::fabs(double(g)), 104.0) + 16.0) * std::ldexp(1.0, -23) *
          std::fabs(y) +
      std::ldexp(1.0, -100) * (std::fabs(double(u)) + 1.0);
  const float lo = groupedGemmRound(spec, float(y - slack));
  const float hi = groupedGemmRound(spec, float(y + slack));
  return got >= lo && got <= hi; // false for NaN
}

/// The expert owning row m, or -1 (a row past every expert's).
inline int64_t groupedGemmExpertOf(const int32_t *groupOffsets, int64_t E,
                                   int64_t m) {
  for (int64_t e = 0; e < E; ++e)
    if (m >= groupOffsets[e] && m < groupOffsets[e + 1])
      return e;
  return -1;
}

/// Writes out[m, 0:Nout] (row stride ldo, elements of the spec's out type;
/// Nout = N, or N / 2 with swiglu) for every row m of every expert:
/// group_offsets [E + 1] sorted, within [0, M]. Other rows and the columns
/// past Nout are left as they are.
inline void groupedGemmReference(const GroupedGemmSpec &spec, const int8_t *a,
                                 const int32_t *groupOffsets, int64_t E,
                                 const int8_t *b, const float *sa,
                                 const float *sb, void *out, int64_t M,
                                 int64_t N, int64_t K, int64_t lda,
                                 int64_t ldo) {
  (void)M;
  const int64_t half = N / 2;
  for (int64_t e = 0; e < E; ++e)
    for (int64_t m = groupOffsets[e]; m < groupOffsets[e + 1]; ++m) {
      if (spec.swiglu) {
        for (int64_t j = 0; j < half; ++j) {
          float g = groupedGemmAccumulator(spec, a, b, sa, sb, m, e, j, N, K,
                                           lda);
          float u = groupedGemmAccumulator(spec, a, b, sa, sb, m, e, half + j,
                                           N, K, lda);
          groupedGemmStore(spec, out, m * ldo + j, groupedGemmSwiglu(g, u));
        }
        continue;
      }
      for (int64_t n = 0; n < N; ++n)
        groupedGemmStore(spec, out, m * ldo + n,
                         groupedGemmAccumulator(spec, a, b, sa, sb, m, e, n,
                                                N, K, lda));
    }
}

} // namespace tile::kernels

#endif // TILE_KERNELS_MOE_GROUPEDGEMMREFERENCE_H
