//===- TileIntToFloat.cpp - The tile-int-to-float pass ---------------------===//
//
// i32 -> f32 conversions of values proven within [-2^22, 2^22] as an integer
// add and an f32 subtraction (the derivation is in Passes.td). The ranges
// come from MLIR's IntegerRangeAnalysis; tile.dot gives its integer result's
// range through InferIntRangeInterface (c's range plus K products), so a
// native int8 dot over one 128-wide quant group qualifies, and a chain
// carried around a loop of unknown trip count does not.
//
//===----------------------------------------------------------------------===//

#include "tile/Transforms/Passes.h"

#include "mlir/Analysis/DataFlow/ConstantPropagationAnalysis.h"
#include "mlir/Analysis/DataFlow/DeadCodeAnalysis.h"
#include "mlir/Analysis/DataFlow/IntegerRangeAnalysis.h"
#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::tile {
#define GEN_PASS_DEF_TILEINTTOFLOATPASS
#include "tile/Transforms/Passes.h.inc"
} // namespace mlir::tile

using namespace mlir;
using namespace mlir::tile;

namespace {

/// 1.5 * 2^23: its f32 unit in the last place is 1.
constexpr uint32_t kMagicBits = 0x4B400000;
constexpr float kMagic = 12582912.0f;
/// The largest magnitude for which x + kMagic stays within [2^23, 2^24].
constexpr int64_t kMaxExact = int64_t(1) << 22;

/// A constant of `type` (a scalar or a shaped type of it) equal to `value`.
Value splatConstant(OpBuilder &b, Location loc, Type type, TypedAttr value) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return arith::ConstantOp::create(b, loc, shaped,
                                     DenseElementsAttr::get(shaped, value));
  return arith::ConstantOp::create(b, loc, type, value);
}

/// Whether the solver proves `v` within [-kMaxExact, kMaxExact].
bool provenSmall(DataFlowSolver &solver, Value v) {
  auto *lattice = solver.lookupState<dataflow::IntegerValueRangeLattice>(v);
  if (!lattice || lattice->getValue().isUninitialized())
    return false;
  const ConstantIntRanges &range = lattice->getValue().getValue();
  return range.smin().getSExtValue() >= -kMaxExact &&
         range.smax().getSExtValue() <= kMaxExact;
}

struct TileIntToFloatPass
    : mlir::tile::impl::TileIntToFloatPassBase<TileIntToFloatPass> {
  void runOnOperation() override {
    // The conversions to rewrite, found while the solver lives; the IR
    // changes after it is gone (it holds states of the ops it saw).
    SmallVector<arith::SIToFPOp> conversions;
    {
      DataFlowSolver solver;
      solver.load<dataflow::DeadCodeAnalysis>();
      solver.load<dataflow::SparseConstantPropagation>();
      solver.load<dataflow::IntegerRangeAnalysis>();
      if (failed(solver.initializeAndRun(getOperation())))
        return signalPassFailure();
      getOperation()->walk([&](arith::SIToFPOp op) {
        if (getElementTypeOrSelf(op.getIn().getType()).isInteger(32) &&
            getElementTypeOrSelf(op.getType()).isF32() &&
            provenSmall(solver, op.getIn()))
          conversions.push_back(op);
      });
    }
    for (arith::SIToFPOp op : conversions) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      Type intType = op.getIn().getType(), floatType = op.getType();
      Value biased = arith::AddIOp::create(
          b, loc, op.getIn(),
          splatConstant(b, loc, intType, b.getI32IntegerAttr(kMagicBits)));
      Value shifted = arith::BitcastOp::create(b, loc, floatType, biased);
      Value exact = arith::SubFOp::create(
          b, loc, shifted,
          splatConstant(b, loc, floatType, b.getF32FloatAttr(kMagic)));
      op.replaceAllUsesWith(exact);
      op.erase();
    }
  }
};

} // namespace
