//===- FloatFormats.cpp - Rounding and encoding of the float formats ------===//

#include "FloatFormats.h"

#include "tile/Support/Numerics.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace tile;
using namespace tile::interp;

float tile::interp::roundEven(float x) {
  float r = std::round(x); // ties away from zero
  // x - trunc(x) is exact, so a tie is seen exactly; halving a tie is exact.
  if (std::fabs(x - std::trunc(x)) == 0.5f)
    r = 2.0f * std::round(x * 0.5f);
  return r;
}

double tile::interp::roundEven(double x) {
  double r = std::round(x);
  if (std::fabs(x - std::trunc(x)) == 0.5)
    r = 2.0 * std::round(x * 0.5);
  return r;
}

double tile::interp::roundToPrecision(double x, int precision, int minExponent,
                                      double maxFinite, bool hasInfinity) {
  if (std::isnan(x) || x == 0.0)
    return x;
  if (std::isinf(x))
    return hasInfinity ? x : std::numeric_limits<double>::quiet_NaN();
  double a = std::fabs(x);
  int e;
  std::frexp(a, &e); // a = m * 2^e with m in [0.5, 1)
  int exponent = std::max(e - 1, minExponent);
  // The spacing of the format's values around `a`; dividing by a power of two
  // is exact, so the only rounding is roundEven's.
  double quantum = std::ldexp(1.0, exponent - (precision - 1));
  double r = roundEven(a / quantum) * quantum;
  if (r > maxFinite)
    return hasInfinity ? std::copysign(HUGE_VAL, x)
                       : std::numeric_limits<double>::quiet_NaN();
  return std::copysign(r, x);
}

float tile::interp::roundToBf16(float x) {
  return numerics::bf16ToFloat(numerics::floatToBf16(x));
}

float tile::interp::roundToF16(double x) {
  return float(roundToPrecision(x, 11, -14, 65504.0, true));
}

float tile::interp::roundToTf32(float x) {
  if (std::isnan(x))
    return x;
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  // Round to nearest even at bit 13; a carry out of the significand steps
  // the exponent, up to infinity, as it should.
  bits += 0xfffu + ((bits >> 13) & 1u);
  bits &= ~0x1fffu;
  std::memcpy(&x, &bits, 4);
  return x;
}

/// e5m2: 3 significand bits, exponents from -14, largest finite 57344.
static double roundToE5M2(double x) {
  return roundToPrecision(x, 3, -14, 57344.0, true);
}

float tile::interp::roundFloatTo(float x, ElemKind kind) {
  switch (kind) {
  case ElemKind::F32:
    return x;
  case ElemKind::BF16:
    return roundToBf16(x);
  case ElemKind::F16:
    return roundToF16(x);
  case ElemKind::F8E4M3FN:
    return e4m3Value(numerics::floatToE4M3(x, /*saturate=*/false));
  case ElemKind::F8E5M2:
    return float(roundToE5M2(x));
  default:
    return std::numeric_limits<float>::quiet_NaN();
  }
}

Slot tile::interp::roundDoubleTo(double x, ElemKind kind) {
  switch (kind) {
  case ElemKind::F64:
    return doubleSlot(x);
  case ElemKind::F32:
    return floatSlot(float(x)); // the host rounds to nearest even
  case ElemKind::BF16:
    return floatSlot(float(roundToPrecision(
        x, 8, -126, double(numerics::bf16ToFloat(0x7f7f)), true)));
  case ElemKind::F16:
    return floatSlot(roundToF16(x));
  case ElemKind::F8E4M3FN: {
    // As numerics::floatToE4M3 without saturation: NaN beyond 448 (there is
    // no infinity), and every NaN is the canonical positive one.
    double r = roundToPrecision(x, 4, -6, 448.0, false);
    return floatSlot(std::isnan(r) ? e4m3Value(0x7f) : float(r));
  }
  case ElemKind::F8E5M2:
    return floatSlot(float(roundToE5M2(x)));
  default:
    return floatSlot(std::numeric_limits<float>::quiet_NaN());
  }
}

float tile::interp::roundToE2M1(float x) {
  return numerics::e2m1ToFloat(numerics::floatToE2M1(x));
}

