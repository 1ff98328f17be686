//===- InterpreterAnyAllTest.cpp - any_all.mlir in the interpreter --------===//
//
// kernels/examples/any_all.mlir (a row-wise any and all of x > t, reduced
// over i1) on the same rows as the GPU test (test/gpu/AnyAllRows.h): most
// decided by one element, one of them in the masked-off tail, which must not
// count. Outputs are poisoned with slack past M that must stay poisoned; the
// interpreter also checks that no unmasked access leaves x.
//
//===----------------------------------------------------------------------===//

#include "tile/Interpreter/Interpreter.h"

#include "../gpu/AnyAllRows.h"

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

namespace any_all = ::tile::testing::any_all;
using ::tile::interp::Arg;
using ::tile::interp::Grid;
using ::tile::interp::Interpreter;

TEST(InterpreterAnyAll, MatchesReferenceOnRowsDecidedByOneElement) {
  mlir::MLIRContext context;
  context.loadDialect<mlir::tile::TileDialect, mlir::arith::ArithDialect,
                      mlir::func::FuncDialect, mlir::math::MathDialect,
                      mlir::scf::SCFDialect>();
  std::string path =
      std::string(TILE_SOURCE_DIR) + "/kernels/examples/any_all.mlir";
  auto module = mlir::parseSourceFile<mlir::ModuleOp>(path, &context);
  ASSERT_TRUE(module) << "cannot parse " << path;
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });

  uint32_t seed = std::random_device{}();
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  std::mt19937 rng(seed);
  for (const any_all::Case &c : any_all::cases()) {
    SCOPED_TRACE("N = " + std::to_string(c.N) + ", stride " +
                 std::to_string(c.stride) + ", t = " + std::to_string(c.t));
    any_all::Input in = any_all::makeInput(c, rng);
    const int M = in.M;
    const std::vector<uint8_t> &expectedAny = in.expectedAny,
                               &expectedAll = in.expectedAll;
    ASSERT_EQ(in.firstMisbuiltRow(), -1)
        << in.describe(in.firstMisbuiltRow(), c.N);
    const int slack = 16;
    std::vector<uint8_t> any(M + slack, 0xff), all(M + slack, 0xff);
    Interpreter interp(*module);
    interp.addBuffer(in.x.data(), in.x.size() * sizeof(int32_t), "x");
    interp.addBuffer(any.data(), any.size(), "any");
    interp.addBuffer(all.data(), all.size(), "all");
    diagnostics.clear();
    ASSERT_TRUE(mlir::succeeded(
        interp.run("any_all", Grid{uint32_t(M)},
                   {Arg::pointer(in.x.data()), Arg::pointer(any.data()),
                    Arg::pointer(all.data()), Arg::i32(c.N), Arg::i32(c.stride),
                    Arg::i32(c.t)})))
        << diagnostics;
    for (int m = 0; m < M; ++m) {
      EXPECT_EQ(int(any[m]), int(expectedAny[m]))
          << "any[" << m << "]: " << in.describe(m, c.N);
      EXPECT_EQ(int(all[m]), int(expectedAll[m]))
          << "all[" << m << "]: " << in.describe(m, c.N);
    }
    for (int m = M; m < M + slack; ++m) {
      ASSERT_EQ(int(any[m]), 0xff) << "any[" << m << "] past M = " << M;
      ASSERT_EQ(int(all[m]), 0xff) << "all[" << m << "] past M = " << M;
    }
  }
}

} // namespace
