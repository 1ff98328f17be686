//===- QuantCommon.h - What the quantization kernels share ------*- C++ -*-===//
//
// Options and the scale conventions of KERNELS.md ("Common numeric rules"):
// input and output types, the scale layouts, UE8M0 rounding, and their plain
// C++ definitions for the references.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_QUANTCOMMON_H
#define TILE_KERNELS_QUANT_QUANTCOMMON_H

#include "tile/Support/Numerics.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tile::kernels {

enum class InType { BF16, F16, F32 };
enum class OutType { FP8, INT8 };

/// Where the scale of (row t, group g) lives, for M rows and G groups:
/// - RowMajor: fp32 [M, G], strides (G, 1);
/// - ColMajor: fp32 [M, G], strides (1, M);
/// - ColMajorTMA: fp32 [M, G], strides (1, align(M, 4)) (DeepGEMM);
/// - UE8M0Packed: int32 words [M, ceil(G/4)], strides (1, align(M, 4)); the
///   byte of (t, g) is at byte ((g / 4) * align(M, 4) + t) * 4 + g % 4, and
///   the bytes of a partial last word are 0.
/// The TMA-aligned layouts' padding rows [M, align(M, 4)) hold 1.0 (byte 127).
enum class ScaleLayout { RowMajor, ColMajor, ColMajorTMA, UE8M0Packed };

inline const char *name(InType t) {
  return t == InType::BF16 ? "bf16" : t == InType::F16 ? "fp16" : "f32";
}
inline const char *name(OutType t) { return t == OutType::FP8 ? "fp8" : "int8"; }
inline const char *name(ScaleLayout s) {
  switch (s) {
  case ScaleLayout::RowMajor:
    return "row";
  case ScaleLayout::ColMajor:
    return "col";
  case ScaleLayout::ColMajorTMA:
    return "col_tma";
  case ScaleLayout::UE8M0Packed:
    return "ue8m0_packed";
  }
  return "?";
}

inline int64_t alignUp(int64_t v, int64_t a) { return (v + a - 1) / a * a; }

/// The largest quantized magnitude.
inline float qmax(OutType t) { return t == OutType::FP8 ? 448.0f : 127.0f; }

/// The element strides (over fp32 elements, or bytes for UE8M0Packed) of
/// the scale of (t, g): offset = t * strideM + g * strideG, or for packed
/// t * strideM + (g / 4) * strideG + g % 4.
struct ScaleStrides {
  int64_t strideM, strideG;
  /// Elements (or bytes) the scale buffer needs.
  int64_t size;
};
inline ScaleStrides scaleStrides(ScaleLayout layout, int64_t M, int64_t G) {
  int64_t m4 = alignUp(M, 4);
  switch (layout) {
  case ScaleLayout::RowMajor:
    return {G, 1, M * G};
  case ScaleLayout::ColMajor:
    return {1, M, M * G};
  case ScaleLayout::ColMajorTMA:
    return {1, m4, m4 * G};
  case ScaleLayout::UE8M0Packed:
    return {4, 4 * m4, 4 * m4 * ((G + 3) / 4)};
  }
  return {0, 0, 0};
}

/// Rows of scales `layout` allocates for M rows of data: align(M, 4) for the
/// TMA-aligned layouts, whose padding rows get the padding scale.
inline int64_t scaleRows(ScaleLayout layout, int64_t M) {
  return layout == ScaleLayout::ColMajorTMA ||
                 layout == ScaleLayout::UE8M0Packed
             ? alignUp(M, 4)
             : M;
}

/// UE8M0 rounding of a positive scale, by its bits: the exponent, plus one
/// when any mantissa bit is set, clamped to [1, 254]; a NaN scale gives 0xFF
/// (E8M0's NaN, OCP MX), an infinite one 254 (KERNELS.md, "UE8M0 scale").
inline uint8_t ue8m0Exponent(float scale) {
  uint32_t bits = numerics::floatBits(scale) & 0x7fffffffu;
  if (bits > 0x7f800000u)
    return 0xff;
  int e = int((bits >> 23) & 0xff) + ((bits & 0x7fffff) != 0 ? 1 : 0);
  return uint8_t(std::min(254, std::max(1, e)));
}

/// 2^(e - 127); the GPU's canonical NaN (0x7fffffff) for 0xFF.
inline float ue8m0Value(uint8_t e) {
  return e == 0xff ? numerics::bitsFloat(0x7fffffffu)
                   : numerics::bitsFloat(uint32_t(e) << 23);
}

/// What a scale slot the layout allocates but no row owns holds (KERNELS.md:
/// TMA padding rows and masked-off rows): 1.0, or the UE8M0 byte 127.
inline constexpr float kPaddingScale = 1.0f;
inline constexpr uint8_t kPaddingExponent = 127;