float tile::interp::f16Value(uint16_t bits) {
  uint32_t sign = uint32_t(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f, mantissa = bits & 0x3ff;
  if (exponent == 0x1f)
    return numerics::bitsFloat(sign | 0x7f800000 | (mantissa << 13));
  if (exponent == 0) {
    float magnitude = std::ldexp(float(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  return numerics::bitsFloat(sign | ((exponent - 15 + 127) << 23) |
                             (mantissa << 13));
}

uint16_t tile::interp::f16Bits(float v) {
  uint32_t u = numerics::floatBits(v);
  uint16_t sign = uint16_t((u >> 16) & 0x8000);
  if (std::isnan(v)) {
    // Keep the payload's top bits; a NaN needs a nonzero mantissa.
    uint16_t mantissa = uint16_t((u >> 13) & 0x3ff);
    return uint16_t(sign | 0x7c00 | (mantissa ? mantissa : 0x200));
  }
  if (std::isinf(v))
    return uint16_t(sign | 0x7c00);
  int exponent = int((u >> 23) & 0xff) - 127;
  if (exponent >= -14)
    return uint16_t(sign | ((exponent + 15) << 10) | ((u >> 13) & 0x3ff));
  // Subnormal (or zero): an exact multiple of 2^-24.
  return uint16_t(sign | uint16_t(std::ldexp(std::fabs(v), 24)));
}

float tile::interp::e4m3Value(uint8_t bits) {
  if ((bits & 0x7f) == 0x7f)
    return std::copysign(std::numeric_limits<float>::quiet_NaN(),
                         (bits & 0x80) ? -1.0f : 1.0f);
  return numerics::e4m3ToFloat(bits);
}

uint8_t tile::interp::e4m3Bits(float v) {
  if (std::isnan(v))
    return uint8_t(0x7f | (std::signbit(v) ? 0x80 : 0));
  // Exact for an e4m3 value: the nearest code is the value's own.
  return numerics::floatToE4M3(v, /*saturate=*/true);
}

float tile::interp::e5m2Value(uint8_t bits) {
  // e5m2 is the upper byte of an f16.
  return f16Value(uint16_t(bits) << 8);
}

uint8_t tile::interp::e5m2Bits(float v) {
  if (std::isnan(v)) {
    uint8_t payload = uint8_t((numerics::floatBits(v) >> 21) & 3);
    return uint8_t((std::signbit(v) ? 0x80 : 0) | 0x7c |
                   (payload ? payload : 2));
  }
  return uint8_t(f16Bits(v) >> 8);
}

uint64_t tile::interp::floatBitsOf(Slot s, ElemKind kind) {
  switch (kind) {
  case ElemKind::F64: {
    uint64_t bits;
    std::memcpy(&bits, &s.d, 8);
    return bits;
  }
  case ElemKind::F32:
    return numerics::floatBits(s.f);
  case ElemKind::F16:
    return f16Bits(s.f);
  case ElemKind::BF16:
    // Exact: a bf16 value is a float whose low 16 bits are zero.
    return numerics::floatBits(s.f) >> 16;
  case ElemKind::F8E4M3FN:
    return e4m3Bits(s.f);
  case ElemKind::F8E5M2:
    return e5m2Bits(s.f);
  case ElemKind::F4E2M1FN:
    return numerics::floatToE2M1(s.f); // exact: s.f is an e2m1 value
  default:
    return 0;
  }
}

Slot tile::interp::floatFromBits(uint64_t bits, ElemKind kind) {
  switch (kind) {
  case ElemKind::F64: {
    double d;
    std::memcpy(&d, &bits, 8);
    return doubleSlot(d);
  }
  case ElemKind::F32:
    return floatSlot(numerics::bitsFloat(uint32_t(bits)));
  case ElemKind::F16:
    return floatSlot(f16Value(uint16_t(bits)));
  case ElemKind::BF16:
    return floatSlot(numerics::bf16ToFloat(uint16_t(bits)));
  case ElemKind::F8E4M3FN:
    return floatSlot(e4m3Value(uint8_t(bits)));
  case ElemKind::F8E5M2:
    return floatSlot(e5m2Value(uint8_t(bits)));
  case ElemKind::F4E2M1FN:
    return floatSlot(numerics::e2m1ToFloat(uint8_t(bits)));
  default:
    return floatSlot(0.0f);
  }
}

double tile::interp::intToDoubleForRounding(int64_t v, bool isUnsigned) {
  bool negative = !isUnsigned && v < 0;
  uint64_t magnitude = negative ? 0 - uint64_t(v) : uint64_t(v);
  if (magnitude < (uint64_t(1) << 53))
    return negative ? -double(magnitude) : double(magnitude);
  // Keep 53 bits and fold the rest into a sticky last bit (round to odd).
  int shift = 64 - __builtin_clzll(magnitude) - 53;
  uint64_t kept = magnitude >> shift;
  if (magnitude & ((uint64_t(1) << shift) - 1))
    kept |= 1;
  double r = std::ldexp(double(kept), shift);
  return negative ? -r : r;
}
