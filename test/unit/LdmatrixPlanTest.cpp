//===- LdmatrixPlanTest.cpp - ldmatrix, simulated, delivers the operand ---===//
//
// The lowering reads an mma.sync operand from swizzled shared memory with the
// ldmatrix instructions of an LdmatrixPlan. This test runs those instructions
// on the host as the PTX ISA defines ldmatrix ("Warp-level matrix load
// instruction: ldmatrix"): lane l addresses row l % 8 of matrix l / 8, a row
// is 16 consecutive bytes of the buffer; thread t receives from each matrix
// the 32-bit word t % 4 of row t / 4, or with .trans the two 16-bit elements
// of column t / 4 in rows 2 (t % 4) and 2 (t % 4) + 1. For every operand
// (A and B, f16 and int8, K- and M/N-contiguous buffers, warp arrangements,
// tile shapes, both matrix groupings) that gets a plan, every register of
// every thread of every warp must receive exactly the element the operand's
// layout puts there, and each register exactly once. A wrong row address, matrix grouping or register
// assignment in the plan fails here, without a GPU.
//
//===----------------------------------------------------------------------===//

#include "LdmatrixPlan.h"

#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Dialect/Tile/TileLayouts.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinTypes.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace mlir;
using namespace mlir::tile;

namespace {

struct Case {
  unsigned opIdx;
  unsigned bits;
  int64_t rows, cols; // the operand's shape: A [M, K], B [K, N]
  unsigned warpsM, warpsN;
  bool kContiguous;

