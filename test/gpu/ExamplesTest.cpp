//===- ExamplesTest.cpp - The example kernels on the GPU ------------------===//
//
// vector_add, row_quant, softmax, matmul and transpose, compiled ahead of time, against their
// C++ references on fresh random inputs whose sizes are not multiples of the
// block. Outputs are poisoned first; padding must stay poisoned. Every
// launch runs twice and must give the same bytes.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"
#include "MatmulReference.h"
#include "References.h"

#include "tile/aot/convert_layouts.h"
#include "tile/aot/copy.h"
#include "tile/aot/matmul.h"
#include "tile/aot/matmul_sm80.h"
#include "tile/aot/row_quant.h"
#include "tile/aot/row_quant_sm80.h"
#include "tile/aot/softmax.h"
#include "tile/aot/transpose.h"
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

// The AOT header's <kernel>_on_stream launches on a CUstream the caller owns
// (here one tile::rt made, passed by handle, as PyTorch's would be): the
// work is on that stream, and the stream outlives the call.
TEST(VectorAddOnCallersStream, RunsOnTheGivenStream) {
  TILE_REQUIRE_GPU();
  const int n = 5000;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = dist(rng);
    y[i] = dist(rng);
  }
  rt::DeviceBuffer dx = upload(x), dy = upload(y);
  rt::DeviceBuffer dout = poisoned<float>(n);
  auto stream = rt::Stream::create();
  ASSERT_TRUE(stream.isOk()) << stream.status().str();
  rt::Dim3 grid{uint32_t((n + 1023) / 1024)};
  for (int launch = 0; launch < 2; ++launch) {
    rt::Status s = aot::vector_add::vector_add_on_stream(
        grid, dx.address(), dy.address(), dout.address(), n,
        stream->handle());
    ASSERT_TRUE(s.isOk()) << s.str();
  }
  ASSERT_TRUE(stream->synchronize().isOk());
  std::vector<float> out = download<float>(dout, n);
  std::vector<float> expected(n);
  ref::vectorAdd(x.data(), y.data(), expected.data(), n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(numerics::floatBits(out[i]), numerics::floatBits(expected[i]))
        << "element " << i;
}

// Programmatic dependent launch: a chain of vector_adds on a stream that lets
// each launch start while the one before it runs, each reading the buffer
// the previous one wrote and writing the one it read (ping-pong). Every
// kernel waits for its predecessor (griddepcontrol.wait) before it touches
// memory, so the chain computes exactly what it computes without overlap:
// x_{i+1} = x_i + y, every element bit for bit. Multi-wave grids (4 Mi
// elements), so that a missing wait would read stale data.
TEST(ProgrammaticLaunch, ChainedKernelsSeeTheirPredecessorsWrites) {
  TILE_REQUIRE_GPU();
  const auto &kernel = aot::vector_add::vector_add_kernel();
  ASSERT_TRUE(kernel.isOk()) << kernel.status().str();
  EXPECT_TRUE(kernel->waitsForPrerequisites());
  // sm_80 code has no griddepcontrol: it is never launched overlapped.
  const auto &sm80 = aot::row_quant_sm80::row_quant_kernel();
  ASSERT_TRUE(sm80.isOk()) << sm80.status().str();
  EXPECT_FALSE(sm80->waitsForPrerequisites());

  const int n = (1 << 22) + 77, chain = 24;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = dist(rng);
    y[i] = dist(rng);
  }
  rt::DeviceBuffer dy = upload(y);
  rt::DeviceBuffer ping = upload(x), pong = poisoned<float>(n);
  auto stream = rt::Stream::create();
  ASSERT_TRUE(stream.isOk()) << stream.status().str();
  stream->setProgrammaticLaunch(true);
  rt::Dim3 grid{uint32_t((n + 1023) / 1024)};
  for (int i = 0; i < chain; ++i) {
    const rt::DeviceBuffer &in = i % 2 ? pong : ping;
    const rt::DeviceBuffer &out = i % 2 ? ping : pong;
    rt::Status s = aot::vector_add::vector_add(grid, in.address(), dy.address(),
                                               out.address(), n, *stream);
    ASSERT_TRUE(s.isOk()) << s.str();
  }
  ASSERT_TRUE(stream->synchronize().isOk());
  std::vector<float> out = download<float>(chain % 2 ? pong : ping, n);
  std::vector<float> expected = x;
  for (int i = 0; i < chain; ++i)
    ref::vectorAdd(expected.data(), y.data(), expected.data(), n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(numerics::floatBits(out[i]), numerics::floatBits(expected[i]))
        << "element " << i << " after " << chain << " chained launches";
}

// copy.mlir: dst = src over n words (n a multiple of 4), one 512-word tile
// a program, the last masked: every word bit for bit, nothing past n
// written.
class Copy : public ::testing::TestWithParam<int> {};

