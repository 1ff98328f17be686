//===- TokenQuantTest.cpp - token_quant on the GPU against its reference --===//
//
// Whole rows of K (a multiple of the variant's k_divisibility, up to its
// block) on fresh random inputs with strided rows, all-zero rows and M not a
// multiple of the rows per program; bit-exact codes and scales, padding left
// alone.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "TokenQuantSpec.h"

#include "tile/aot/tq_bf16_fp8_1024t512_r2w4.h"
#include "tile/aot/tq_bf16_fp8_1024t512_r4w4.h"
#include "tile/aot/tq_bf16_fp8_2048.h"
#include "tile/aot/tq_bf16_fp8_4096.h"
#include "tile/aot/tq_bf16_fp8_8192.h"
#include "tile/aot/tq_f32_int8_ue8m0_4096t2048.h"
#include "tile/aot/tq_f32_int8_ue8m0_512_r4.h"
#include "tile/aot/tq_fp16_fp8_16384.h"

#include <cmath>
#include <limits>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using Launch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t, int64_t,
                              int64_t, int64_t, int64_t, int64_t,
                              const rt::Stream &);

struct Case {
  const char *name;
  Launch launch;
  TokenQuantSpec spec;
  int M, K, pad;
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
};

class TokenQuantGpu : public ::testing::TestWithParam<int> {};

TEST_P(TokenQuantGpu, MatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  const Case &c = kCases[GetParam()];
  const TokenQuantSpec &s = c.spec;
  const int64_t M = c.M, K = c.K, stride = K + c.pad;
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
  rt::DeviceBuffer dq = poisoned<uint8_t>(M * stride, 0xa5);
  rt::DeviceBuffer ds = poisoned<float>(M + 3, 0xa5);
  TILE_ASSERT_OK(c.launch(rt::Dim3{uint32_t(tokenQuantGrid(s, M))}, dx.address(),
                          dq.address(), ds.address(), int32_t(M), int32_t(K),
                          int32_t(stride), int32_t(stride), 1, rt::Stream()));
  auto q = download<uint8_t>(dq, M * stride);
  auto sc = download<float>(ds, M + 3);
  std::vector<uint8_t> wantQ(M * stride, 0xa5);
  std::vector<float> wantS(M + 3);
  std::memset(wantS.data(), 0xa5, wantS.size() * 4);
  tokenQuantReference(s, x.data(), wantQ.data(), wantS.data(), M, K, stride,
                      stride, 1);
  for (int64_t i = 0; i < M * stride; ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i]))
        << c.name << ": q[" << i / stride << ", " << i % stride << "]";
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
  TILE_ASSERT_OK(aot::tq_bf16_fp8_2048::token_quant(
      rt::Dim3{uint32_t(tokenQuantGrid(kBf16_2048, M))}, dx.address(), dq.address(),
      ds.address(), int32_t(M), int32_t(K), int32_t(K), int32_t(K), 1, rt::Stream()));
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

} // namespace
