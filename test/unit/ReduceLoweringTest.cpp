//===- ReduceLoweringTest.cpp - Reductions of reductions lower ------------===//
//
// A count over row sums (as grouped_gemm_i8's experts tile search counts
// over prefix sums) reduces a [P, P] tile along one axis, then the 1-D
// result, a slice of the first operand's layout, to a scalar. The [P, P]
// tile is loaded, so that its access layout is chosen first and the 1-D
// result takes the slice of it. For every extent and warp count the whole
// pipeline must lower it (the lowering reduces blocked tiles only, so
// tile-assign-layouts converts the slice first: before, 64 experts a step
// failed to compile), and the interpreter must count what the reference
// counts.
//
//===----------------------------------------------------------------------===//

#include "CompilerContext.h"

#include "tile/Interpreter/Interpreter.h"
#include "tile/Pipeline/Pipeline.h"
#include "tile/dsl/DSL.h"

#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <random>

using namespace tile::dsl;

namespace {

/// out[0] = #{i < P : x[i, 0] + ... + x[i, P - 1] <= t}, x int32 [P, P]
/// row-major.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildRowSumCount(mlir::MLIRContext &ctx, int P, unsigned warps) {
  KernelOptions options;
  options.numWarps = warps;
  KernelBuilder k(ctx, "row_sum_count", options);
  Value x = k.pointer("x", DType::I32, 16);
  Value out = k.pointer("out", DType::I32, 4);
  Value t = k.scalar("t", DType::I32);
  Value idx = range(0, P);
  Value tile = load(x + (expandDims(idx, 1) * P + expandDims(idx, 0)));
  Value rowSums = sum(tile, 1); // [P]
  store(out, sum(where(rowSums <= t, constant(1, DType::I32),
                       constant(0, DType::I32)),
                 0));
  return k.finish();
}

TEST(ReduceLowering, ReductionOfAReductionLowersForEveryShape) {
  for (int P : {2, 16, 32, 64, 128, 256})
    for (unsigned warps : {1u, 2u, 4u, 8u}) {
      SCOPED_TRACE(::testing::Message() << "P = " << P << ", " << warps
                                        << " warps");
      tile::testing::CompilerContext compiler;
      auto module = buildRowSumCount(compiler.ctx, P, warps);
      ASSERT_TRUE(mlir::succeeded(module)) << compiler.errors;
      mlir::PassManager pm(&compiler.ctx);
      mlir::tile::buildTileToLLVMPipeline(pm, {});
      EXPECT_TRUE(mlir::succeeded(pm.run(**module))) << compiler.errors;
    }
}

TEST(ReduceLowering, InterpreterCountsTheRowSums) {
  mlir::MLIRContext ctx;
  const int P = 64;
  auto module = buildRowSumCount(ctx, P, 4);
  ASSERT_TRUE(mlir::succeeded(module));
  std::mt19937 rng(::testing::UnitTest::GetInstance()->random_seed());
  std::uniform_int_distribution<int32_t> value(0, 9);
  for (int32_t t : {-1, 0, 250, 288, 320, 1000}) {
    std::vector<int32_t> x(P * P);
    for (int32_t &v : x)
      v = value(rng);
    int32_t want = 0;
    for (int i = 0; i < P; ++i) {
      int32_t rowSum = 0;
      for (int j = 0; j < P; ++j)
        rowSum += x[i * P + j];
      want += rowSum <= t;
    }
    int32_t got = -7;
    tile::interp::Interpreter interpreter(**module);
    interpreter.addBuffer(x.data(), x.size() * 4, "x");
    interpreter.addBuffer(&got, 4, "out");
    ASSERT_TRUE(mlir::succeeded(interpreter.run(
        "row_sum_count", {},
        {tile::interp::Arg::pointer(x.data()), tile::interp::Arg::pointer(&got),
         tile::interp::Arg::i32(t)})))
        << "t = " << t;
    EXPECT_EQ(got, want) << "t = " << t;
  }
}

} // namespace