TEST_P(Copy, CopiesEveryWordAndNothingPastN) {
  TILE_REQUIRE_GPU();
  const int n = GetParam(), slack = 64;
  std::mt19937 rng(freshSeed());
  std::vector<uint32_t> src(n + slack);
  for (uint32_t &w : src)
    w = uint32_t(rng());
  rt::DeviceBuffer dsrc = upload(src);
  rt::DeviceBuffer ddst = poisoned<uint32_t>(n + slack);
  rt::Dim3 grid{uint32_t((n + 511) / 512)};
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::copy::copy(grid, dsrc.address(), ddst.address(), n);
      },
      {{ddst, 0xff}}));
  std::vector<uint32_t> dst = download<uint32_t>(ddst, n + slack);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(dst[i], src[i]) << "word " << i << " of " << n;
  for (int i = n; i < n + slack; ++i)
    ASSERT_EQ(dst[i], 0xffffffffu) << "word " << i << " past n = " << n
                                   << " was written";
}

INSTANTIATE_TEST_SUITE_P(Sizes, Copy,
                         ::testing::Values(4, 508, 512, 516, 4096, 100004));

INSTANTIATE_TEST_SUITE_P(Sizes, VectorAdd,
                         ::testing::Values(1, 1000, 1023, 1025, 100003));

/// convert_layouts.mlir: y = x through a hand-written layout conversion,
/// by warp shuffles (32 x 32 tiles) and by renaming registers (2 x 256
/// tiles); every element bit for bit, nothing past the tiles written.
TEST(ConvertLayouts, ShufflesAndRegisterRenamesMoveEveryElement) {
  TILE_REQUIRE_GPU();
  using Launch = decltype(&aot::convert_layouts::shuffle_lanes);
  struct Case {
    const char *name;
    Launch launch;
    int tileElements;
  };
  const Case cases[] = {
      {"shuffle_lanes", aot::convert_layouts::shuffle_lanes, 32 * 32},
      {"permute_registers", aot::convert_layouts::permute_registers, 2 * 256}};
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    const int programs = 7, slack = 64;
    const size_t n = size_t(programs) * c.tileElements;
    std::mt19937 rng(freshSeed());
    std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
    std::vector<float> x(n);
    for (float &v : x)
      v = dist(rng);
    rt::DeviceBuffer dx = upload(x);
    rt::DeviceBuffer dy = poisoned<float>(n + slack);
    ASSERT_NO_FATAL_FAILURE(launchTwice(
        [&] {
          return c.launch(rt::Dim3{uint32_t(programs)}, dx.address(),
                          dy.address(), rt::Stream());
        },
        {{dy, 0xff}}));
    std::vector<float> y = download<float>(dy, n + slack);
    for (size_t i = 0; i < n; ++i)
      ASSERT_EQ(numerics::floatBits(y[i]), numerics::floatBits(x[i]))
          << "element " << i;
    for (size_t i = n; i < y.size(); ++i)
      ASSERT_EQ(numerics::floatBits(y[i]), 0xffffffffu)
          << "element " << i << " past the tiles was written";
  }
}

/// transpose.mlir: y (N x M) = x^T for x M x N, M and N multiples of 4; every
/// element of y checked bit for bit, and y's slack past N x M untouched.
class Transpose : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(Transpose, EveryElementMovesAndNothingElse) {
  TILE_REQUIRE_GPU();
  const auto [M, N] = GetParam();
  const int slack = 64;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  std::vector<float> x(size_t(M) * N);
  for (float &v : x)
    v = dist(rng);
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dy = poisoned<float>(size_t(M) * N + slack);
  rt::Dim3 grid{uint32_t(((M + 63) / 64) * ((N + 63) / 64))};
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::transpose::transpose(grid, dx.address(), dy.address(), M,
                                         N);
      },
      {{dy, 0xff}}));
  std::vector<float> y = download<float>(dy, size_t(M) * N + slack);
  for (int c = 0; c < N; ++c)
    for (int r = 0; r < M; ++r)
      ASSERT_EQ(numerics::floatBits(y[size_t(c) * M + r]),
                numerics::floatBits(x[size_t(r) * N + c]))
          << "y[" << c << ", " << r << "] of " << M << " x " << N;
  for (size_t i = size_t(M) * N; i < y.size(); ++i)
    ASSERT_EQ(numerics::floatBits(y[i]), 0xffffffffu)
        << "element " << i << " past y was written";
}

INSTANTIATE_TEST_SUITE_P(Shapes, Transpose,
                         ::testing::Values(std::pair{64, 64}, std::pair{4, 4},
                                           std::pair{68, 132},
                                           std::pair{1000, 36},
                                           std::pair{128, 1024}));

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

struct MatmulCase {
  int M, N, K;
};

