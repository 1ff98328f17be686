//===- QuantSpecialExpectations.h - What KERNELS.md makes of the edge values -*- C++ -*-===//
//
// The outputs that KERNELS.md prescribes for the special inputs of
// QuantSpecialInputs.h, spelled out once for the GPU tests (test/gpu) and
// the interpreter tests (test/unit/QuantSpecialValuesTest.cpp), so that a
// wrong reference fails too. Each suite first compares every byte with the
// reference by its own rule; these are the values on top of that.
//
// Plain C++ and GoogleTest (the GPU tests link no MLIR).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_TEST_COMMON_QUANTSPECIALEXPECTATIONS_H
#define TILE_TEST_COMMON_QUANTSPECIALEXPECTATIONS_H

#include "SiluMulQuantSpec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace tile::testing {

/// Where silu_mul_quant's outputs of siluMulQuantSpecialInput lie: q [rows,
/// strideQ] and the scale bytes, rows = E * T (E = 1 when contiguous).
struct SiluMulQuantOutputs {
  const kernels::SiluMulQuantSpec &spec;
  const std::vector<uint8_t> &q, &scales;
  kernels::ScaleStrides strides;
  int64_t rows, T, groups, strideQ;

  bool packed() const {
    return spec.scales == kernels::ScaleLayout::UE8M0Packed;
  }
  /// The byte offset of the scale of (row r, group g).
  int64_t scaleAt(int64_t r, int64_t g) const {
    int64_t t = spec.masked ? r % T : r;
    int64_t base = spec.masked ? r / T * strides.size : 0;
    if (packed())
      return base + t * strides.strideM + (g / 4) * strides.strideG + g % 4;
    return (base + t * strides.strideM + g * strides.strideG) * 4;
  }
  float scale(int64_t r, int64_t g) const {
    if (packed())
      return kernels::ue8m0Value(scales[scaleAt(r, g)]);
    float f;
    std::memcpy(&f, &scales[scaleAt(r, g)], 4);
    return f;
  }
  int code(int64_t r, int64_t k) const { return int(q[r * strideQ + k]); }
};

