//===- TokenQuantTest.cpp - token_quant on the GPU against its reference --===//
//
// Whole rows of K (a multiple of the variant's k_divisibility, up to its
// block, or any length with loop_k) on fresh random inputs with strided rows
// (odd ones with k_divisibility 1), all-zero rows and M not a multiple of
// the rows per program; bit-exact codes and scales, padding left alone. The
// edge values (NaN, inf, +-448, zeros) in a whole row and through loop_k's
// chunks. Every launch runs twice and must give the same bytes.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "TokenQuantSpec.h"

#include "tile/aot/tq_bf16_fp8_1024t512_r2w4.h"
#include "tile/aot/tq_bf16_fp8_1024t512_r2w4_kdiv1.h"
#include "tile/aot/tq_bf16_fp8_1024t512_r2w4_kdiv2.h"
#include "tile/aot/tq_bf16_fp8_1024t512_r4w4.h"
#include "tile/aot/tq_bf16_fp8_2048.h"
#include "tile/aot/tq_bf16_fp8_4096.h"
#include "tile/aot/tq_bf16_fp8_8192.h"
#include "tile/aot/tq_bf16_fp8_loop4096.h"
#include "tile/aot/tq_bf16_fp8_loop4096_kdiv1.h"
#include "tile/aot/tq_bf16_fp8_loop8192_w16.h"
#include "tile/aot/tq_bf16_fp8_loop8192_w16_kdiv1.h"
#include "tile/aot/tq_f32_int8_ue8m0_4096t2048.h"
#include "tile/aot/tq_f32_int8_ue8m0_512_r4.h"
#include "tile/aot/tq_f32_int8_ue8m0_loop2048_r2.h"
#include "tile/aot/tq_fp16_fp8_16384.h"

#include <cmath>
#include <limits>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using Launch = decltype(&aot::tq_bf16_fp8_2048::token_quant);

struct Case {
  const char *name;
  Launch launch;
  TokenQuantSpec spec;
  int M, K, pad;
  /// q's row stride is K + qPad; -1: the same as x's (K + pad).
  int qPad = -1;
};

TokenQuantSpec make(InType in, OutType out, bool ue8m0, int blockK, int rpp,
                    int kdiv) {
  TokenQuantSpec s;
  s.in = in;
  s.out = out;
  s.ue8m0 = ue8m0;
  s.blockK = blockK;
  s.rowsPerProgram = rpp;
  s.kDivisibility = kdiv;
  return s;
}

const TokenQuantSpec kBf16_2048 = make(InType::BF16, OutType::FP8, false, 2048, 1, 8);
const TokenQuantSpec kBf16_4096 = make(InType::BF16, OutType::FP8, false, 4096, 1, 8);
const TokenQuantSpec kBf16_8192 = make(InType::BF16, OutType::FP8, false, 8192, 1, 8);
const TokenQuantSpec kF32_512 = make(InType::F32, OutType::INT8, true, 512, 4, 4);
const TokenQuantSpec kF16_16384 = make(InType::F16, OutType::FP8, false, 16384, 1, 8);
TokenQuantSpec withTail(TokenQuantSpec s, int tailK, int rpp) {
  s.tailK = tailK;
  s.rowsPerProgram = rpp;
  return s;
}
const TokenQuantSpec kBf16_1024t512 = withTail(make(InType::BF16, OutType::FP8, false, 1024, 2, 8), 512, 2);
const TokenQuantSpec kBf16_1024t512r4 = withTail(kBf16_1024t512, 512, 4);
const TokenQuantSpec kF32_4096t2048 = withTail(make(InType::F32, OutType::INT8, true, 4096, 1, 4), 2048, 1);
// k_divisibility 1 and 2 (odd and even-only strides), as tile-run compiles
// K = 1367 and K = 1076.
TokenQuantSpec withKDiv(TokenQuantSpec s, int kdiv) {
  s.kDivisibility = kdiv;
  return s;
}
const TokenQuantSpec kBf16_1024t512_kdiv1 = withKDiv(kBf16_1024t512, 1);
const TokenQuantSpec kBf16_1024t512_kdiv2 = withKDiv(kBf16_1024t512, 2);
// Rows of any length in chunks of block_k, read twice (loop_k).
TokenQuantSpec looped(TokenQuantSpec s) {
  s.loopK = true;
  return s;
}
const TokenQuantSpec kBf16_loop4096 = looped(make(InType::BF16, OutType::FP8, false, 4096, 1, 8));
const TokenQuantSpec kBf16_loop4096_kdiv1 = looped(make(InType::BF16, OutType::FP8, false, 4096, 1, 1));
// The chunks tile-run picks past 16384 columns: 8192 wide, 16 warps.
TokenQuantSpec withWarps(TokenQuantSpec s, unsigned numWarps) {
  s.numWarps = numWarps;
  return s;
}
const TokenQuantSpec kBf16_loop8192 = withWarps(looped(make(InType::BF16, OutType::FP8, false, 8192, 1, 8)), 16);
const TokenQuantSpec kBf16_loop8192_kdiv1 = withWarps(looped(make(InType::BF16, OutType::FP8, false, 8192, 1, 1)), 16);
const TokenQuantSpec kF32_loop2048_r2 = looped(make(InType::F32, OutType::INT8, true, 2048, 2, 4));

