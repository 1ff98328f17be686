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

#include "ConversionReference.h"
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
  rt::DeviceBuffer fp4x2 = poisoned<uint8_t>((n + 1) / 2);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return launch(rt::Dim3{uint32_t((n + 511) / 512)}, dx.address(),
                      q8sat.address(), q8.address(), back.address(),
                      fp4.address(), i8e.address(), i8z.address(),
                      i8a.address(), fp4x2.address(), n, rt::Stream());
      },
      {{q8sat, 0xff}, {q8, 0xff}, {back, 0xff}, {fp4, 0xff}, {i8e, 0xff},
       {i8z, 0xff}, {i8a, 0xff}, {fp4x2, 0xff}}));
  auto gotSat = download<uint8_t>(q8sat, n), got8 = download<uint8_t>(q8, n);
  auto gotBack = download<float>(back, n), got4 = download<float>(fp4, n);
  auto gotE = download<int8_t>(i8e, n), gotZ = download<int8_t>(i8z, n),
       gotA = download<int8_t>(i8a, n);
  auto gotPacked = download<uint8_t>(fp4x2, (n + 1) / 2);
  std::fesetround(FE_TONEAREST);
  for (int i = 0; i < n; ++i) {
    float v = x[i];
    uint8_t packed = gotPacked[i / 2] >> (4 * (i % 2)) & 15;
    ConvertedValue got{gotSat[i], got8[i], gotBack[i], got4[i],
                       gotE[i],   gotZ[i], gotA[i],    packed};
    ASSERT_EQ(firstMismatch(v, got), "")
        << path << ", x[" << i << "] = " << v << " (bits 0x" << std::hex
        << numerics::floatBits(v) << ")";
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
