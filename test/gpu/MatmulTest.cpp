//===- MatmulTest.cpp - The DSL matmul on the tensor cores ----------------===//
//
// Every AOT variant of kernels/gemm/Matmul.cpp (each operand and accumulator
// type, warp arrangements from all-along-N to all-along-M, the sm_80 PTX)
// against the exact reference, on fresh random inputs and shapes that are
// not multiples of the tile. Operands are drawn so that every order of
// additions gives the exact sum (integers small enough for the accumulator's
// significand; int8 over its whole range, exact modulo 2^32), so the tensor
// cores must match bit for bit; float operands with real values are also
// checked within rounding. c's padding columns must stay poisoned.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"
#include "MatmulParams.h"
#include "MatmulReference.h"

#include "tile/aot/mm_bf16_f32.h"
#include "tile/aot/mm_f16_f16.h"
#include "tile/aot/mm_f16_f32.h"
#include "tile/aot/mm_f16_f32_128x128w8.h"
#include "tile/aot/mm_f16_f32_16x256.h"
#include "tile/aot/mm_i8_f16exact.h"
#include "tile/aot/mm_i8_native.h"
#include "tile/aot/mm_i8_native_128x16w8.h"
#include "tile/aot/mm_i8_native_sm80.h"
#include "tile/aot/mm_f16_f32_128x128w8_d8.h"
#include "tile/aot/mm_f16_f16_d8.h"
#include "tile/aot/mm_bf16_f32_d8.h"
#include "tile/aot/mm_i8_native_d16.h"
#include "tile/aot/mm_f16_f32_nk_d8.h"
#include "tile/aot/mm_i8_f16exact_nk_d16.h"
#include "tile/aot/mm_i8_native_nk.h"
#include "tile/aot/mm_i8_native_nk_128x128x64w8_d16.h"
#include "tile/aot/mm_i8_native_nk_d16.h"
#include "tile/aot/mm_i8_f16exact_d16.h"
#include "tile/aot/mm_i8_f16exact_k1024.h"
#include "tile/aot/mm_f16_f32_128x128x64w8_d8.h"
#include "tile/aot/mm_f16_f32_128x128w8_s4_d8.h"
#include "tile/aot/mm_f16_f32_256x128w8_d8.h"
#include "tile/aot/mm_f16_f32_256x128x64w8_d8.h"
#include "tile/aot/mm_i8_native_k1024.h"
#include "tile/aot/mm_f16_f32_128x128w8_s4_d8_afterdot.h"
#include "tile/aot/mm_i8_f16exact_nk_128x128x64w8_d16_afterdot.h"
#include "tile/aot/mm_i8_native_nk_128x128x64w8_d16_wg.h"
#include "tile/aot/mm_i8_native_nk_128x256x128w8_d16_wg.h"
#include "tile/aot/mm_f16_f32_nk_128x128x64w4_d8_wg.h"
#include "tile/aot/mm_bf16_f32_nk_64x64x16_d8_wg.h"
#include "tile/aot/mm_i8_native_nk_wg.h"

#include <cmath>
#include <cstring>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using Launch = decltype(&aot::mm_f16_f32::matmul);

struct Variant {
  const char *name;
  Launch launch;
  std::map<std::string, std::string> params; // the variant's PARAMS (the rest default)
};

