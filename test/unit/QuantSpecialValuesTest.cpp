//===- QuantSpecialValuesTest.cpp - Quant kernels on zeros, NaN, inf, 448 -===//
//
// The edge values of KERNELS.md 1-4, in the interpreter against the
// references.
//
// group_quant and token_quant (KERNELS.md 1-2): an all-zero row (scale
// eps/QMAX, codes 0), NaN in a group (it propagates to the scale and the
// codes), +-inf (scale inf, the inf element NaN, the rest 0), and a group
// whose absmax lands exactly on +-448.
//
// silu_mul_quant (KERNELS.md 3; contiguous and masked, fp8 and int8,
// up_first, fp32_intermediate, UE8M0 scales column-major and packed) and
// silu_mul_nvfp4 (KERNELS.md 4; [gate | up] and [up | gate]), on the special
// inputs of their GPU tests (test/gpu/SiluMulQuantTest.cpp,
// test/gpu/SiluMulNvfp4Test.cpp): zeros; up = NaN and -NaN; gate = +inf;
// gate = -inf (silu(-inf) = -inf / (1 + exp(inf)) is NaN); up = -inf; y
// landing exactly on +-448 / +-127 / e2m1 +-6 with an e4m3 scale of 448; and
// saturating values. The interpreter computes exp with std::exp (expf),
// the reference's exp, and ignores the afn flag of silu's division, so it is
// held to what tile-run's interp backend requires (tools/tile-run/Problems.cpp):
// every byte of q and of the scale buffers bit-exact, poison included where
// the reference writes nothing (masked rows, row and scale padding). The one
// exception is the payload of an f32 NaN scale: both must be NaN (the
// interpreter's is the GPU's canonical 0x7fffffff, the reference's is x86's
// 0x7fc00000). Then what KERNELS.md gives is spelled out, so that a wrong
// reference fails too: a NaN group has an f32 scale NaN, fp8 codes 0x7f and
// int8 codes 0 (UE8M0: scale 2^127, only the NaN elements' codes NaN); an
// inf group an inf scale (UE8M0: 2^127 and saturated codes); an nvfp4 NaN
// block the scale byte 0x7f and codes +0; an nvfp4 inf block the scale
// 0x7e (448) and the inf element e2m1 +-6.
//
//===----------------------------------------------------------------------===//

#include "GroupQuantSpec.h"
#include "QuantSpecialExpectations.h"
#include "QuantSpecialInputs.h"
#include "Registry.h"
#include "SiluMulNvfp4Spec.h"
#include "SiluMulQuantSpec.h"
#include "TokenQuantSpec.h"

#include "tile/Interpreter/Interpreter.h"
#include "tile/Pipeline/Pipeline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace tile;
using namespace tile::kernels;
using tile::testing::expectSiluMulQuantSpecialValues;
using tile::testing::nvfp4SpecialInput;
using tile::testing::siluMulQuantSpecialInput;

namespace {

/// bf16 rows with the special values, K = 256 (two groups of 128).
std::vector<uint16_t> specialRows(int64_t M, int64_t K) {
  std::mt19937 rng(77);
  std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
  std::vector<uint16_t> x(M * K);
  for (int64_t i = 0; i < M * K; ++i)
    x[i] = numerics::floatToBf16(dist(rng));
  for (int64_t k = 0; k < K; ++k)
    x[0 * K + k] = 0; // row 0: zeros
  x[1 * K + 5] = numerics::floatToBf16(std::numeric_limits<float>::quiet_NaN());
  x[1 * K + 130] = numerics::floatToBf16(std::numeric_limits<float>::infinity());
  x[2 * K + 7] = numerics::floatToBf16(448.0f);  // absmax exactly 448
  x[2 * K + 200] = numerics::floatToBf16(-448.0f);
  x[3 * K + 9] = numerics::floatToBf16(-std::numeric_limits<float>::infinity());
  return x;
}

mlir::OwningOpRef<mlir::ModuleOp> build(mlir::MLIRContext &ctx,
                                        const std::string &kernel,
                                        const ParamValues &params) {
  const KernelEntry *k = findKernel(kernel);
  EXPECT_TRUE(k);
  ParamValues resolved;
  std::string error;
  EXPECT_TRUE(resolveParams(*k, params, resolved, error)) << error;
  auto module = k->build(ctx, resolved);
  EXPECT_TRUE(mlir::succeeded(module));
  return mlir::succeeded(module) ? std::move(*module) : nullptr;
}

bool sameFloat(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) ||
         numerics::floatBits(a) == numerics::floatBits(b);
}