const Case kCases[] = {
    {"bf16_1368", aot::tq_bf16_fp8_2048::token_quant, kBf16_2048, 5, 1368, 8},
    {"bf16_8", aot::tq_bf16_fp8_2048::token_quant, kBf16_2048, 3, 8, 0},
    {"bf16_2048", aot::tq_bf16_fp8_2048::token_quant, kBf16_2048, 2, 2048, 16},
    {"bf16_4096", aot::tq_bf16_fp8_4096::token_quant, kBf16_4096, 7, 4096, 0},
    {"bf16_7168", aot::tq_bf16_fp8_8192::token_quant, kBf16_8192, 9, 7168, 8},
    {"f32_int8_ue8m0_500", aot::tq_f32_int8_ue8m0_512_r4::token_quant, kF32_512, 6, 500, 4},
    {"f32_int8_ue8m0_4", aot::tq_f32_int8_ue8m0_512_r4::token_quant, kF32_512, 1, 4, 0},
    {"fp16_16384", aot::tq_fp16_fp8_16384::token_quant, kF16_16384, 3, 16384, 8},
    // Split rows: a 1024- and a 512-wide tile; the tail partly live, fully
    // live, or all masked off (K <= 1024).
    {"bf16_1368_split", aot::tq_bf16_fp8_1024t512_r2w4::token_quant, kBf16_1024t512, 5, 1368, 8},
    {"bf16_1536_split", aot::tq_bf16_fp8_1024t512_r2w4::token_quant, kBf16_1024t512, 4, 1536, 0},
    {"bf16_1000_split", aot::tq_bf16_fp8_1024t512_r2w4::token_quant, kBf16_1024t512, 3, 1000, 24},
    {"bf16_1368_split_r4", aot::tq_bf16_fp8_1024t512_r4w4::token_quant, kBf16_1024t512r4, 7, 1368, 0},
    {"f32_int8_ue8m0_5000_split", aot::tq_f32_int8_ue8m0_4096t2048::token_quant, kF32_4096t2048, 3, 5000, 4},
    // Odd row strides (k_divisibility 1): K = 1367, x's stride 1369, q's
    // 1371; a tiny odd row whose tail tile is all masked off. Strides that
    // are even only (k_divisibility 2): K = 1076, stride 1078.
    {"bf16_1367_stride1369_kdiv1", aot::tq_bf16_fp8_1024t512_r2w4_kdiv1::token_quant, kBf16_1024t512_kdiv1, 5, 1367, 2, 4},
    {"bf16_13_kdiv1", aot::tq_bf16_fp8_1024t512_r2w4_kdiv1::token_quant, kBf16_1024t512_kdiv1, 3, 13, 0, 3},
    {"bf16_1076_stride1078_kdiv2", aot::tq_bf16_fp8_1024t512_r2w4_kdiv2::token_quant, kBf16_1024t512_kdiv2, 6, 1076, 2},
    // loop_k: Llama-70B's 28672 (7 chunks of 4096), one full chunk, a last
    // chunk of 8 live columns (16392), an odd K with a partly masked last
    // chunk and odd strides (20001, stride 20003; q's stride 20001), one
    // partial chunk (100); f32 -> int8 UE8M0 with 2 rows per program and an
    // odd M.
    {"bf16_28672_loop", aot::tq_bf16_fp8_loop4096::token_quant, kBf16_loop4096, 5, 28672, 8},
    {"bf16_4096_loop", aot::tq_bf16_fp8_loop4096::token_quant, kBf16_loop4096, 2, 4096, 0},
    {"bf16_16392_loop", aot::tq_bf16_fp8_loop4096::token_quant, kBf16_loop4096, 3, 16392, 0},
    {"bf16_20001_stride20003_loop_kdiv1", aot::tq_bf16_fp8_loop4096_kdiv1::token_quant, kBf16_loop4096_kdiv1, 3, 20001, 2, 0},
    {"bf16_100_loop_kdiv1", aot::tq_bf16_fp8_loop4096_kdiv1::token_quant, kBf16_loop4096_kdiv1, 4, 100, 1},
    // The same on 8192-wide chunks of 16 warps (tile-run's past 16384):
    // 28672 as 3.5 chunks, a last chunk of 1 live column with odd strides
    // (16385, stride 16387), exactly one chunk, one partial chunk (100).
    {"bf16_28672_loop8192", aot::tq_bf16_fp8_loop8192_w16::token_quant, kBf16_loop8192, 5, 28672, 8},
    {"bf16_16385_stride16387_loop8192_kdiv1", aot::tq_bf16_fp8_loop8192_w16_kdiv1::token_quant, kBf16_loop8192_kdiv1, 3, 16385, 2, 0},
    {"bf16_8192_loop8192", aot::tq_bf16_fp8_loop8192_w16::token_quant, kBf16_loop8192, 2, 8192, 0},
    {"bf16_100_loop8192_kdiv1", aot::tq_bf16_fp8_loop8192_w16_kdiv1::token_quant, kBf16_loop8192_kdiv1, 4, 100, 1},
    {"f32_int8_ue8m0_20000_loop_r2", aot::tq_f32_int8_ue8m0_loop2048_r2::token_quant, kF32_loop2048_r2, 5, 20000, 4},
    {"f32_int8_ue8m0_1000_loop_r2", aot::tq_f32_int8_ue8m0_loop2048_r2::token_quant, kF32_loop2048_r2, 3, 1000, 0},
};

