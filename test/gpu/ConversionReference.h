//===- ConversionReference.h - What convert.mlir must write for an input -===//
//
// kernels/examples/convert.mlir writes, for each f32 input, every narrowing
// conversion the lowering implements: e4m3 saturating and not, the
// saturating e4m3 widened back to f32, e2m1 and back to f32, and int8 with
// three roundings. The host model (tile/Support/Numerics.h, round to nearest
// even in the current rounding mode, which must be FE_TONEAREST) says what
// each must be; firstMismatch compares one input's outputs with it.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_TEST_GPU_CONVERSIONREFERENCE_H
#define TILE_TEST_GPU_CONVERSIONREFERENCE_H

#include "tile/Support/Numerics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

namespace tile::testing {

/// What convert.mlir wrote for one input.
struct ConvertedValue {
  uint8_t e4m3Saturating;
  uint8_t e4m3;
  float e4m3Widened;
  float e2m1Widened;
  int8_t int8NearestEven;
  int8_t int8TowardZero;
  int8_t int8HalfAway;
  /// The element's nibble of fp_to_e2m1x2's byte (low for an even index).
  uint8_t e2m1Packed;
};

/// Saturating float -> int8 after `round` (NaN gives 0).
template <typename Round> int8_t int8Reference(float x, Round round) {
  if (std::isnan(x))
    return 0;
  double r = round(double(x));
  return int8_t(std::clamp(r, -128.0, 127.0));
}

/// "" when `got` is what the host model gives for `x`; otherwise which
/// conversion differs, with both values.
inline std::string firstMismatch(float x, const ConvertedValue &got) {
  std::ostringstream os;
  auto fail = [&](const char *what, auto want, auto have) {
    os << what << ": expected " << want << ", got " << have;
    return os.str();
  };
  uint8_t sat = numerics::floatToE4M3(x, true);
  if (got.e4m3Saturating != sat)
    return fail("e4m3 saturating", int(sat), int(got.e4m3Saturating));
  uint8_t plain = numerics::floatToE4M3(x, false);
  if (got.e4m3 != plain)
    return fail("e4m3 non-saturating", int(plain), int(got.e4m3));
  float wide = numerics::e4m3ToFloat(sat);
  if (std::isnan(wide) ? !std::isnan(got.e4m3Widened)
                       : numerics::floatBits(got.e4m3Widened) !=
                             numerics::floatBits(wide))
    return fail("e4m3 -> f32", wide, got.e4m3Widened);
  uint8_t code = numerics::floatToE2M1(x);
  if (got.e2m1Packed != code)
    return fail("e2m1 packed in pairs", int(code), int(got.e2m1Packed));
  float fp4 = numerics::e2m1ToFloat(code);
  if (numerics::floatBits(got.e2m1Widened) != numerics::floatBits(fp4))
    return fail("e2m1 round trip", fp4, got.e2m1Widened);
  int8_t even = int8Reference(x, [](double d) { return std::nearbyint(d); });
  if (got.int8NearestEven != even)
    return fail("int8, nearest even", int(even), int(got.int8NearestEven));
  int8_t zero = int8Reference(x, [](double d) { return std::trunc(d); });
  if (got.int8TowardZero != zero)
    return fail("int8, toward zero", int(zero), int(got.int8TowardZero));
  int8_t away = int8Reference(x, [](double d) { return std::round(d); });
  if (got.int8HalfAway != away)
    return fail("int8, half away from zero", int(away), int(got.int8HalfAway));
  return "";
}

} // namespace tile::testing

#endif // TILE_TEST_GPU_CONVERSIONREFERENCE_H