TEST(QuantSpecialValues, GroupQuantMatchesReference) {
  mlir::DialectRegistry registry;
  mlir::tile::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  auto module = build(ctx, "group_quant", {});
  ASSERT_TRUE(module);
  const int64_t M = 4, K = 256;
  GroupQuantSpec spec;
  std::vector<uint16_t> x = specialRows(M, K);
  std::vector<uint8_t> q(M * K, 0xa5), wantQ(M * K, 0xa5);
  std::vector<float> scales(M * 2, -1.0f), wantS(M * 2, -1.0f);
  interp::Interpreter interpreter(*module);
  interpreter.addBuffer(x.data(), x.size() * 2, "x");
  interpreter.addBuffer(q.data(), q.size(), "q");
  interpreter.addBuffer(scales.data(), scales.size() * 4, "scales");
  ScaleStrides ss = scaleStrides(spec.scales, M, 2);
  ASSERT_TRUE(mlir::succeeded(interpreter.run(
      "group_quant", interp::Grid{uint32_t(groupQuantGrid(spec, M, K))},
      {interp::Arg::pointer(x.data()), interp::Arg::pointer(q.data()),
       interp::Arg::pointer(scales.data()), interp::Arg::i32(M),
       interp::Arg::i32(K), interp::Arg::i32(K), interp::Arg::i32(K),
       interp::Arg::i32(ss.strideM), interp::Arg::i32(ss.strideG)})));
  groupQuantReference(spec, x.data(), wantQ.data(), wantS.data(), M, K, K, K);
  for (int64_t i = 0; i < M * K; ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i])) << "q[" << i / K << ", " << i % K << "]";
  for (int64_t i = 0; i < M * 2; ++i)
    ASSERT_TRUE(sameFloat(scales[i], wantS[i]))
        << "scale " << i << ": " << scales[i] << " vs " << wantS[i];
  // What KERNELS.md says these cases give.
  EXPECT_EQ(scales[0], 1e-10f / 448.0f) << "a zero group: eps / 448, not NaN";
  EXPECT_EQ(q[0], 0);
  EXPECT_TRUE(std::isnan(scales[2])) << "NaN propagates to the scale";
  EXPECT_EQ(q[K + 0], 0x7f) << "and to the codes";
  EXPECT_TRUE(std::isinf(scales[3]));
  EXPECT_EQ(q[K + 130], 0x7f) << "inf * (1 / inf) is NaN";
  EXPECT_EQ(q[K + 131] & 0x7f, 0) << "finite * 0";
  EXPECT_EQ(scales[4], 1.0f) << "absmax 448 / 448";
  EXPECT_EQ(q[2 * K + 7], 0x7e) << "448 is the largest code";
  EXPECT_EQ(q[2 * K + 200], 0xfe) << "-448";
}

TEST(QuantSpecialValues, TokenQuantMatchesReference) {
  mlir::DialectRegistry registry;
  mlir::tile::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  auto module = build(ctx, "token_quant", {{"block_k", "256"}, {"num_warps", "4"}});
  ASSERT_TRUE(module);
  const int64_t M = 4, K = 256;
  TokenQuantSpec spec;
  spec.blockK = 256;
  std::vector<uint16_t> x = specialRows(M, K);
  std::vector<uint8_t> q(M * K, 0xa5), wantQ(M * K, 0xa5);
  std::vector<float> scales(M, -1.0f), wantS(M, -1.0f);
  interp::Interpreter interpreter(*module);
  interpreter.addBuffer(x.data(), x.size() * 2, "x");
  interpreter.addBuffer(q.data(), q.size(), "q");
  interpreter.addBuffer(scales.data(), scales.size() * 4, "scales");
  ASSERT_TRUE(mlir::succeeded(interpreter.run(
      "token_quant", interp::Grid{uint32_t(tokenQuantGrid(spec, M))},
      {interp::Arg::pointer(x.data()), interp::Arg::pointer(q.data()),
       interp::Arg::pointer(scales.data()), interp::Arg::i32(M),
       interp::Arg::i32(K), interp::Arg::i32(K), interp::Arg::i32(K),
       interp::Arg::i32(1)})));
  tokenQuantReference(spec, x.data(), wantQ.data(), wantS.data(), M, K, K, K, 1);
  for (int64_t i = 0; i < M * K; ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i])) << "q[" << i / K << ", " << i % K << "]";
  for (int64_t i = 0; i < M; ++i)
    ASSERT_TRUE(sameFloat(scales[i], wantS[i])) << "scale " << i;
  EXPECT_EQ(scales[0], 1e-10f / 448.0f);
  EXPECT_TRUE(std::isnan(scales[1]));
  EXPECT_EQ(scales[2], 1.0f);
  EXPECT_TRUE(std::isinf(scales[3]));
}