const Variant kVariants[] = {
    {"f16_f32", aot::mm_f16_f32::matmul, {}},
    {"f16_f16", aot::mm_f16_f16::matmul, {{"acc", "f16"}}},
    {"bf16_f32", aot::mm_bf16_f32::matmul, {{"a", "bf16"}}},
    {"i8_native", aot::mm_i8_native::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"}, {"block_k", "64"}}},
    {"i8_f16exact", aot::mm_i8_f16exact::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "f16_exact"}, {"block_k", "64"}}},
    {"f16_f32_128x128w8", aot::mm_f16_f32_128x128w8::matmul,
     {{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"}}},
    {"f16_f32_16x256", aot::mm_f16_f32_16x256::matmul,
     {{"block_m", "16"}, {"block_n", "256"}}},
    {"i8_native_128x16w8", aot::mm_i8_native_128x16w8::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"}, {"block_m", "128"},
      {"block_n", "16"}, {"num_warps", "8"}}},
    {"i8_native_sm80", aot::mm_i8_native_sm80::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"}}},
    {"f16_f32_128x128w8_d8", aot::mm_f16_f32_128x128w8_d8::matmul,
     {{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"},
      {"divisibility", "8"}}},
    {"f16_f16_d8", aot::mm_f16_f16_d8::matmul,
     {{"acc", "f16"}, {"divisibility", "8"}}},
    {"bf16_f32_d8", aot::mm_bf16_f32_d8::matmul,
     {{"a", "bf16"}, {"divisibility", "8"}}},
    {"i8_native_d16", aot::mm_i8_native_d16::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"}, {"block_k", "64"},
      {"divisibility", "16"}}},
    {"i8_f16exact_d16", aot::mm_i8_f16exact_d16::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "f16_exact"}, {"block_k", "64"},
      {"divisibility", "16"}}},
    {"f16_f32_128x128x64w8_d8", aot::mm_f16_f32_128x128x64w8_d8::matmul,
     {{"block_m", "128"}, {"block_n", "128"}, {"block_k", "64"},
      {"num_warps", "8"}, {"divisibility", "8"}}},
    {"f16_f32_128x128w8_s4_d8", aot::mm_f16_f32_128x128w8_s4_d8::matmul,
     {{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"},
      {"num_stages", "4"}, {"divisibility", "8"}}},
    {"f16_f32_256x128w8_d8", aot::mm_f16_f32_256x128w8_d8::matmul,
     {{"block_m", "256"}, {"block_n", "128"}, {"num_warps", "8"},
      {"divisibility", "8"}}},
    {"f16_f32_256x128x64w8_d8", aot::mm_f16_f32_256x128x64w8_d8::matmul,
     {{"block_m", "256"}, {"block_n", "128"}, {"block_k", "64"},
      {"num_warps", "8"}, {"divisibility", "8"}}},
    // b given as N rows of K (K-major): 16-byte pipelined copies of 8-bit b.
    {"i8_native_nk_d16", aot::mm_i8_native_nk_d16::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"}, {"block_k", "64"},
      {"divisibility", "16"}, {"b_layout", "nk"}}},
    {"i8_f16exact_nk_d16", aot::mm_i8_f16exact_nk_d16::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "f16_exact"},
      {"block_k", "64"}, {"divisibility", "16"}, {"b_layout", "nk"}}},
    {"i8_native_nk_128x128x64w8_d16",
     aot::mm_i8_native_nk_128x128x64w8_d16::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"},
      {"block_m", "128"}, {"block_n", "128"}, {"block_k", "64"},
      {"num_warps", "8"}, {"divisibility", "16"}, {"b_layout", "nk"}}},
    {"f16_f32_nk_d8", aot::mm_f16_f32_nk_d8::matmul,
     {{"divisibility", "8"}, {"b_layout", "nk"}}},
    {"i8_native_nk", aot::mm_i8_native_nk::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"}, {"block_k", "64"},
      {"b_layout", "nk"}}},
    // The pipelined K loop's copies issued after the dot (copies_at).
    {"f16_f32_128x128w8_s4_d8_afterdot",
     aot::mm_f16_f32_128x128w8_s4_d8_afterdot::matmul,
     {{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"},
      {"num_stages", "4"}, {"divisibility", "8"},
      {"copies_at", "after_first_dot"}}},
    {"i8_f16exact_nk_128x128x64w8_d16_afterdot",
     aot::mm_i8_f16exact_nk_128x128x64w8_d16_afterdot::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "f16_exact"},
      {"block_m", "128"}, {"block_n", "128"}, {"block_k", "64"},
      {"num_warps", "8"}, {"divisibility", "16"}, {"b_layout", "nk"},
      {"copies_at", "after_first_dot"}}},
    // wgmma (mma=warpgroup): the 64- and 128-byte swizzles for int8, 128 and
    // 32 for 16-bit operands, 1 and 2 warpgroups, and a tile that falls back
    // to mma.sync (no 16-byte copies without divisibility).
    {"i8_native_nk_128x128x64w8_d16_wg",
     aot::mm_i8_native_nk_128x128x64w8_d16_wg::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"},
      {"block_m", "128"}, {"block_n", "128"}, {"block_k", "64"},
      {"num_warps", "8"}, {"divisibility", "16"}, {"b_layout", "nk"},
      {"mma", "warpgroup"}}},
    {"i8_native_nk_128x256x128w8_d16_wg",
     aot::mm_i8_native_nk_128x256x128w8_d16_wg::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"},
      {"block_m", "128"}, {"block_n", "256"}, {"block_k", "128"},
      {"num_warps", "8"}, {"divisibility", "16"}, {"b_layout", "nk"},
      {"mma", "warpgroup"}}},
    {"f16_f32_nk_128x128x64w4_d8_wg",
     aot::mm_f16_f32_nk_128x128x64w4_d8_wg::matmul,
     {{"block_m", "128"}, {"block_n", "128"}, {"block_k", "64"},
      {"num_warps", "4"}, {"divisibility", "8"}, {"b_layout", "nk"},
      {"mma", "warpgroup"}}},
    {"bf16_f32_nk_64x64x16_d8_wg", aot::mm_bf16_f32_nk_64x64x16_d8_wg::matmul,
     {{"a", "bf16"}, {"block_m", "64"}, {"block_n", "64"}, {"block_k", "16"},
      {"divisibility", "8"}, {"b_layout", "nk"}, {"mma", "warpgroup"}}},
    {"i8_native_nk_wg", aot::mm_i8_native_nk_wg::matmul,
     {{"a", "int8"}, {"acc", "i32"}, {"precision", "native"}, {"block_k", "64"},
      {"b_layout", "nk"}, {"mma", "warpgroup"}}},
};