class TokenQuantGpu : public ::testing::TestWithParam<int> {};

TEST_P(TokenQuantGpu, MatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  const Case &c = kCases[GetParam()];
  const TokenQuantSpec &s = c.spec;
  const int64_t M = c.M, K = c.K, stride = K + c.pad;
  const int64_t strideQ = c.qPad < 0 ? stride : K + c.qPad;
  SCOPED_TRACE(::testing::Message() << c.name << ": M=" << M << " K=" << K
                                    << " stride_x=" << stride
                                    << " stride_q=" << strideQ);
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-10, 10);
  int bytes = inputBytes(s.in);
  std::vector<uint8_t> x(M * stride * bytes);
  for (int64_t i = 0; i < M * stride; ++i) {
    float v = (i / stride == 1) ? 0.0f : std::ldexp(mantissa(rng), exponent(rng));
    if (s.in == InType::BF16) {
      uint16_t b = numerics::floatToBf16(v);
      std::memcpy(&x[i * 2], &b, 2);
    } else if (s.in == InType::F16) {
      uint16_t h = numerics::floatToF16(v);
      std::memcpy(&x[i * 2], &h, 2);
    } else {
      std::memcpy(&x[i * 4], &v, 4);
    }
  }
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dq = poisoned<uint8_t>(M * strideQ, 0xa5);
  rt::DeviceBuffer ds = poisoned<float>(M + 3, 0xa5);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return c.launch(rt::Dim3{uint32_t(tokenQuantGrid(s, M))}, dx.address(),
                        dq.address(), ds.address(), M, K, stride, strideQ, 1,
                        rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}));
  auto q = download<uint8_t>(dq, M * strideQ);
  auto sc = download<float>(ds, M + 3);
  std::vector<uint8_t> wantQ(M * strideQ, 0xa5);
  std::vector<float> wantS(M + 3);
  std::memset(wantS.data(), 0xa5, wantS.size() * 4);
  tokenQuantReference(s, x.data(), wantQ.data(), wantS.data(), M, K, stride,
                      strideQ, 1);
  for (int64_t i = 0; i < M * strideQ; ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i]))
        << c.name << ": q[" << i / strideQ << ", " << i % strideQ << "]";
  for (int64_t i = 0; i < M + 3; ++i)
    ASSERT_EQ(numerics::floatBits(sc[i]), numerics::floatBits(wantS[i]))
        << c.name << ": scale " << i;
}