/// The silu_mul_quant variants of the GPU tests, and two int8 ones: with
/// bf16 y, and masked with packed UE8M0 scales (-inf saturates to -128
/// there).
struct SmqVariant {
  const char *name;
  OutType out;
  ScaleLayout scales;
  bool ue8m0, upFirst, fp32Intermediate, masked;

  SiluMulQuantSpec spec() const {
    SiluMulQuantSpec s;
    s.out = out;
    s.scales = scales;
    s.ue8m0 = ue8m0;
    s.upFirst = upFirst;
    s.fp32Intermediate = fp32Intermediate;
    s.masked = masked;
    return s;
  }
  /// The Registry's parameters for the same kernel.
  ParamValues params() const {
    auto flag = [](bool b) { return std::string(b ? "1" : "0"); };
    return {{"out", tile::kernels::name(out)},
            {"scales", tile::kernels::name(scales)},
            {"ue8m0", flag(ue8m0)},
            {"up_first", flag(upFirst)},
            {"fp32_intermediate", flag(fp32Intermediate)},
            {"masked", flag(masked)}};
  }
};

const SmqVariant kSmqVariants[] = {
    {"fp8_row", OutType::FP8, ScaleLayout::RowMajor, false, false, false, false},
    {"fp8_coltma_ue8m0_upfirst", OutType::FP8, ScaleLayout::ColMajorTMA, true,
     true, false, false},
    {"int8_fp32i_col", OutType::INT8, ScaleLayout::ColMajor, false, false, true,
     false},
    {"int8_row", OutType::INT8, ScaleLayout::RowMajor, false, false, false,
     false},
    {"masked_fp8_coltma", OutType::FP8, ScaleLayout::ColMajorTMA, false, false,
     false, true},
    {"masked_fp8_packed", OutType::FP8, ScaleLayout::UE8M0Packed, false, false,
     false, true},
    {"masked_int8_packed", OutType::INT8, ScaleLayout::UE8M0Packed, false,
     false, false, true},
};

// The special rows of SiluMulQuantGpuSpecialValues, put in gate and up of
// random values in (-3, 3) (|y| < 9), H = 5 groups of 128 (a partial packed
// word), rows = E * T = 2 * 5, row strides padded by 16:
//   0: gate = up = 0: codes 0, scale eps / QMAX (UE8M0: rounded up);
//   1: up = NaN and up = -NaN in group 1: a NaN group;
//   2: gate = +inf, up = 2 in group 2: y = inf, scale inf, that code
//      inf * (1 / inf) = NaN (UE8M0: 2^127, the code saturates), the rest 0;
//   3: gate = -inf in group 0: silu(-inf) is NaN, a NaN group; gate = 1,
//      up = -inf in group 1: y = -inf, scale inf (absmax of -inf);
//   4: gate = 32 (fp8) or 127 (int8), up = +-QMAX / gate in group 1: silu(g)
//      is g exactly, y = +-QMAX: scale exactly 1, the largest codes;
//   5..9: random (masked: expert 1 has one live row; 6..9 are masked off
//      and stay poisoned).
class SiluMulQuantSpecialValues : public ::testing::TestWithParam<int> {};