struct Shape {
  int M, N, K;
};

const Shape kShapes[] = {{1, 1, 1},       {64, 64, 64},    {65, 63, 33},
                         {130, 200, 100}, {17, 300, 1000}, {256, 192, 512},
                         {1, 2880, 320},  {33, 48, 80},    {200, 136, 2064}};

using Case = std::tuple<int, int>; // variant, shape

class MatmulGpu : public ::testing::TestWithParam<Case> {
protected:
  const Variant &variant() const { return kVariants[std::get<0>(GetParam())]; }
  Shape shape() const { return kShapes[std::get<1>(GetParam())]; }
  MatmulSpec spec() const { return specFrom(matmulParams(), variant().params); }
  /// Runs the variant on operands from `draw` (one element's bits, in the
  /// operand type's width) and checks c against the reference: bit for bit,
  /// or within `tolerance` (relative to sum |a||b|) when positive.
  void check(const std::function<uint16_t()> &draw, double tolerance);
};

void MatmulGpu::check(const std::function<uint16_t()> &draw, double tolerance) {
  const MatmulSpec s = spec();
  const auto [M, N, K] = shape();
  // Padded rows, as wide as the variant's divisibility allows.
  const int d = s.divisibility;
  auto roundUp = [&](int v) { return (v + d - 1) / d * d; };
  const bool bKn = s.bLayout == MatmulBLayout::KN;
  const int lda = roundUp(K + 8), ldb = roundUp((bKn ? N : K) + 16),
            ldc = roundUp(N + 4);
  const int ob = operandBytes(s), cb = accBytes(s);
  std::vector<uint8_t> a(size_t(M) * lda * ob),
      b(size_t(bKn ? K : N) * ldb * ob);
  auto fill = [&](std::vector<uint8_t> &buffer) {
    for (size_t i = 0; i < buffer.size() / ob; ++i) {
      uint16_t v = draw();
      std::memcpy(buffer.data() + i * ob, &v, ob);
    }
  };
  fill(a);
  fill(b);
  rt::DeviceBuffer da = upload(a), db = upload(b);
  rt::DeviceBuffer dc = poisoned<uint8_t>(size_t(M) * ldc * cb);
  const uint32_t grid = uint32_t(matmulGrid(s, M, N));
  if (K % d != 0 || N % d != 0) {
    // The variant assumes d divides K and N: the launch must refuse.
    rt::Status status = variant().launch(rt::Dim3{grid}, da.address(),
                                         db.address(), dc.address(), M, N, K,
                                         lda, ldb, ldc, rt::Stream());
    EXPECT_EQ(status.name(), "TILE_BAD_ARGUMENTS")
        << variant().name << " took K = " << K << ", N = " << N
        << " with divisibility " << d << ": " << status.str();
    return;
  }
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return variant().launch(rt::Dim3{grid}, da.address(),
                                db.address(), dc.address(), M, N, K, lda, ldb,
                                ldc, rt::Stream());
      },
      {{dc, 0xff}}));
  std::vector<uint8_t> c = download<uint8_t>(dc, size_t(M) * ldc * cb);
  std::vector<double> expected(size_t(M) * N);
  matmulReference(s, a.data(), b.data(), expected.data(), M, N, K, lda, ldb);
  for (int m = 0; m < M; ++m) {
    for (int n = 0; n < N; ++n) {
      double want = expected[size_t(m) * N + n];
      double got = matmulResult(s, c.data(), size_t(m) * ldc + n);
      if (tolerance <= 0) {
        ASSERT_EQ(got, want) << variant().name << ": c[" << m << ", " << n
                             << "] (M = " << M << ", N = " << N
                             << ", K = " << K << ")";
        continue;
      }
      double magnitude = 0;
      for (int k = 0; k < K; ++k)
        magnitude += std::abs(matmulOperand(s, a.data(), size_t(m) * lda + k) *
                              matmulOperand(s, b.data(),
                                            matmulBIndex(s, k, n, ldb)));
      ASSERT_NEAR(got, want, tolerance * magnitude + 1e-30)
          << variant().name << ": c[" << m << ", " << n << "] (M = " << M
          << ", N = " << N << ", K = " << K << ")";
    }
    for (int n = N; n < ldc; ++n)
      for (int i = 0; i < cb; ++i)
        ASSERT_EQ(c[(size_t(m) * ldc + n) * cb + i], 0xff)
            << variant().name << ": padding c[" << m << ", " << n
            << "] was written";
  }
}