// The edge values of KERNELS.md on the GPU: an all-zero row (scale
// eps/448, codes 0), NaN and -NaN in a row (the scale NaN, every code 0x7f),
// +inf (scale inf, the inf element NaN, the rest 0), -inf, and a row whose
// absmax is exactly 448 (scale 1).
TEST(TokenQuantGpuSpecialValues, MatchReference) {
  TILE_REQUIRE_GPU();
  const int64_t M = 6, K = 1368;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
  std::vector<uint16_t> x(M * K);
  for (uint16_t &v : x)
    v = numerics::floatToBf16(dist(rng));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (int64_t k = 0; k < K; ++k)
    x[0 * K + k] = 0;
  x[1 * K + 5] = numerics::floatToBf16(nan);
  x[1 * K + 900] = numerics::floatToBf16(-nan) | 0x8000;
  x[2 * K + 1300] = numerics::floatToBf16(inf);
  x[3 * K + 7] = numerics::floatToBf16(448.0f);
  x[3 * K + 1200] = numerics::floatToBf16(-448.0f);
  x[4 * K + 9] = numerics::floatToBf16(-inf);
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dq = poisoned<uint8_t>(M * K, 0xa5);
  rt::DeviceBuffer ds = poisoned<float>(M, 0xa5);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::tq_bf16_fp8_2048::token_quant(
            rt::Dim3{uint32_t(tokenQuantGrid(kBf16_2048, M))}, dx.address(),
            dq.address(), ds.address(), M, K, K, K, 1, rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}));
  auto q = download<uint8_t>(dq, M * K);
  auto scales = download<float>(ds, M);
  std::vector<uint8_t> wantQ(M * K, 0xa5);
  std::vector<float> wantS(M);
  tokenQuantReference(kBf16_2048, x.data(), wantQ.data(), wantS.data(), M, K, K, K, 1);
  for (int64_t i = 0; i < M * K; ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i])) << "q[" << i / K << ", " << i % K << "]";
  for (int64_t i = 0; i < M; ++i)
    ASSERT_TRUE((std::isnan(scales[i]) && std::isnan(wantS[i])) ||
                numerics::floatBits(scales[i]) == numerics::floatBits(wantS[i]))
        << "scale " << i << ": " << scales[i] << " vs " << wantS[i];
  // And what the reference says, spelled out.
  EXPECT_EQ(scales[0], 1e-10f / 448.0f);
  EXPECT_TRUE(std::isnan(scales[1]));
  EXPECT_EQ(q[1 * K + 0], 0x7f);
  EXPECT_EQ(q[1 * K + 900], 0x7f) << "-NaN becomes +0x7f";
  EXPECT_TRUE(std::isinf(scales[2]));
  EXPECT_EQ(q[2 * K + 1300], 0x7f) << "inf * (1 / inf) is NaN";
  EXPECT_EQ(q[2 * K + 3] & 0x7f, 0) << "finite * 0";
  EXPECT_EQ(scales[3], 1.0f);
  EXPECT_EQ(q[3 * K + 7], 0x7e);
  EXPECT_EQ(q[3 * K + 1200], 0xfe);
  EXPECT_TRUE(std::isinf(scales[4]));
}

INSTANTIATE_TEST_SUITE_P(Cases, TokenQuantGpu,
                         ::testing::Range(0, int(std::size(kCases))),
                         [](const auto &info) { return kCases[info.param].name; });

// The edge values through loop_k's two passes, placed in chunks other than
// the first: the absmax is carried across chunks, so a NaN or inf in the
// last, partly masked chunk must still reach the scale and every code of
// the row. Rows (K = 28672 and K = 20001 with odd strides, each in chunks of
// 4096 and of 8192):
//   0: all zeros: scale eps / 448, codes 0;
//   1: NaN in the last chunk (column K - 3), -NaN at column 5000: scale NaN,
//      every code 0x7f;
//   2: +inf at column K - 1: scale inf, that code NaN, the rest +-0;
//   3: +-448 at columns 4100 and 16390: scale exactly 1, codes 0x7e / 0xfe;
//   4: -inf at column 12288 (the first of a 4096-wide chunk): scale +inf;
//   5: plain random in (-3, 3).
// Every byte must match the reference (scales bit for bit, or both NaN), and
// then the values are spelled out.
struct LoopCase {
  const char *name;
  Launch launch;
  TokenQuantSpec spec;
  int K, pad;
};
const LoopCase kLoopCases[] = {
    {"bf16_28672_loop", aot::tq_bf16_fp8_loop4096::token_quant, kBf16_loop4096, 28672, 0},
    {"bf16_20001_loop_kdiv1", aot::tq_bf16_fp8_loop4096_kdiv1::token_quant, kBf16_loop4096_kdiv1, 20001, 2},
    {"bf16_28672_loop8192", aot::tq_bf16_fp8_loop8192_w16::token_quant, kBf16_loop8192, 28672, 0},
    {"bf16_20001_loop8192_kdiv1", aot::tq_bf16_fp8_loop8192_w16_kdiv1::token_quant, kBf16_loop8192_kdiv1, 20001, 2},
};