TEST_P(SiluMulQuantSpecialValues, MatchReference) {
  const SmqVariant &v = kSmqVariants[GetParam()];
  const SiluMulQuantSpec s = v.spec();
  mlir::DialectRegistry registry;
  mlir::tile::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  auto module = build(ctx, "silu_mul_quant", v.params());
  ASSERT_TRUE(module);
  const int64_t E = 2, T = 5, rows = E * T, groups = 5, G = s.group;
  const int64_t H = groups * G, strideX = 2 * H + 16, strideQ = H + 16;
  const float top = qmax(s.out);
  const bool packed = s.scales == ScaleLayout::UE8M0Packed;

  for (uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    std::vector<uint16_t> x =
        siluMulQuantSpecialInput(rows, H, G, strideX, s.upFirst, top, seed).x;
    std::vector<int32_t> maskedM = {int32_t(T), 1};

    const int64_t scaleRows = s.masked ? T : rows;
    ScaleStrides ss = scaleStrides(s.scales, scaleRows, groups);
    const int64_t perExpert = packed ? ss.size : ss.size * 4;
    const int64_t scaleBytes = (s.masked ? E : 1) * perExpert;
    std::vector<uint8_t> q(rows * strideQ, 0xa5), sc(scaleBytes, 0xa5);

    interp::Interpreter interpreter(*module);
    interpreter.addBuffer(x.data(), x.size() * 2, "x");
    interpreter.addBuffer(q.data(), q.size(), "q");
    interpreter.addBuffer(sc.data(), sc.size(), "scales");
    interpreter.addBuffer(maskedM.data(), maskedM.size() * 4, "masked_m");
    interp::Grid grid{uint32_t(siluMulQuantGrid(s, rows, H, T))};
    if (s.masked)
      ASSERT_TRUE(mlir::succeeded(interpreter.run(
          "silu_mul_quant", grid,
          {interp::Arg::pointer(x.data()), interp::Arg::pointer(q.data()),
           interp::Arg::pointer(sc.data()), interp::Arg::pointer(maskedM.data()),
           interp::Arg::i32(T), interp::Arg::i32(H), interp::Arg::i32(strideX),
           interp::Arg::i32(strideQ), interp::Arg::i32(ss.size),
           interp::Arg::i32(ss.strideM), interp::Arg::i32(ss.strideG)})));
    else
      ASSERT_TRUE(mlir::succeeded(interpreter.run(
          "silu_mul_quant", grid,
          {interp::Arg::pointer(x.data()), interp::Arg::pointer(q.data()),
           interp::Arg::pointer(sc.data()), interp::Arg::i32(rows),
           interp::Arg::i32(H), interp::Arg::i32(strideX),
           interp::Arg::i32(strideQ), interp::Arg::i32(ss.strideM),
           interp::Arg::i32(ss.strideG)})));
    std::vector<uint8_t> wantQ(q.size(), 0xa5), wantS(sc.size(), 0xa5);
    siluMulQuantReference(s, x.data(), wantQ.data(), wantS.data(), rows, H,
                          strideX, strideQ, T, maskedM);

    // Every byte, bit-exact (poison included: what the reference leaves
    // alone, the kernel must too).
    for (int64_t i = 0; i < int64_t(q.size()); ++i)
      ASSERT_EQ(int(q[i]), int(wantQ[i]))
          << "q[" << i / strideQ << ", " << i % strideQ << "]";
    for (int64_t i = 0; i < scaleBytes; i += packed ? 1 : 4) {
      if (packed) {
        ASSERT_EQ(int(sc[i]), int(wantS[i])) << "scale byte " << i;
        continue;
      }
      float got, want;
      std::memcpy(&got, &sc[i], 4);
      std::memcpy(&want, &wantS[i], 4);
      ASSERT_TRUE(sameFloat(got, want))
          << "scale at byte " << i << ": " << got << " (0x" << std::hex
          << numerics::floatBits(got) << ") vs " << want << " (0x"
          << numerics::floatBits(want) << ")";
    }

    // And what KERNELS.md says, spelled out; a NaN scale has the GPU's bits
    // in the interpreter too.
    expectSiluMulQuantSpecialValues({s, q, sc, ss, rows, T, groups, strideQ},
                                    /*canonicalNaN=*/true);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Variants, SiluMulQuantSpecialValues,
    ::testing::Range(0, int(std::size(kSmqVariants))),
    [](const auto &info) { return kSmqVariants[info.param].name; });

// The special rows of Nvfp4GpuSpecialValues, put in gate and up of random
// values in (-3, 3) (|y| < 9), K = 6 blocks of 16 (two padding columns in
// the swizzled scales, 121 padding rows), M = 7 rows, experts [0, 4) with
// gs = 1 and [4, 7) with gs = 224:
//   0: zeros: scale 0, codes 0 ("0 when sf is 0");
//   1: up = NaN and -NaN in block 1: a NaN block (scale 0x7f, codes +0);
//   2: gate = +inf, up = 2 in block 2: sf = e4m3(inf) saturates to 448
//      (0x7e), the inf element to e2m1 6 (code 7), the rest +-0;
//   3: gate = 1, up = -inf in block 0: the same with -6 (code 0xf); gate =
//      -inf in block 3: silu(-inf) is NaN, a NaN block;
//   4: gate = 32, up = +-0.375 in block 1: y = +-12, sf = 224 * 12 / 6 = 448
//      exactly, 12 * 224 / 448 = 6 exactly: codes 7 and 0xf; gate = 32,
//      up = 1 in block 3: sf saturates to 448, 32 * 0.5 = 16 to 6;
//   5, 6: random.
class Nvfp4SpecialValues : public ::testing::TestWithParam<bool> {};

TEST_P(Nvfp4SpecialValues, MatchReference) {
  SiluMulNvfp4Spec spec;
  spec.upFirst = GetParam();
  mlir::DialectRegistry registry;
  mlir::tile::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  auto module = build(ctx, "silu_mul_nvfp4",
                      {{"up_first", spec.upFirst ? "1" : "0"}});
  ASSERT_TRUE(module);
  const int64_t M = 7, K = 6 * 16, E = 2, stride = 2 * K + 16;
  std::vector<int32_t> offsets = {0, 4, int32_t(M)};
  std::vector<float> gs = {1.0f, 224.0f};

  for (uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    std::vector<uint16_t> x =
        nvfp4SpecialInput(M, K, stride, spec.upFirst, seed).x;

    const std::vector<int32_t> sfOffsets = nvfp4ScaleOffsets(offsets);
    const int64_t scaleBytes = nvfp4ScaleBytes(sfOffsets[E], K);
    std::vector<uint8_t> q(M * K / 2, 0xa5), s(scaleBytes, 0xa5);
    interp::Interpreter interpreter(*module);
    interpreter.addBuffer(x.data(), x.size() * 2, "x");
    interpreter.addBuffer(q.data(), q.size(), "q");
    interpreter.addBuffer(s.data(), s.size(), "scales");
    interpreter.addBuffer(offsets.data(), offsets.size() * 4, "offsets");
    interpreter.addBuffer(sfOffsets.data(), sfOffsets.size() * 4, "sf_offsets");
    interpreter.addBuffer(gs.data(), gs.size() * 4, "global_scales");
    ASSERT_TRUE(mlir::succeeded(interpreter.run(
        "silu_mul_nvfp4",
        interp::Grid{uint32_t(siluMulNvfp4Grid(spec, M, K, E).x),
                     uint32_t(siluMulNvfp4Grid(spec, M, K, E).y)},
        {interp::Arg::pointer(x.data()), interp::Arg::pointer(q.data()),
         interp::Arg::pointer(s.data()), interp::Arg::pointer(offsets.data()),
         interp::Arg::pointer(sfOffsets.data()),
         interp::Arg::pointer(gs.data()), interp::Arg::i32(M),
         interp::Arg::i32(K), interp::Arg::i32(E), interp::Arg::i32(stride)})));
    std::vector<uint8_t> wantQ(q.size(), 0xa5), wantS(s.size(), 0xa5);
    siluMulNvfp4Reference(spec, x.data(), offsets, sfOffsets, gs, wantQ.data(),
                          wantS.data(), M, K, stride);

    // Every byte, bit-exact (the padding rows of the scales are zeros).
    for (int64_t i = 0; i < int64_t(q.size()); ++i)
      ASSERT_EQ(int(q[i]), int(wantQ[i]))
          << "q byte [" << i / (K / 2) << ", " << i % (K / 2) << "]";
    for (int64_t i = 0; i < scaleBytes; ++i)
      ASSERT_EQ(int(s[i]), int(wantS[i])) << "scale byte " << i;

    // And what KERNELS.md says, spelled out.
    auto nibble = [&](int64_t m, int64_t k) {
      return (q[m * (K / 2) + k / 2] >> (4 * (k % 2))) & 15;
    };
    // Row m's scale row: expert 1's rows start at scale row 128.
    auto scale = [&](int64_t m, int64_t b) {
      return int(s[nvfp4ScaleOffset(m < 4 ? m : 128 + (m - 4), b, K)]);
    };
    for (int64_t b = 0; b < 6; ++b)
      EXPECT_EQ(scale(0, b), 0) << "zero row, block " << b;
    for (int64_t k = 0; k < K; ++k)
      ASSERT_EQ(nibble(0, k), 0) << "zero row, column " << k;
    EXPECT_EQ(scale(1, 1), 0x7f) << "NaN propagates to the scale";
    EXPECT_EQ(scale(3, 3), 0x7f) << "silu(-inf) is NaN";
    for (int64_t j = 0; j < 16; ++j) {
      ASSERT_EQ(nibble(1, 1 * 16 + j), 0) << "NaN block, column " << j;
      ASSERT_EQ(nibble(3, 3 * 16 + j), 0) << "NaN block, column " << j;
    }
    EXPECT_NE(scale(1, 0), 0x7f) << "NaN stays in its block";
    EXPECT_NE(scale(1, 2), 0x7f) << "NaN stays in its block";
    EXPECT_EQ(scale(2, 2), 0x7e) << "e4m3(inf) saturates to 448";
    EXPECT_EQ(nibble(2, 2 * 16 + 5), 0x7) << "inf / 448 saturates to 6";
    EXPECT_EQ(scale(3, 0), 0x7e);
    EXPECT_EQ(nibble(3, 0 * 16 + 7), 0xf) << "-inf saturates to -6";
    for (int64_t j = 0; j < 16; ++j) {
      // |y| < 9 times 1 / 448: below 0.25, zeros of their sign.
      if (j != 5)
        ASSERT_EQ(nibble(2, 2 * 16 + j) & 7, 0) << "column " << j;
      if (j != 7)
        ASSERT_EQ(nibble(3, 0 * 16 + j) & 7, 0) << "column " << j;
    }
    EXPECT_EQ(scale(4, 1), 0x7e) << "224 * 12 / 6 is 448";
    EXPECT_EQ(nibble(4, 1 * 16 + 1), 0x7) << "12 * 224 / 448 is 6";
    EXPECT_EQ(nibble(4, 1 * 16 + 15), 0xf);
    EXPECT_EQ(scale(4, 3), 0x7e) << "224 * 32 / 6 saturates to 448";
    EXPECT_EQ(nibble(4, 3 * 16), 0x7) << "32 * 224 / 448 = 16 saturates to 6";
    // The per-expert layout: expert 0 (rows 0-3) owns scale rows 0-127,
    // expert 1 (rows 4-6) scale rows 128-255; every padding byte is 0: the
    // columns 6 and 7 of every row, and the rows past each expert's last.
    ASSERT_EQ(int64_t(s.size()), 256 * 8);
    for (int64_t j = 0; j < 256; ++j) {
      bool paddingRow = (j >= 4 && j < 128) || j >= 128 + 3;
      for (int64_t b = 0; b < 8; ++b)
        if (paddingRow || b >= 6)
          ASSERT_EQ(int(s[nvfp4ScaleOffset(j, b, K)]), 0)
              << "scale row " << j << ", column " << b << ": padding is 0";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, Nvfp4SpecialValues, ::testing::Bool(),
                         [](const auto &info) {
                           return std::string(info.param ? "up_gate"
                                                         : "gate_up");
                         });

} // namespace

namespace {

/// Bad problems are refused before anything runs, naming the parameter.
TEST(QuantProblemChecks, GroupQuantNamesTheBadParameter) {
  GroupQuantSpec spec; // bf16, group 128, row-major fp32 scales
  const int64_t M = 5, K = 512;
  const int64_t x = M * K * 2, q = M * K, s = M * (K / 128) * 4;
  EXPECT_EQ(checkGroupQuantProblem(spec, M, K, K, K, x, q, s), "");
  EXPECT_EQ(checkGroupQuantProblem(spec, M, 500, 512, 512, x, q, s),
            "K (500) is not divisible by group (128)");
  EXPECT_EQ(checkGroupQuantProblem(spec, M, K, 256, K, x, q, s),
            "stride_x (256) is smaller than the row (K = 512)");
  EXPECT_EQ(checkGroupQuantProblem(spec, M, K, K, K, x, q, s - 4),
            "scales has 76 bytes, 80 needed for the row layout");
  EXPECT_EQ(checkGroupQuantProblem(spec, M, K, K, K, x - 2, q, s),
            "x has 5118 bytes, 5120 needed");
  spec.scales = ScaleLayout::UE8M0Packed; // 4 groups: one word per row, rows padded to 8
  EXPECT_EQ(checkGroupQuantProblem(spec, M, K, K, K, x, q, 31),
            "scales has 31 bytes, 32 needed for the ue8m0_packed layout");
  spec.group = 96;
  EXPECT_EQ(checkGroupQuantProblem(spec, M, K, K, K, x, q, s),
            "group must be 16, 32, 64, 128 or 256, got 96");
}

} // namespace
