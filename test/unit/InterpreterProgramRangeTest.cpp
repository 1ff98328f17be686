//===- InterpreterProgramRangeTest.cpp - Running part of a grid -----------===//
//
// Interpreter::run with a ProgramRange: exactly the programs of the range
// run, in the order of a whole run, each seeing its own program id and the
// whole grid's num_programs; a range outside the grid is an error before
// anything runs. (LargeProblemTest leans on this to run the last programs of
// problems of more than 2^31 elements.)
//
//===----------------------------------------------------------------------===//

#include "tile/Interpreter/Interpreter.h"

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using ::tile::interp::Arg;
using ::tile::interp::Grid;
using ::tile::interp::Interpreter;
using ::tile::interp::ProgramRange;

/// Program (x, y, z) of an (nx, ny, nz) grid writes x, y, z and nx * ny * nz
/// to out[4 * id .. 4 * id + 3], id = x + nx * (y + ny * z), and its id to
/// *last: what a program saw, and which ran last.
const char *kIdsKernel = R"mlir(module {
  func.func @ids(%out: !tile.ptr<i32>, %last: !tile.ptr<i32>) {
    %x = tile.program_id x : i32
    %y = tile.program_id y : i32
    %z = tile.program_id z : i32
    %nx = tile.num_programs x : i32
    %ny = tile.num_programs y : i32
    %nz = tile.num_programs z : i32
    %zy = arith.muli %z, %ny : i32
    %zyy = arith.addi %zy, %y : i32
    %zyyx = arith.muli %zyy, %nx : i32
    %id = arith.addi %zyyx, %x : i32
    %nxy = arith.muli %nx, %ny : i32
    %n = arith.muli %nxy, %nz : i32
    %c1 = arith.constant 1 : i32
    %c2 = arith.constant 2 : i32
    %c3 = arith.constant 3 : i32
    %c4 = arith.constant 4 : i32
    %base = arith.muli %id, %c4 : i32
    %p0 = tile.addptr %out, %base : !tile.ptr<i32>, i32
    tile.store %p0, %x : !tile.ptr<i32>
    %p1 = tile.addptr %p0, %c1 : !tile.ptr<i32>, i32
    tile.store %p1, %y : !tile.ptr<i32>
    %p2 = tile.addptr %p0, %c2 : !tile.ptr<i32>, i32
    tile.store %p2, %z : !tile.ptr<i32>
    %p3 = tile.addptr %p0, %c3 : !tile.ptr<i32>, i32
    tile.store %p3, %n : !tile.ptr<i32>
    tile.store %last, %id : !tile.ptr<i32>
    return
  }
}
)mlir";

constexpr int32_t kPoison = int32_t(0xa5a5a5a5u);

class ProgramRangeTest : public ::testing::Test {
protected:
  ProgramRangeTest() {
    context.loadDialect<mlir::tile::TileDialect, mlir::arith::ArithDialect,
                        mlir::func::FuncDialect>();
    module = mlir::parseSourceString<mlir::ModuleOp>(kIdsKernel, &context,
                                                     "ids.mlir");
  }

  /// Runs `programs` of `grid` on poisoned outputs; every diagnostic lands in
  /// `diagnostics`.
  bool run(Grid grid, ProgramRange programs) {
    uint64_t total = ProgramRange::all(grid).count;
    out.assign(4 * total, kPoison);
    last = kPoison;
    Interpreter interp(*module);
    interp.addBuffer(out.data(), out.size() * 4, "out");
    interp.addBuffer(&last, 4, "last");
    diagnostics.clear();
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      diagnostics += d.str() + "\n";
      return mlir::success();
    });
    return mlir::succeeded(interp.run(
        "ids", grid, {Arg::pointer(out.data()), Arg::pointer(&last)},
        programs));
  }

  /// Checks that exactly the programs [first, first + count) of `grid` ran,
  /// each with its own ids and the whole grid's size, the last one last.
  void expectRan(Grid grid, uint64_t first, uint64_t count) {
    uint64_t total = ProgramRange::all(grid).count;
    for (uint64_t id = 0; id < total; ++id) {
      const int32_t *p = &out[4 * id];
      if (id < first || id >= first + count) {
        for (int i = 0; i < 4; ++i)
          EXPECT_EQ(p[i], kPoison) << "program " << id << " ran";
        continue;
      }
      EXPECT_EQ(p[0], int32_t(id % grid.x)) << "program " << id;
      EXPECT_EQ(p[1], int32_t(id / grid.x % grid.y)) << "program " << id;
      EXPECT_EQ(p[2], int32_t(id / (grid.x * grid.y))) << "program " << id;
      EXPECT_EQ(p[3], int32_t(total)) << "program " << id;
    }
    EXPECT_EQ(last, count ? int32_t(first + count - 1) : kPoison);
  }

  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::vector<int32_t> out;
  int32_t last = kPoison;
  std::string diagnostics;
};