  std::string str() const {
    std::ostringstream os;
    os << (opIdx ? "B" : "A") << " i" << bits << " [" << rows << ", " << cols
       << "] warps " << warpsM << "x" << warpsN
       << (kContiguous ? " K-contiguous" : " M/N-contiguous");
    return os.str();
  }
};

/// Runs `plan`'s instructions for every warp as ldmatrix does and checks the
/// registers; returns "" or the first wrong (warp, lane, register).
std::string simulate(const LdmatrixPlan &plan, SharedLayoutAttr shared,
                     ArrayRef<int64_t> shape, unsigned kDim) {
  LinearLayout offsetToElement = shared.toLinearLayout(shape);
  const int64_t size = shape[0] * shape[1];
  const int numRegs = plan.dstLL.getInDimSize("register");
  const int numWarps = plan.dstLL.getInDimSize("warp");
  auto element = [&](int64_t offset) {
    auto e = offsetToElement.apply({{offsetToElement.getInDimNames().begin()[0],
                                     int32_t(offset)}});
    return std::make_pair(e[0].second, e[1].second);
  };
  std::ostringstream why;
  for (int w = 0; w < numWarps; ++w) {
    std::vector<int> filled(size_t(32) * numRegs, 0);
    for (const LdmatrixInstruction &instr : ldmatrixInstructions(plan, kDim)) {
      if (int(instr.firstRegisters.size()) != plan.num)
        return "an instruction does not list one register per matrix";
      // The row address each of the lanes 0 .. 8 num - 1 supplies.
      auto rowStart = [&](int lane) {
        return plan.address.apply({{"lane", lane}, {"warp", w}})[0].second ^
               instr.offset;
      };
      for (int t = 0; t < 32; ++t)
        for (int m = 0; m < plan.num; ++m)
          for (int e = 0; e < int(plan.kWidth); ++e) {
            int64_t offset;
            if (!plan.trans) {
              offset = rowStart(8 * m + t / 4) + (t % 4) * plan.kWidth + e;
            } else {
              offset = rowStart(8 * m + 2 * (t % 4) + e) + t / 4;
            }
            int reg = instr.firstRegisters[m] + e;
            if (offset < 0 || offset >= size || reg < 0 || reg >= numRegs) {
              why << "warp " << w << " lane " << t << " matrix " << m
                  << ": offset " << offset << " or register " << reg
                  << " out of range";
              return why.str();
            }
            ++filled[size_t(t) * numRegs + reg];
            auto want = plan.dstLL.apply(
                {{"register", reg}, {"lane", t}, {"warp", w}});
            auto got = element(offset);
            if (want[0].second != got.first || want[1].second != got.second) {
              why << "warp " << w << " lane " << t << " register " << reg
                  << ": receives (" << got.first << ", " << got.second
                  << "), the layout holds (" << want[0].second << ", "
                  << want[1].second << ") there";
              return why.str();
            }
          }
    }
    for (int t = 0; t < 32; ++t)
      for (int r = 0; r < numRegs; ++r)
        if (filled[size_t(t) * numRegs + r] != 1) {
          why << "warp " << w << " lane " << t << " register " << r
              << " is written " << filled[size_t(t) * numRegs + r]
              << " times";
          return why.str();
        }
  }
  return "";
}

TEST(LdmatrixPlan, SimulatedInstructionsDeliverEveryOperandRegister) {
  MLIRContext ctx;
  ctx.loadDialect<TileDialect, LLVM::LLVMDialect, NVVM::NVVMDialect>();
  const unsigned warpsList[][2] = {{1, 1}, {2, 2}, {4, 1}, {1, 4}, {2, 4}, {4, 2}};
  const int64_t mnSizes[] = {16, 32, 64, 128};
  int planned = 0, plannedInt8 = 0, plannedTrans = 0;
  bool kStepDiffers = false;
  for (unsigned bits : {16u, 8u})
    for (unsigned opIdx : {0u, 1u})
      for (auto &wp : warpsList)
        for (int64_t mn : mnSizes)
          for (int64_t k : {16, 32, 64, 128})
            for (bool kContiguous : {true, false}) {
              if (bits == 8 && k < 32)
                continue; // an 8-bit MMA steps K by 32
              Case c{opIdx, bits, opIdx ? k : mn, opIdx ? mn : k, wp[0],
                     wp[1], kContiguous};
              auto parent = MmaLayoutAttr::get(&ctx, 2, {wp[0], wp[1]}, {16, 8});
              unsigned kWidth = 32 / bits;
              auto dst = DotOperandLayoutAttr::get(&ctx, opIdx, parent, kWidth);
              Type elem = bits == 16 ? Type(Float16Type::get(&ctx))
                                     : Type(IntegerType::get(&ctx, 8));
              SmallVector<int64_t> shape = {c.rows, c.cols};
              auto type = RankedTensorType::get(shape, elem, dst);
              unsigned kDim = opIdx == 0 ? 1 : 0;
              SharedLayoutAttr shared = getSwizzledSharedLayout(
                  &ctx, shape, bits / 8, kContiguous ? kDim : 1 - kDim);
              for (LdmatrixGrouping grouping :
                   {LdmatrixGrouping::WordOrder, LdmatrixGrouping::KStep}) {
                std::optional<LdmatrixPlan> plan =
                    planLdmatrix(type, shared, grouping);
                if (!plan)
                  continue;
                ++planned;
                plannedInt8 += bits == 8;
                plannedTrans += plan->trans;
                EXPECT_EQ(simulate(*plan, shared, shape, kDim), "")
                    << c.str() << ", " << plan->num
                    << " matrices an instruction"
                    << (plan->trans ? ", .trans" : "")
                    << (grouping == LdmatrixGrouping::KStep ? ", K-step grouping"
                                                            : "");
                if (grouping == LdmatrixGrouping::KStep)
                  kStepDiffers |= plan->matrixBits !=
                                  planLdmatrix(type, shared, LdmatrixGrouping::WordOrder)
                                      ->matrixBits;
              }
            }
  // The cases the GEMMs use get plans: f16 and int8 K-contiguous, f16
  // M/N-contiguous with .trans.
  EXPECT_GT(planned, 100);
  EXPECT_GT(plannedInt8, 20);
  EXPECT_GT(plannedTrans, 20);
  // The K-step grouping is another grouping somewhere (B's), so the check
  // above covered a second assignment of words to matrices.
  EXPECT_TRUE(kStepDiffers);
}

} // namespace
