//===- ExamplesTest.cpp - The example kernels on the GPU ------------------===//
//
// vector_add, row_quant and softmax, compiled ahead of time, against their
// C++ references on fresh random inputs whose sizes are not multiples of the
// block. Outputs are poisoned first; padding must stay poisoned. Every
// launch runs twice and must give the same bytes.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"
#include "References.h"

#include "tile/aot/row_quant.h"
#include "tile/aot/row_quant_sm80.h"
#include "tile/aot/softmax.h"
#include "tile/aot/vector_add.h"

#include <cmath>

using namespace tile;
using namespace tile::testing;
namespace ref = tile::kernels::examples;

namespace {

class VectorAdd : public ::testing::TestWithParam<int> {};

TEST_P(VectorAdd, MatchesReferenceAndLeavesTheTailAlone) {
  TILE_REQUIRE_GPU();
  const int n = GetParam();
  const int slack = 64; // elements past n that must stay poisoned
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  std::vector<float> x(n + slack), y(n + slack);
  for (int i = 0; i < n + slack; ++i) {
    x[i] = dist(rng);
    y[i] = dist(rng);
  }
  rt::DeviceBuffer dx = upload(x), dy = upload(y);
  rt::DeviceBuffer dout = poisoned<float>(n + slack);
  rt::Dim3 grid{uint32_t((n + 1023) / 1024)};
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::vector_add::vector_add(grid, dx.address(), dy.address(),
                                           dout.address(), n);
      },
      {{dout, 0xff}}));
  std::vector<float> out = download<float>(dout, n + slack);
  std::vector<float> expected(n);
  ref::vectorAdd(x.data(), y.data(), expected.data(), n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(numerics::floatBits(out[i]), numerics::floatBits(expected[i]))
        << "element " << i << " of " << n;
  for (int i = n; i < n + slack; ++i)
    ASSERT_EQ(numerics::floatBits(out[i]), 0xffffffffu)
        << "element " << i << " past n = " << n << " was written";
}

INSTANTIATE_TEST_SUITE_P(Sizes, VectorAdd,
                         ::testing::Values(1, 1000, 1023, 1025, 100003));

struct RowQuantCase {
  int M, K, strideX, strideQ;
};

class RowQuant : public ::testing::TestWithParam<RowQuantCase> {
protected:
  using Launch = decltype(&aot::row_quant::row_quant);
  void check(Launch launch);
};

// The sm_90a cubin: cvt.rn.satfinite.e4m3x2.f32.
TEST_P(RowQuant, MatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  check(aot::row_quant::row_quant);
}

// The sm_80 PTX: the fp8 conversion done by integer arithmetic must give the
// same codes.
TEST_P(RowQuant, Sm80CodePathMatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  check(aot::row_quant_sm80::row_quant);
}

void RowQuant::check(Launch launch) {
  const auto [M, K, strideX, strideQ] = GetParam();
  std::mt19937 rng(freshSeed());
  // Magnitudes spread over many binades, so that codes of every exponent
  // show up; row 1 (if any) is all zeros.
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-12, 8);
  std::vector<uint16_t> x(size_t(M) * strideX);
  for (auto &v : x)
    v = numerics::floatToBf16(std::ldexp(mantissa(rng), exponent(rng)));
  if (M > 1)
    for (int k = 0; k < K; ++k)
      x[size_t(1) * strideX + k] = 0;
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dq = poisoned<uint8_t>(size_t(M) * strideQ);
  rt::DeviceBuffer dscale = poisoned<float>(M);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return launch(rt::Dim3{uint32_t(M)}, dx.address(), dq.address(),
                      dscale.address(), K, strideX, strideQ, rt::Stream());
      },
      {{dq, 0xff}, {dscale, 0xff}}));
  std::vector<uint8_t> q = download<uint8_t>(dq, size_t(M) * strideQ);
  std::vector<float> scale = download<float>(dscale, M);

  std::vector<uint8_t> expectedQ(size_t(M) * strideQ, 0xff);
  std::vector<float> expectedScale(M);
  ref::rowQuant(x.data(), expectedQ.data(), expectedScale.data(), M, K, strideX,
                strideQ);
  for (int m = 0; m < M; ++m) {
    ASSERT_EQ(numerics::floatBits(scale[m]), numerics::floatBits(expectedScale[m]))
        << "scale of row " << m << ": " << scale[m] << " vs " << expectedScale[m];
    for (int k = 0; k < strideQ; ++k)
      ASSERT_EQ(int(q[size_t(m) * strideQ + k]),
                int(expectedQ[size_t(m) * strideQ + k]))
          << "q[" << m << ", " << k << "] (K = " << K << ")"
          << (k >= K ? ": padding was written" : "");
  }
  if (M > 1)
    EXPECT_EQ(scale[1], ref::kRowQuantEps / 448.0f) << "the all-zero row";
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, RowQuant,
    ::testing::Values(RowQuantCase{1, 8, 8, 16}, RowQuantCase{5, 1368, 1376, 1392},
                      RowQuantCase{3, 7168, 7168, 7168},
                      RowQuantCase{37, 4104, 4112, 4112},
                      RowQuantCase{2, 8192, 8200, 8208}));

struct SoftmaxCase {
  int M, N;
};

class Softmax : public ::testing::TestWithParam<SoftmaxCase> {};

TEST_P(Softmax, MatchesReferenceWithinTolerance) {
  TILE_REQUIRE_GPU();
  const auto [M, N] = GetParam();
  const int stride = N + 4;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-20.0f, 20.0f);
  std::vector<float> x(size_t(M) * stride);
  for (auto &v : x)
    v = dist(rng);
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dy = poisoned<float>(size_t(M) * stride);
  rt::Dim3 grid{uint32_t((M + 3) / 4)};
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::softmax::softmax(grid, dx.address(), dy.address(), M, N,
                                     stride);
      },
      {{dy, 0xff}}));
  std::vector<float> y = download<float>(dy, size_t(M) * stride);
  std::vector<double> expected(size_t(M) * N);
  ref::softmax(x.data(), expected.data(), M, N, stride);
  for (int m = 0; m < M; ++m) {
    for (int n = 0; n < N; ++n) {
      double want = expected[size_t(m) * N + n];
      float got = y[size_t(m) * stride + n];
      // ex2.approx is within 2 ulp; the sum adds a few more.
      ASSERT_NEAR(got, want, 1e-5 * want + 1e-9)
          << "y[" << m << ", " << n << "] (M = " << M << ", N = " << N << ")";
    }
    for (int n = N; n < stride; ++n)
      ASSERT_EQ(numerics::floatBits(y[size_t(m) * stride + n]), 0xffffffffu)
          << "padding y[" << m << ", " << n << "] was written";
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, Softmax,
                         ::testing::Values(SoftmaxCase{1, 4}, SoftmaxCase{5, 100},
                                           SoftmaxCase{37, 1000},
                                           SoftmaxCase{6, 1024}));

} // namespace
