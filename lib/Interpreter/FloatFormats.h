//===- FloatFormats.h - Rounding and encoding of floats ---------*- C++ -*-===//
//
// The interpreter's float conversions, in terms of tile/Support/Numerics.h
// wherever it has the model (bf16 rounding, e4m3fn conversion), so that the
// interpreter and the C++ references round through the same code. What it
// lacks (f16, e5m2, e2m1, rounding from double) is here, written from the
// formats' definitions: round to nearest, ties to even, with subnormals.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LIB_INTERPRETER_FLOATFORMATS_H
#define TILE_LIB_INTERPRETER_FLOATFORMATS_H

#include "Values.h"

#include <cstdint>

namespace tile::interp {

/// `x` rounded to the nearest integer, ties to even, whatever the host's
/// rounding mode (std::nearbyint in the default mode).
float roundEven(float x);
double roundEven(double x);

/// `x` rounded to nearest even into a binary format with `precision`
/// significand bits (the implicit one included), smallest normal exponent
/// `minExponent` (subnormals below it) and largest finite value `maxFinite`.
/// Beyond it the result is infinity, or NaN for a format without infinities.
/// NaN stays NaN.
double roundToPrecision(double x, int precision, int minExponent,
                        double maxFinite, bool hasInfinity);

/// `x` rounded to nearest even to bf16 (numerics::floatToBf16).
float roundToBf16(float x);
/// `x` rounded to nearest even to f16; beyond 65504 (after rounding) it is
/// infinity.
float roundToF16(double x);
/// `x` rounded to nearest even to tf32 (f32's sign and 8-bit exponent, 10
/// significand bits: the low 13 bits of the f32 cleared), as a tensor core's
/// tf32 path sees an f32 operand converted with PTX's `cvt.rn.tf32.f32`.
/// Past the largest tf32 value it is infinity; NaN stays NaN.
float roundToTf32(float x);

/// `x` (a value of a float slot) rounded to nearest even to `kind`, as
/// arith.truncf does: f8E4M3FN gives NaN beyond 448 (no saturation). Not for
/// f4E2M1FN, whose conversion is fp_to_fp's.
float roundFloatTo(float x, ElemKind kind);
/// The same from a double (an f64 value).
Slot roundDoubleTo(double x, ElemKind kind);

/// `x` to e2m1: the nearest of {0, 0.5, 1, 1.5, 2, 3, 4, 6} with ties to the
/// even code (the code is the index in that list), saturating to 6, sign
/// kept; NaN gives a zero of its sign.
float roundToE2M1(float x);

/// The value of f16 bits (exact; NaN payloads kept).
float f16Value(uint16_t bits);
/// The bits of `v`, which must be an f16 value (or NaN).
uint16_t f16Bits(float v);
/// The value of an e4m3fn byte; 0x7f/0xff are NaN of that sign.
float e4m3Value(uint8_t bits);
/// The byte of `v`, which must be an e4m3fn value (or NaN: 0x7f with its
/// sign).
uint8_t e4m3Bits(float v);
/// The value of an e5m2 byte (exact).
float e5m2Value(uint8_t bits);
/// The byte of `v`, which must be an e5m2 value (or NaN).
uint8_t e5m2Bits(float v);

/// The bits of a float slot of `kind` (f64, f32, f16, bf16, fp8, e2m1), as a
/// bitcast or a store sees them, zero-extended.
uint64_t floatBitsOf(Slot s, ElemKind kind);
/// The slot of a float of `kind` with bits `bits` (the low bits of it).
Slot floatFromBits(uint64_t bits, ElemKind kind);

/// `v` (an integer, or the magnitude of one when `isUnsigned`) to a double
/// rounded to odd at 53 bits, so that rounding it again to any format of at
/// most 51 bits of precision rounds correctly.
double intToDoubleForRounding(int64_t v, bool isUnsigned);

} // namespace tile::interp

#endif // TILE_LIB_INTERPRETER_FLOATFORMATS_H