class TokenQuantGpuLoopSpecialValues : public ::testing::TestWithParam<int> {};

TEST_P(TokenQuantGpuLoopSpecialValues, MatchReference) {
  TILE_REQUIRE_GPU();
  const LoopCase &c = kLoopCases[GetParam()];
  const int64_t M = 6, K = c.K, stride = K + c.pad;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
  std::vector<uint16_t> x(M * stride);
  for (uint16_t &v : x)
    v = numerics::floatToBf16(dist(rng));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (int64_t k = 0; k < K; ++k)
    x[0 * stride + k] = 0;
  x[1 * stride + K - 3] = numerics::floatToBf16(nan);
  x[1 * stride + 5000] = numerics::floatToBf16(nan) | 0x8000;
  x[2 * stride + K - 1] = numerics::floatToBf16(inf);
  x[3 * stride + 4100] = numerics::floatToBf16(448.0f);
  x[3 * stride + 16390] = numerics::floatToBf16(-448.0f);
  x[4 * stride + 12288] = numerics::floatToBf16(-inf);
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dq = poisoned<uint8_t>(M * stride, 0xa5);
  rt::DeviceBuffer ds = poisoned<float>(M, 0xa5);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return c.launch(rt::Dim3{uint32_t(tokenQuantGrid(c.spec, M))},
                        dx.address(), dq.address(), ds.address(), M, K, stride,
                        stride, 1, rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}));
  auto q = download<uint8_t>(dq, M * stride);
  auto scales = download<float>(ds, M);
  std::vector<uint8_t> wantQ(M * stride, 0xa5);
  std::vector<float> wantS(M);
  tokenQuantReference(c.spec, x.data(), wantQ.data(), wantS.data(), M, K,
                      stride, stride, 1);
  for (int64_t i = 0; i < M * stride; ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i]))
        << c.name << ": q[" << i / stride << ", " << i % stride << "]";
  for (int64_t i = 0; i < M; ++i)
    ASSERT_TRUE((std::isnan(scales[i]) && std::isnan(wantS[i])) ||
                numerics::floatBits(scales[i]) == numerics::floatBits(wantS[i]))
        << c.name << ": scale " << i << ": " << scales[i] << " vs " << wantS[i];
  // Spelled out.
  auto code = [&](int64_t t, int64_t k) { return int(q[t * stride + k]); };
  EXPECT_EQ(scales[0], 1e-10f / 448.0f);
  for (int64_t k = 0; k < K; ++k)
    ASSERT_EQ(code(0, k), 0) << "zero row, column " << k;
  EXPECT_TRUE(std::isnan(scales[1])) << "a NaN in the last chunk";
  for (int64_t k = 0; k < K; ++k)
    ASSERT_EQ(code(1, k), 0x7f) << "NaN row, column " << k;
  EXPECT_EQ(scales[2], inf) << "an inf in the last chunk";
  EXPECT_EQ(code(2, K - 1), 0x7f) << "inf * (1 / inf) is NaN";
  for (int64_t k = 0; k < K - 1; ++k)
    ASSERT_EQ(code(2, k) & 0x7f, 0) << "finite * 0, column " << k;
  EXPECT_EQ(scales[3], 1.0f) << "absmax 448 from the second and fifth chunks";
  EXPECT_EQ(code(3, 4100), 0x7e);
  EXPECT_EQ(code(3, 16390), 0xfe);
  EXPECT_EQ(scales[4], inf) << "absmax of -inf is +inf";
  EXPECT_EQ(code(4, 12288), 0x7f);
  for (int64_t t = 0; t < M; ++t)
    for (int64_t k = K; k < stride; ++k)
      ASSERT_EQ(code(t, k), 0xa5) << "row padding written: " << t << ", " << k;
}

INSTANTIATE_TEST_SUITE_P(Cases, TokenQuantGpuLoopSpecialValues,
                         ::testing::Range(0, int(std::size(kLoopCases))),
                         [](const auto &info) { return kLoopCases[info.param].name; });

} // namespace
