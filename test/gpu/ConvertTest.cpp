//===- ConvertTest.cpp - The GPU's narrowing conversions, bit by bit ------===//
//
// kernels/examples/convert.mlir applies every narrowing conversion the
// lowering implements to the same inputs: boundary values (ties, the edges
// of each format's range, subnormals, zeros of both signs, infinities, NaN)
// and fresh random values over many binades. Both code paths run: the sm_90a
// cubin (cvt.rn.satfinite.e4m3x2.f32) and the sm_80 PTX (integer arithmetic),
// and every output must match the host reference bit for bit. The launch
// runs twice and must give the same bytes.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "tile/Support/Numerics.h"
#include "tile/aot/convert.h"
#include "tile/aot/convert_sm80.h"

#include <cfenv>
#include <cmath>
#include <limits>

using namespace tile;
using namespace tile::testing;

namespace {

/// e2m1 of x as a float, from the host model.
float e2m1Reference(float x) {
  return numerics::e2m1ToFloat(numerics::floatToE2M1(x));
}

/// Saturating float -> int8 after `round` (NaN gives 0).
template <typename Round> int8_t int8Reference(float x, Round round) {
  if (std::isnan(x))
    return 0;
  double r = round(double(x));
  return int8_t(std::clamp(r, -128.0, 127.0));
}

std::vector<float> inputs(uint32_t seed, int count) {
  std::vector<float> v = {
      0.0f, -0.0f, 1.0f, -1.0f, 448.0f, -448.0f, 449.0f, 463.99997f, 464.0f,
      464.00003f, 479.0f, 480.0f, 1e6f, -1e6f, std::ldexp(1.0f, -6),
      std::ldexp(1.0f, -9), std::ldexp(1.0f, -10), std::ldexp(3.0f, -10),
      std::ldexp(1.0f, -11), std::ldexp(1.0f, -7) * 1.0625f,
      std::numeric_limits<float>::infinity(),
      -std::numeric_limits<float>::infinity(),
      std::numeric_limits<float>::quiet_NaN(),
      -std::numeric_limits<float>::quiet_NaN(),
      std::numeric_limits<float>::denorm_min(), 0.25f, 0.75f, 1.25f, 1.75f,
      2.5f, 3.5f, 5.0f, 5.0001f, 6.0f, 7.0f, -0.25f, -2.5f, 0.5f, -0.5f, 1.5f,
      -1.5f, 126.5f, 127.5f, -127.5f, 128.5f, -128.5f, -129.0f, 300.0f};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> mantissa(-2.0f, 2.0f);
  std::uniform_int_distribution<int> exponent(-14, 10);
  while (int(v.size()) < count)
    v.push_back(std::ldexp(mantissa(rng), exponent(rng)));
  return v;
}

using Launch = decltype(&aot::convert::convert);

void checkConversions(Launch launch, const char *path) {
  const int n = 20011; // not a multiple of the 512-element block
  std::vector<float> x = inputs(freshSeed(), n);
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer q8sat = poisoned<uint8_t>(n), q8 = poisoned<uint8_t>(n);
  rt::DeviceBuffer back = poisoned<float>(n), fp4 = poisoned<float>(n);
  rt::DeviceBuffer i8e = poisoned<int8_t>(n), i8z = poisoned<int8_t>(n),
                   i8a = poisoned<int8_t>(n);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return launch(rt::Dim3{uint32_t((n + 511) / 512)}, dx.address(),
                      q8sat.address(), q8.address(), back.address(),
                      fp4.address(), i8e.address(), i8z.address(),
                      i8a.address(), n, rt::Stream());
      },
      {{q8sat, 0xff}, {q8, 0xff}, {back, 0xff}, {fp4, 0xff}, {i8e, 0xff},
       {i8z, 0xff}, {i8a, 0xff}}));
  auto gotSat = download<uint8_t>(q8sat, n), got8 = download<uint8_t>(q8, n);
  auto gotBack = download<float>(back, n), got4 = download<float>(fp4, n);
  auto gotE = download<int8_t>(i8e, n), gotZ = download<int8_t>(i8z, n),
       gotA = download<int8_t>(i8a, n);
  std::fesetround(FE_TONEAREST);
  for (int i = 0; i < n; ++i) {
    float v = x[i];
    SCOPED_TRACE(::testing::Message() << path << ", x[" << i << "] = " << v
                                      << " (bits 0x" << std::hex
                                      << numerics::floatBits(v) << ")");
    uint8_t sat = numerics::floatToE4M3(v, true);
    ASSERT_EQ(int(gotSat[i]), int(sat)) << "e4m3 saturating";
    ASSERT_EQ(int(got8[i]), int(numerics::floatToE4M3(v, false)))
        << "e4m3 non-saturating";
    float wide = numerics::e4m3ToFloat(sat);
    if (std::isnan(wide))
      ASSERT_TRUE(std::isnan(gotBack[i])) << "e4m3 -> f32 of NaN";
    else
      ASSERT_EQ(numerics::floatBits(gotBack[i]), numerics::floatBits(wide))
          << "e4m3 -> f32";
    ASSERT_EQ(numerics::floatBits(got4[i]),
              numerics::floatBits(e2m1Reference(v)))
        << "e2m1 round trip";
    ASSERT_EQ(int(gotE[i]),
              int(int8Reference(v, [](double d) { return std::nearbyint(d); })))
        << "int8, nearest even";
    ASSERT_EQ(int(gotZ[i]),
              int(int8Reference(v, [](double d) { return std::trunc(d); })))
        << "int8, toward zero";
    ASSERT_EQ(int(gotA[i]),
              int(int8Reference(v, [](double d) { return std::round(d); })))
        << "int8, half away from zero";
  }
}

TEST(Conversions, Sm90aCubinMatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  checkConversions(aot::convert::convert, "sm_90a cubin");
}

TEST(Conversions, Sm80PtxMatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  checkConversions(aot::convert_sm80::convert, "sm_80 PTX");
}

} // namespace