TEST_P(MatmulGpu, ExactOperandsBitExactly) {
  TILE_REQUIRE_GPU();
  const MatmulSpec s = spec();
  std::mt19937 rng(freshSeed());
  // int8: the whole range, -128 included (exact modulo 2^32 in any order).
  // Floats: integers whose every partial sum the accumulator holds exactly:
  // f32 and bf16 products of |v| <= 8 over K <= 1000; an f16 accumulator's
  // 11-bit significand needs |v| <= 1 (|sum| <= 1000 < 2048).
  const bool i8 = s.operands == MatmulOperands::I8;
  const bool bf16 = s.operands == MatmulOperands::BF16;
  const int bound = i8 ? 128 : s.acc == MatmulAcc::F16 ? 1 : 8;
  std::uniform_int_distribution<int> dist(-bound, i8 ? 127 : bound);
  check(
      [&]() -> uint16_t {
        int v = dist(rng);
        if (i8)
          return uint8_t(int8_t(v));
        return bf16 ? numerics::floatToBf16(float(v))
                    : numerics::floatToF16(float(v));
      },
      0);
}

TEST_P(MatmulGpu, RealOperandsWithinRounding) {
  TILE_REQUIRE_GPU();
  const MatmulSpec s = spec();
  if (s.operands == MatmulOperands::I8)
    GTEST_SKIP() << "int8 products are exact: covered bit for bit";
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  bool bf16 = s.operands == MatmulOperands::BF16;
  // f32 accumulation: K roundings of 2^-24 relative each at most; an f16
  // accumulator rounds to 2^-11 each step.
  double tolerance = shape().K * (s.acc == MatmulAcc::F16 ? 0x1p-11 : 0x1p-23);
  check(
      [&] {
        float v = dist(rng);
        return bf16 ? numerics::floatToBf16(v) : numerics::floatToF16(v);
      },
      tolerance);
}

std::string caseName(const ::testing::TestParamInfo<Case> &info) {
  const Shape s = kShapes[std::get<1>(info.param)];
  return std::string(kVariants[std::get<0>(info.param)].name) + "_" +
         std::to_string(s.M) + "x" + std::to_string(s.N) + "x" +
         std::to_string(s.K);
}

