//===- Numerics.h - Bit-exact host models of the GPU's number formats -*- C++ -*-===//
//
// Plain C++ (no dependencies) for references, tests and the interpreter:
// bf16, f16, fp8 e4m3fn and e2m1 conversions exactly as the GPU rounds them. Written from
// the formats' definitions (a table of every e4m3 value and nearest-even
// selection), not from the compiler's lowering, so that they check it.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_SUPPORT_NUMERICS_H
#define TILE_SUPPORT_NUMERICS_H

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace tile::numerics {

inline uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

inline float bitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

/// bf16 bits -> float (exact).
inline float bf16ToFloat(uint16_t bits) { return bitsFloat(uint32_t(bits) << 16); }

/// float -> bf16 bits, round to nearest even (NaN stays a quiet NaN).
inline uint16_t floatToBf16(float f) {
  uint32_t u = floatBits(f);
  if ((u & 0x7fffffff) > 0x7f800000)
    return uint16_t((u >> 16) | 0x40);
  u += 0x7fff + ((u >> 16) & 1);
  return uint16_t(u >> 16);
}

/// f16 bits -> float (exact).
inline float f16ToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e == 0x1f)
    return bitsFloat(sign | 0x7f800000 | (m << 13));
  if (e == 0) {
    float v = std::ldexp(float(m), -24);
    return sign ? -v : v;
  }
  return bitsFloat(sign | ((e + 112) << 23) | (m << 13));
}

/// float -> f16 bits, round to nearest even; overflow gives inf, NaN a quiet
/// NaN.
inline uint16_t floatToF16(float f) {
  uint32_t u = floatBits(f);
  uint16_t sign = uint16_t((u >> 16) & 0x8000);
  uint32_t a = u & 0x7fffffff;
  if (a > 0x7f800000)
    return uint16_t(sign | 0x7e00);
  if (a >= 0x477ff000) // rounds to 65520 or more: inf
    return uint16_t(sign | 0x7c00);
  if (a < 0x38800000) { // below 2^-14: a subnormal, in units of 2^-24
    float v = std::ldexp(bitsFloat(a), 24);
    return uint16_t(sign | uint16_t(std::nearbyint(v)));
  }
  uint32_t rounded = a + 0xfff + ((a >> 13) & 1);
  return uint16_t(sign | ((rounded - 0x38000000) >> 13));
}

/// The value of e4m3fn code `code` (0..0x7f, sign bit clear); 0x7f is NaN.
inline float e4m3Magnitude(unsigned code) {
  unsigned e = code >> 3, m = code & 7;
  if (e == 0)
    return std::ldexp(float(m), -9);
  return std::ldexp(1.0f + float(m) / 8.0f, int(e) - 7);
}

/// e4m3fn byte -> float (exact; 0x7f/0xff are NaN).
inline float e4m3ToFloat(uint8_t byte) {
  if ((byte & 0x7f) == 0x7f)
    return std::nanf("");
  float v = e4m3Magnitude(byte & 0x7f);
  return (byte & 0x80) ? -v : v;
}

/// float -> e4m3fn byte, round to nearest even. Beyond the largest finite
/// value (448) the result is +-448 when `saturate` (PTX .satfinite) and NaN
/// otherwise. Every NaN result is the canonical 0x7f, whatever the input's
/// sign: what the GPU's cvt.rn.satfinite.e4m3x2.f32 gives for -NaN (measured
/// on an H200).
inline uint8_t floatToE4M3(float x, bool saturate = true) {
  uint8_t sign = std::signbit(x) ? 0x80 : 0;
  if (std::isnan(x))
    return 0x7f;
  float a = std::fabs(x);
  // 464 is halfway between 448 (code 0x7e, even) and the next step, 480.
  if (a > 464.0f)
    return saturate ? uint8_t(0x7e | sign) : uint8_t(0x7f);
  // Nearest of the finite codes 0..0x7e; ties to the even code.
  unsigned lo = 0, hi = 0x7e;
  while (hi - lo > 1) {
    unsigned mid = (lo + hi) / 2;
    if (e4m3Magnitude(mid) <= a)
      lo = mid;
    else
      hi = mid;
  }
  float dlo = a - e4m3Magnitude(lo), dhi = e4m3Magnitude(hi) - a;
  unsigned code;
  if (a >= e4m3Magnitude(hi))
    code = hi;
  else if (dlo < dhi)
    code = lo;
  else if (dhi < dlo)
    code = hi;
  else
    code = (lo % 2 == 0) ? lo : hi;
  return uint8_t(code | sign);
}

/// The value of an e2m1 code (the low 4 bits; bit 3 is the sign).
inline float e2m1ToFloat(uint8_t code) {
  static constexpr float kMagnitudes[8] = {0.0f, 0.5f, 1.0f, 1.5f,
                                           2.0f, 3.0f, 4.0f, 6.0f};
  float v = kMagnitudes[code & 7];
  return (code & 8) ? -v : v;
}

/// float -> e2m1 code: the nearest of {0, .5, 1, 1.5, 2, 3, 4, 6}, ties to the
/// even code, saturating to 6, sign kept; NaN gives a zero of its sign (the
/// format has no NaN).
inline uint8_t floatToE2M1(float x) {
  uint8_t sign = std::signbit(x) ? 8 : 0;
  if (std::isnan(x))
    return sign;
  double a = std::fabs(double(x));
  unsigned code = 7;
  if (a < 6.0) {
    unsigned lo = 0;
    while (lo < 7 && e2m1ToFloat(uint8_t(lo + 1)) <= a)
      ++lo;
    unsigned hi = lo + 1;
    // In double the distances are exact.
    double below = a - e2m1ToFloat(uint8_t(lo));
    double above = e2m1ToFloat(uint8_t(hi)) - a;
    code = below < above ? lo : above < below ? hi : (lo % 2 == 0 ? lo : hi);
  }
  return uint8_t(code | sign);
}

} // namespace tile::numerics

#endif // TILE_SUPPORT_NUMERICS_H
