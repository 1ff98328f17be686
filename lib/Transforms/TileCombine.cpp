//===- TileCombine.cpp - The tile-combine pass ----------------------------===//

#include "tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tile {
#define GEN_PASS_DEF_TILECOMBINEPASS
#include "tile/Transforms/Passes.h.inc"
} // namespace mlir::tile

using namespace mlir;
using namespace mlir::tile;

namespace {

/// addptr(addptr(p, a), b) -> addptr(p, a + b)
struct CombineAddPtrChain : OpRewritePattern<AddPtrOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddPtrOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getPtr().getDefiningOp<AddPtrOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "pointer is not a tile.addptr");
    if (inner.getOffset().getType() != op.getOffset().getType())
      return rewriter.notifyMatchFailure(op, "offset types differ");
    Value sum = arith::AddIOp::create(rewriter, op.getLoc(), inner.getOffset(),
                                      op.getOffset());
    rewriter.replaceOpWithNewOp<AddPtrOp>(op, op.getType(), inner.getPtr(), sum);
    return success();
  }
};

/// select(m, load(p, m), x) -> load(p, m, x)
struct CombineSelectMaskedLoad : OpRewritePattern<arith::SelectOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::SelectOp op,
                                PatternRewriter &rewriter) const override {
    auto load = op.getTrueValue().getDefiningOp<LoadOp>();
    if (!load)
      return rewriter.notifyMatchFailure(op, "true value is not a tile.load");
    if (!load.getMask() || load.getMask() != op.getCondition())
      return rewriter.notifyMatchFailure(op, "load mask is not the condition");
    if (load.getOther())
      return rewriter.notifyMatchFailure(op, "load already has 'other'");
    if (!load->hasOneUse())
      return rewriter.notifyMatchFailure(op, "load has other uses");
    // The load moves down to the select: nothing in between may write memory.
    if (load->getBlock() != op->getBlock())
      return rewriter.notifyMatchFailure(op, "load is in another block");
    for (Operation *it = load->getNextNode(); it != op; it = it->getNextNode())
      if (!isMemoryEffectFree(it))
        return rewriter.notifyMatchFailure(op, "memory effects in between");
    rewriter.replaceOpWithNewOp<LoadOp>(op, load.getPtr(), load.getMask(),
                                        op.getFalseValue(), load.getCache(),
                                        load.getEvict());
    rewriter.eraseOp(load);
    return success();
  }
};

/// addi(dot(a, b, c), k) -> dot(a, b, addi(c, k)) for an integer dot whose
/// only use is the add and a constant k (either operand): the dot adds in
/// wrapping i32 arithmetic, so where k is added does not matter, and a
/// constant c then folds with it.
struct CombineAddIntoDotAccumulator : OpRewritePattern<arith::AddIOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::AddIOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [dotSide, constantSide] :
         {std::pair(op.getLhs(), op.getRhs()),
          std::pair(op.getRhs(), op.getLhs())}) {
      auto dot = dotSide.getDefiningOp<DotOp>();
      if (!dot || !dot->hasOneUse() || !matchPattern(constantSide, m_Constant()))
        continue;
      rewriter.setInsertionPoint(dot);
      Value acc = arith::AddIOp::create(rewriter, op.getLoc(), dot.getC(),
                                        constantSide);
      rewriter.replaceOpWithNewOp<DotOp>(op, dot.getType(), dot.getA(),
                                         dot.getB(), acc,
                                         dot.getInputPrecision());
      rewriter.eraseOp(dot);
      return success();
    }
    return rewriter.notifyMatchFailure(
        op, "not a constant added to a dot's only use");
  }
};

/// andi(extsi(x : iN), 2^N - 1) -> extui(x), the constant on either side:
/// the mask keeps exactly the bits the sign extension copied. A narrow code
/// widened by a sign extension and masked back (e2m1 codes packed two a
/// byte) then reaches LLVM as a zero extension it sees through, instead of
/// the shifts it makes of a sign extension and keeps.
struct CombineMaskedSignExtension : OpRewritePattern<arith::AndIOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::AndIOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [extSide, maskSide] : {std::pair(op.getLhs(), op.getRhs()),
                                     std::pair(op.getRhs(), op.getLhs())}) {
      auto ext = extSide.getDefiningOp<arith::ExtSIOp>();
      APInt mask;
      if (!ext || !matchPattern(maskSide, m_ConstantInt(&mask)))
        continue;
      unsigned narrow = getElementTypeOrSelf(ext.getIn().getType())
                            .getIntOrFloatBitWidth();
      if (mask != APInt::getLowBitsSet(mask.getBitWidth(), narrow))
        continue;
      rewriter.replaceOpWithNewOp<arith::ExtUIOp>(op, op.getType(), ext.getIn());
      return success();
    }
    return rewriter.notifyMatchFailure(
        op, "not a sign extension masked to its source's bits");
  }
};

struct TileCombinePass
    : mlir::tile::impl::TileCombinePassBase<TileCombinePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateTileCombinePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::tile::populateTileCombinePatterns(RewritePatternSet &patterns) {
  patterns.add<CombineAddPtrChain, CombineSelectMaskedLoad,
               CombineAddIntoDotAccumulator, CombineMaskedSignExtension>(
      patterns.getContext());
}