TEST_F(ProgramRangeTest, AllAndLastCountTheGrid) {
  Grid grid{3, 4, 5};
  EXPECT_EQ(ProgramRange::all(grid).first, 0u);
  EXPECT_EQ(ProgramRange::all(grid).count, 60u);
  EXPECT_EQ(ProgramRange::last(grid, 7).first, 53u);
  EXPECT_EQ(ProgramRange::last(grid, 7).count, 7u);
  EXPECT_EQ(ProgramRange::last(grid, 61).first, 0u);
  EXPECT_EQ(ProgramRange::last(grid, 61).count, 60u);
  // Beyond 2^32 programs: 64-bit counts.
  Grid huge{1u << 31, 1u << 2, 3};
  EXPECT_EQ(ProgramRange::all(huge).count, uint64_t(3) << 33);
  EXPECT_EQ(ProgramRange::last(huge, 2).first, (uint64_t(3) << 33) - 2);
}

TEST_F(ProgramRangeTest, RunsExactlyTheRangeInOrder) {
  ASSERT_TRUE(module);
  Grid grid{3, 4, 2};
  // A range that starts mid-row of x and crosses y and z.
  ASSERT_TRUE(run(grid, {5, 11})) << diagnostics;
  expectRan(grid, 5, 11);
  ASSERT_TRUE(run(grid, ProgramRange::last(grid, 4))) << diagnostics;
  expectRan(grid, 20, 4);
  ASSERT_TRUE(run(grid, {0, 1})) << diagnostics;
  expectRan(grid, 0, 1);
  // The whole grid, both ways.
  ASSERT_TRUE(run(grid, ProgramRange::all(grid))) << diagnostics;
  expectRan(grid, 0, 24);
  std::vector<int32_t> whole = out;
  out.assign(out.size(), kPoison);
  Interpreter interp(*module);
  interp.addBuffer(out.data(), out.size() * 4, "out");
  interp.addBuffer(&last, 4, "last");
  ASSERT_TRUE(mlir::succeeded(interp.run(
      "ids", grid, {Arg::pointer(out.data()), Arg::pointer(&last)})));
  EXPECT_EQ(out, whole);
}

TEST_F(ProgramRangeTest, AnEmptyRangeRunsNothing) {
  ASSERT_TRUE(module);
  Grid grid{3, 4, 2};
  ASSERT_TRUE(run(grid, {24, 0})) << diagnostics;
  expectRan(grid, 0, 0);
  ASSERT_TRUE(run(grid, {7, 0})) << diagnostics;
  expectRan(grid, 0, 0);
}

TEST_F(ProgramRangeTest, ARangeOutsideTheGridIsAnErrorBeforeAnythingRuns) {
  ASSERT_TRUE(module);
  Grid grid{3, 4, 2};
  EXPECT_FALSE(run(grid, {20, 5}));
  EXPECT_NE(diagnostics.find("the 5 program(s) from linear id 20 of kernel "
                             "'ids' are not all in its grid (3, 4, 2) of 24 "
                             "programs"),
            std::string::npos)
      << diagnostics;
  expectRan(grid, 0, 0);
  EXPECT_FALSE(run(grid, {25, 0}));
  expectRan(grid, 0, 0);
  // first + count wraps around 2^64: still refused.
  EXPECT_FALSE(run(grid, {UINT64_MAX, 2}));
  EXPECT_NE(diagnostics.find("not all in its grid"), std::string::npos)
      << diagnostics;
  expectRan(grid, 0, 0);
}

} // namespace
