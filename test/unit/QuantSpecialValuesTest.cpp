//===- QuantSpecialValuesTest.cpp - Quant kernels on zeros, NaN, inf, 448 -===//
//
// The edge values of KERNELS.md 1-2, in the interpreter against the
// references: an all-zero row (scale eps/QMAX, codes 0), NaN in a group (it
// propagates to the scale and the codes), +-inf (scale inf, the inf element
// NaN, the rest 0), and a group whose absmax lands exactly on +-448.
//
//===----------------------------------------------------------------------===//

#include "GroupQuantSpec.h"
#include "Registry.h"
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