class Matmul : public ::testing::TestWithParam<MatmulCase> {
protected:
  using Launch = decltype(&aot::matmul::matmul);
  /// Runs matmul.mlir (the sm_90a cubin, or `launch`) on operands drawn by
  /// `draw` (f16 bits) and returns c (M x ldc) after checking that its
  /// padding stayed poisoned.
  std::vector<float> run(const std::function<uint16_t()> &draw, int lda,
                         int ldb, int ldc, std::vector<uint16_t> &a,
                         std::vector<uint16_t> &b,
                         Launch launch = aot::matmul::matmul);
  void checkIntegerValued(Launch launch);
};

std::vector<float> Matmul::run(const std::function<uint16_t()> &draw, int lda,
                               int ldb, int ldc, std::vector<uint16_t> &a,
                               std::vector<uint16_t> &b, Launch launch) {
  const auto [M, N, K] = GetParam();
  a.assign(size_t(M) * lda, 0);
  b.assign(size_t(K) * ldb, 0);
  for (auto &v : a)
    v = draw();
  for (auto &v : b)
    v = draw();
  rt::DeviceBuffer da = upload(a), db = upload(b);
  rt::DeviceBuffer dc = poisoned<float>(size_t(M) * ldc);
  rt::Dim3 grid{uint32_t((N + 63) / 64), uint32_t((M + 63) / 64)};
  launchTwice(
      [&] {
        return launch(grid, da.address(), db.address(), dc.address(), M, N,
                      K, lda, ldb, ldc, rt::Stream());
      },
      {{dc, 0xff}});
  std::vector<float> c = download<float>(dc, size_t(M) * ldc);
  for (int m = 0; m < M; ++m)
    for (int n = N; n < ldc; ++n)
      EXPECT_EQ(numerics::floatBits(c[size_t(m) * ldc + n]), 0xffffffffu)
          << "padding c[" << m << ", " << n << "] was written";
  return c;
}

// Small integers: every product and partial sum is an integer below 2^24,
// exact in f32 in any order, so the tensor cores must match bit for bit.
TEST_P(Matmul, IntegerValuedOperandsExactly) {
  TILE_REQUIRE_GPU();
  checkIntegerValued(aot::matmul::matmul);
}

// The sm_80 PTX (mma.sync is Ampere's), compiled by the driver for this GPU.
TEST_P(Matmul, Sm80IntegerValuedOperandsExactly) {
  TILE_REQUIRE_GPU();
  checkIntegerValued(aot::matmul_sm80::matmul);
}

void Matmul::checkIntegerValued(Launch launch) {
  const auto [M, N, K] = GetParam();
  std::mt19937 rng(freshSeed());
  std::uniform_int_distribution<int> dist(-8, 8);
  std::vector<uint16_t> a, b;
  std::vector<float> c =
      run([&] { return numerics::floatToF16(float(dist(rng))); }, K + 8, N + 8,
          N + 4, a, b, launch);
  if (::testing::Test::HasFailure())
    return;
  std::vector<double> expected(size_t(M) * N);
  tile::kernels::matmulReference({}, a.data(), b.data(), expected.data(), M, N,
                                 K, K + 8, N + 8);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n)
      ASSERT_EQ(c[size_t(m) * (N + 4) + n], float(expected[size_t(m) * N + n]))
          << "c[" << m << ", " << n << "] (M = " << M << ", N = " << N
          << ", K = " << K << ")";
}

// Real values: within f32 rounding of the exact sum (the tensor core's
// order of additions is unspecified).
TEST_P(Matmul, RealOperandsWithinRounding) {
  TILE_REQUIRE_GPU();
  const auto [M, N, K] = GetParam();
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  std::vector<uint16_t> a, b;
  std::vector<float> c = run([&] { return numerics::floatToF16(dist(rng)); },
                             K, N, N, a, b);
  if (::testing::Test::HasFailure())
    return;
  std::vector<double> expected(size_t(M) * N);
  tile::kernels::matmulReference({}, a.data(), b.data(), expected.data(), M, N,
                                 K, K, N);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      double magnitude = 0;
      for (int k = 0; k < K; ++k)
        magnitude += std::abs(
            tile::kernels::matmulOperand({}, a.data(), size_t(m) * K + k) *
            tile::kernels::matmulOperand({}, b.data(), size_t(k) * N + n));
      ASSERT_NEAR(c[size_t(m) * N + n], expected[size_t(m) * N + n],
                  K * 0x1p-23 * magnitude + 1e-30)
          << "c[" << m << ", " << n << "] (M = " << M << ", N = " << N
          << ", K = " << K << ")";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Matmul,
    ::testing::Values(MatmulCase{64, 64, 32}, MatmulCase{1, 1, 1},
                      MatmulCase{1, 4096, 64}, MatmulCase{65, 63, 33},
                      MatmulCase{130, 200, 100}, MatmulCase{256, 192, 1000},
                      MatmulCase{17, 300, 2048}));

} // namespace