// KERNELS.md section 5: f16_exact is exact while a chain holds at most 1024
// int8 products (partial sums up to 1024 * 2^14 = 2^24), and must give the
// same int32 dots as native. Adversarial operands at the bound: every
// product +-16384 or +-16129, signs that cancel, each dot one chain of
// exactly 1024 (block_k = 1024), two chains summed in int32 for K = 2048.
struct AdversarialCase {
  const char *name;
  std::function<int(int m, int k)> a;
  std::function<int(int k, int n)> b;
};

TEST(MatmulGpuExactness, F16ExactEqualsNativeAtTheChainBound) {
  TILE_REQUIRE_GPU();
  std::mt19937 rng(freshSeed());
  std::uniform_int_distribution<int> coin(0, 1);
  std::vector<int> randomSigns(2048 * 64);
  for (int &v : randomSigns)
    v = coin(rng) ? 127 : -128;
  const AdversarialCase cases[] = {
      {"all -128 x -128 (sum 2^24)", [](int, int) { return -128; },
       [](int, int) { return -128; }},
      {"-128 x 127", [](int, int) { return -128; }, [](int, int) { return 127; }},
      {"127 x 127", [](int, int) { return 127; }, [](int, int) { return 127; }},
      {"alternating signs that cancel", [](int, int k) { return k % 2 ? 127 : -128; },
       [](int, int) { return -128; }},
      {"half the chain up, half down",
       [](int, int k) { return (k % 1024) < 512 ? -128 : 127; },
       [](int, int n) { return n % 2 ? 127 : -128; }},
      {"random -128 / 127", [&](int m, int k) { return randomSigns[(m * 2048 + k) % randomSigns.size()]; },
       [&](int k, int n) { return randomSigns[(n * 2048 + k + 7) % randomSigns.size()]; }},
  };
  MatmulSpec native, exact;
  native.operands = exact.operands = MatmulOperands::I8;
  native.acc = exact.acc = MatmulAcc::I32;
  native.precision = MatmulPrecision::Native;
  exact.precision = MatmulPrecision::F16Exact;
  native.blockM = native.blockN = exact.blockM = exact.blockN = 16;
  native.blockK = exact.blockK = 1024;
  for (int K : {1024, 2048})
    for (const AdversarialCase &c : cases) {
      const int M = 32, N = 48;
      std::vector<uint8_t> a(size_t(M) * K), b(size_t(K) * N);
      for (int m = 0; m < M; ++m)
        for (int k = 0; k < K; ++k)
          a[size_t(m) * K + k] = uint8_t(int8_t(c.a(m, k)));
      for (int k = 0; k < K; ++k)
        for (int n = 0; n < N; ++n)
          b[size_t(k) * N + n] = uint8_t(int8_t(c.b(k, n)));
      std::vector<double> expected(size_t(M) * N);
      matmulReference(native, a.data(), b.data(), expected.data(), M, N, K, K, N);
      rt::DeviceBuffer da = upload(a), db = upload(b);
      for (auto [spec, launch] :
           {std::pair{native, aot::mm_i8_native_k1024::matmul},
            std::pair{exact, aot::mm_i8_f16exact_k1024::matmul}}) {
        rt::DeviceBuffer dc = poisoned<int32_t>(size_t(M) * N);
        ASSERT_NO_FATAL_FAILURE(launchTwice(
            [&] {
              return launch(rt::Dim3{uint32_t(matmulGrid(spec, M, N))},
                            da.address(), db.address(), dc.address(), M, N, K,
                            K, N, N, rt::Stream());
            },
            {{dc, 0xff}}));
        std::vector<int32_t> got = download<int32_t>(dc, size_t(M) * N);
        for (size_t i = 0; i < got.size(); ++i)
          ASSERT_EQ(double(got[i]), expected[i])
              << c.name << ", K = " << K << ", "
              << (spec.precision == MatmulPrecision::Native ? "native"
                                                            : "f16_exact")
              << ": c[" << i / N << ", " << i % N << "]";
      }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Variants, MatmulGpu,
    ::testing::Combine(::testing::Range(0, int(std::size(kVariants))),
                       ::testing::Range(0, int(std::size(kShapes)))),
    caseName);

} // namespace