/// A value of an input type as fp32, from its stored bits.
inline float inputToFloat(InType t, const void *p, int64_t index) {
  switch (t) {
  case InType::BF16: {
    uint16_t b;
    std::memcpy(&b, static_cast<const char *>(p) + index * 2, 2);
    return numerics::bf16ToFloat(b);
  }
  case InType::F16: {
    uint16_t h;
    std::memcpy(&h, static_cast<const char *>(p) + index * 2, 2);
    return numerics::f16ToFloat(h);
  }
  case InType::F32: {
    float f;
    std::memcpy(&f, static_cast<const char *>(p) + index * 4, 4);
    return f;
  }
  }
  return 0;
}

inline int inputBytes(InType t) { return t == InType::F32 ? 4 : 2; }

/// How int8 codes round (KERNELS.md: nearest even by default; sglang
/// truncates toward zero; mojo_opset's ILU kernel rounds half away from zero
/// into [-127, 127]).
enum class Int8Rounding { NearestEven, TowardZero, HalfAwayFrom127 };

inline const char *name(Int8Rounding r) {
  return r == Int8Rounding::NearestEven  ? "rtne"
         : r == Int8Rounding::TowardZero ? "rtz"
                                         : "rna127";
}

/// Saturating int8 with `rounding` (NaN gives 0).
inline int8_t floatToInt8(float v,
                          Int8Rounding rounding = Int8Rounding::NearestEven) {
  if (std::isnan(v))
    return 0;
  float r = rounding == Int8Rounding::NearestEven ? std::nearbyint(v)
            : rounding == Int8Rounding::TowardZero ? std::trunc(v)
                                                   : std::round(v);
  float low = rounding == Int8Rounding::HalfAwayFrom127 ? -127.0f : -128.0f;
  return int8_t(std::fmin(127.0f, std::fmax(low, r)));
}

/// The reference quantization of one group of `n` fp32 values, literally
/// KERNELS.md: absmax = max(max |v|, eps) (NaN propagates), scale =
/// absmax / QMAX (rounded up to a power of two with `ue8m0`, whose byte goes
/// to `*exponent`), codes q[i] = convert(v[i] * (1 / scale)) as fp8 codes or
/// int8 values (rounded with `rounding`). Returns the scale.
inline float quantizeGroupReference(
    const float *values, int64_t n, OutType out, bool ue8m0, float eps,
    uint8_t *q, uint8_t *exponent = nullptr,
    Int8Rounding rounding = Int8Rounding::NearestEven) {
  float absmax = 0.0f;
  bool nan = false;
  for (int64_t i = 0; i < n; ++i) {
    nan |= std::isnan(values[i]);
    absmax = std::fmax(absmax, std::fabs(values[i]));
  }
  absmax = nan ? std::nanf("") : std::fmax(absmax, eps);
  float scale = absmax / qmax(out);
  // A NaN scale has the GPU's canonical bits (0x7fffffff), which x86's
  // division does not produce: the scales then compare bit for bit.
  if (std::isnan(scale))
    scale = numerics::bitsFloat(0x7fffffffu);
  if (ue8m0) {
    uint8_t e = ue8m0Exponent(scale);
    if (exponent)
      *exponent = e;
    scale = ue8m0Value(e); // NaN (0xFF) stays NaN
  }
  float inverse = 1.0f / scale;
  for (int64_t i = 0; i < n; ++i) {
    float v = values[i] * inverse;
    q[i] = out == OutType::FP8 ? numerics::floatToE4M3(v, true)
                               : uint8_t(floatToInt8(v, rounding));
  }
  return scale;
}

/// The reference's padding scales of row t (a TMA padding row or a
/// masked-off row): 1.0 in every group's slot, or packed, byte 127 for each
/// group and 0 in the partial last word. `scales` points at the layout's
/// start (for the masked form: the expert's).
inline void writePaddingScaleRow(ScaleLayout layout, void *scales, int64_t t,
                                 int64_t groups, const ScaleStrides &ss) {
  if (layout == ScaleLayout::UE8M0Packed) {
    for (int64_t g = 0; g < alignUp(groups, 4); ++g)
      static_cast<uint8_t *>(scales)[t * ss.strideM + (g / 4) * ss.strideG +
                                     g % 4] =
          g < groups ? kPaddingExponent : 0;
    return;
  }
  for (int64_t g = 0; g < groups; ++g)
    static_cast<float *>(scales)[t * ss.strideM + g * ss.strideG] =
        kPaddingScale;
}

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_QUANTCOMMON_H