/// KERNELS.md's values for the rows of siluMulQuantSpecialInput (masked:
/// masked_m = {T, 1}, so rows T + 1 .. 2T - 1 are dead). With
/// `canonicalNaN`, a NaN scale must also have the GPU's bits 0x7fffffff.
inline void expectSiluMulQuantSpecialValues(const SiluMulQuantOutputs &o,
                                            bool canonicalNaN) {
  const kernels::SiluMulQuantSpec &s = o.spec;
  const int64_t G = s.group;
  const bool fp8 = s.out == kernels::OutType::FP8;
  const bool ue8m0 = s.ue8m0 || o.packed();
  const float top = kernels::qmax(s.out);
  const float inf = std::numeric_limits<float>::infinity();
  const int nanCode = fp8 ? 0x7f : 0; // int8 conversion turns NaN into 0
  const int signMask = fp8 ? 0x7f : 0xff;
  // UE8M0 of an inf scale: exponent field 255, clamped to 254.
  const float hugeScale = std::ldexp(1.0f, 127);
  // eps / QMAX: 1e-10 / 448 is 2^-42.03, 1e-10 / 127 is 2^-40.2; UE8M0
  // rounds them up to 2^-42 and 2^-40.
  const float zeroScale =
      ue8m0 ? std::ldexp(1.0f, fp8 ? -42 : -40) : 1e-10f / top;
  for (int64_t g = 0; g < o.groups; ++g) {
    EXPECT_EQ(o.scale(0, g), zeroScale) << "zero row, group " << g;
    for (int64_t j = 0; j < G; ++j)
      ASSERT_EQ(o.code(0, g * G + j), 0) << "zero row, column " << g * G + j;
  }
  EXPECT_TRUE(std::isfinite(o.scale(1, 0))) << "NaN stays in its group";
  EXPECT_TRUE(std::isfinite(o.scale(2, 1))) << "inf stays in its group";
  // up = NaN, up = -NaN and gate = -inf (silu(-inf) is NaN): NaN groups.
  struct At {
    int64_t r, g, k; // row, group, column in the group
  };
  for (At at : {At{1, 1, 3}, At{1, 1, G - 2}, At{3, 0, 7}}) {
    auto [r, g, k] = at;
    EXPECT_EQ(o.code(r, g * G + k), nanCode) << "row " << r << ", column " << k;
    // NaN reaches the scale in every layout (KERNELS.md, "UE8M0 scale"): a
    // NaN fp32 scale, the packed byte 0xFF, and every code of the group NaN.
    if (o.packed())
      EXPECT_EQ(int(o.scales[o.scaleAt(r, g)]), 0xff) << "row " << r;
    EXPECT_TRUE(std::isnan(o.scale(r, g))) << "row " << r;
    if (canonicalNaN && !o.packed())
      EXPECT_EQ(numerics::floatBits(o.scale(r, g)), 0x7fffffffu)
          << "row " << r << ": the canonical NaN";
    for (int64_t j = 0; j < G; ++j)
      ASSERT_EQ(o.code(r, g * G + j), nanCode)
          << "row " << r << ", column " << g * G + j << ": y * (1 / NaN)";
  }
  // y = +-inf: with f32 scales 1 / inf = 0 and inf * 0 = NaN; with UE8M0
  // inf * 2^-127 is inf and saturates: fp8 0x7e / 0xfe, int8 127 and -128
  // (-127 with rna127).
  const int int8Min =
      s.int8Rounding == kernels::Int8Rounding::HalfAwayFrom127 ? 0x81 : 0x80;
  EXPECT_EQ(o.scale(2, 2), ue8m0 ? hugeScale : inf);
  EXPECT_EQ(o.code(2, 2 * G + 5), ue8m0 ? (fp8 ? 0x7e : 0x7f) : nanCode);
  EXPECT_EQ(o.scale(3, 1), ue8m0 ? hugeScale : inf) << "absmax of -inf is +inf";
  EXPECT_EQ(o.code(3, 1 * G + 9), ue8m0 ? (fp8 ? 0xfe : int8Min) : nanCode);
  for (int64_t j = 0; j < G; ++j) {
    // Finite values times 0 (or 2^-127): zeros of their sign.
    if (j != 5)
      ASSERT_EQ(o.code(2, 2 * G + j) & signMask, 0) << "column " << j;
    if (j != 9)
      ASSERT_EQ(o.code(3, 1 * G + j) & signMask, 0) << "column " << j;
  }
  // y = +-QMAX: scale 1 and the largest codes: fp8 0x7e / 0xfe (448), int8
  // 127 / -127.
  EXPECT_EQ(o.scale(4, 1), 1.0f);
  EXPECT_EQ(o.code(4, 1 * G + 1), fp8 ? 0x7e : 0x7f);
  EXPECT_EQ(o.code(4, 1 * G + G - 1), fp8 ? 0xfe : 0x81);
  const int64_t written = s.masked ? o.T + 1 : o.rows;
  if (o.packed())
    // The partial last word: the groups past the last of each written row
    // are 0.
    for (int64_t r = 0; r < written; ++r)
      for (int64_t g = o.groups; g < (o.groups + 3) / 4 * 4; ++g)
        ASSERT_EQ(int(o.scales[o.scaleAt(r, g)]), 0)
            << "row " << r << ", group " << g;
  if (s.masked)
    // Rows T + 1 .. 2T - 1 (expert 1, t >= masked_m[1] = 1): codes
    // untouched, scale slots 1.0 (byte 127; 0 in a partial last word), so
    // that no consumer reads stale memory (KERNELS.md).
    for (int64_t r = written; r < o.rows; ++r) {
      for (int64_t k = 0; k < o.strideQ; ++k)
        ASSERT_EQ(o.code(r, k), 0xa5) << "masked row " << r << ", column " << k;
      for (int64_t g = 0; g < (o.packed() ? (o.groups + 3) / 4 * 4 : o.groups);
           ++g) {
        if (o.packed())
          ASSERT_EQ(int(o.scales[o.scaleAt(r, g)]), g < o.groups ? 127 : 0)
              << "masked row " << r << ", group " << g;
        else
          ASSERT_EQ(o.scale(r, g), 1.0f) << "masked row " << r << ", group " << g;
      }
    }
}

} // namespace tile::testing

#endif // TILE_TEST_COMMON_QUANTSPECIALEXPECTATIONS_H
