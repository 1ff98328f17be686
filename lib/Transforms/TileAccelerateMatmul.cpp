//===- TileAccelerateMatmul.cpp - The tile-accelerate-matmul pass ---------===//
//
// Gives each tile.dot that mma.sync can compute the tensor cores' layouts: an
// `#tile.mma` (version 2) accumulator and `#tile.dot_operand` operands, with
// `tile.convert_layout` at the boundaries. Then keeps a loop-carried
// accumulator in the mma layout across iterations (the conversions move out
// of the loop) and folds the conversions that cancel. Triton's counterpart:
// lib/Dialect/TritonGPU/Transforms/AccelerateMatmul.cpp (mma v2), with the
// loop rule of RemoveLayoutConversions.cpp.
//
//===----------------------------------------------------------------------===//

#include "tile/Transforms/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tile {
#define GEN_PASS_DEF_TILEACCELERATEMATMULPASS
#include "tile/Transforms/Passes.h.inc"
} // namespace mlir::tile

using namespace mlir;
using namespace mlir::tile;

namespace {

/// Rewrites one dot to the mma layouts, converting at its boundaries.
void accelerate(DotOp dot, unsigned numWarps) {
  std::optional<unsigned> kWidth = getMmaV2KWidth(dot);
  RankedTensorType dType = dot.getType();
  // tile-assign-layouts gave the accumulator its mma layout already where it
  // could; a dot written in another layout converts at its boundaries.
  auto mma = dyn_cast<MmaLayoutAttr>(getLayout(dType));
  if (!mma && isBlockedOrSlice(getLayout(dType)))
    mma = getMmaV2Layout(dot, numWarps);
  if (!kWidth || !mma || isa<DotOperandLayoutAttr>(getLayout(dot.getA().getType())))
    return;
  MLIRContext *ctx = dot.getContext();
  OpBuilder b(dot);
  Location loc = dot.getLoc();
  auto convert = [&](Value v, Attribute layout) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    if (getLayout(type) == layout)
      return v;
    // A conversion out of the wanted layout is undone, not stacked.
    if (auto back = v.getDefiningOp<ConvertLayoutOp>())
      if (getLayout(back.getSrc().getType()) == layout)
        return back.getSrc();
    return ConvertLayoutOp::create(b, loc, withLayout(type, layout), v);
  };
  Value a = convert(dot.getA(), DotOperandLayoutAttr::get(ctx, 0, mma, *kWidth));
  Value bOperand =
      convert(dot.getB(), DotOperandLayoutAttr::get(ctx, 1, mma, *kWidth));
  Value c = convert(dot.getC(), mma);
  auto product = DotOp::create(b, loc, withLayout(dType, mma), a, bOperand, c,
                               dot.getInputPrecisionAttr());
  Value back = convert(product, getLayout(dType));
  dot.replaceAllUsesWith(back);
  dot.erase();
}

/// An scf.for iter arg used only through conversions to one layout L and
/// yielded as a conversion out of L is carried in L instead: the conversions
/// move to the loop's init and result.
struct CarryInConvertedLayout : OpRewritePattern<scf::ForOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(scf::ForOp loop,
                                PatternRewriter &rewriter) const override {
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (unsigned i = 0; i < loop.getNumRegionIterArgs(); ++i) {
      BlockArgument arg = loop.getRegionIterArgs()[i];
      auto oldType = dyn_cast<RankedTensorType>(arg.getType());
      auto yielded = yield.getOperand(i).getDefiningOp<ConvertLayoutOp>();
      if (!oldType || !yielded || arg.use_empty())
        continue;
      auto newType = cast<RankedTensorType>(yielded.getSrc().getType());
      if (!llvm::all_of(arg.getUsers(), [&](Operation *user) {
            auto cvt = dyn_cast<ConvertLayoutOp>(user);
            return cvt && cvt.getType() == newType;
          }))
        continue;
      rewriter.modifyOpInPlace(loop, [&] { arg.setType(newType); });
      for (Operation *user : llvm::make_early_inc_range(arg.getUsers()))
        rewriter.replaceOp(user, arg);
      rewriter.modifyOpInPlace(
          yield, [&] { yield.setOperand(i, yielded.getSrc()); });
      rewriter.setInsertionPoint(loop);
      Value init = ConvertLayoutOp::create(rewriter, loop.getLoc(), newType,
                                           loop.getInitArgs()[i]);
      Value result = loop.getResult(i);
      rewriter.modifyOpInPlace(loop, [&] {
        loop.getInitArgsMutable()[i].assign(init);
        result.setType(newType);
      });
      rewriter.setInsertionPointAfter(loop);
      auto out =
          ConvertLayoutOp::create(rewriter, loop.getLoc(), oldType, result);
      rewriter.replaceAllUsesExcept(result, out, out);
      return success();
    }
    return rewriter.notifyMatchFailure(loop, "no iter arg to carry converted");
  }
};

struct TileAccelerateMatmulPass
    : mlir::tile::impl::TileAccelerateMatmulPassBase<TileAccelerateMatmulPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    unsigned numWarps = getNumWarps(module);
    SmallVector<DotOp> dots;
    module.walk([&](DotOp dot) { dots.push_back(dot); });
    for (DotOp dot : dots)
      accelerate(dot, numWarps);
    if (dots.empty())
      return;
    RewritePatternSet patterns(&getContext());
    patterns.add<CarryInConvertedLayout>(&getContext());
    ConvertLayoutOp::getCanonicalizationPatterns(patterns, &getContext());
    (void)applyPatternsGreedily(module, std::move(patterns));
  }
};

} // namespace
