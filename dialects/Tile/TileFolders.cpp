//===- TileFolders.cpp - Folders and canonicalizations of tile ops --------===//
//
// Folders return an existing value or a constant; the canonicalization
// patterns rewrite shape ops of a splat into one splat, and chains of shape
// ops into one op.
//
//===----------------------------------------------------------------------===//

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::tile;

/// A splat constant of `type` with the value of the splat constant `attr`.
static Attribute resizeSplatConstant(Attribute attr, ShapedType type) {
  auto splat = dyn_cast_if_present<SplatElementsAttr>(attr);
  if (!splat)
    return {};
  return splat.resizeSplat(type);
}

OpFoldResult MakeRangeOp::fold(FoldAdaptor) {
  // A one-element range is a constant; longer ranges stay ops so that the
  // axis analysis sees their contiguity.
  if (getType().getNumElements() != 1)
    return {};
  return DenseElementsAttr::get(
      getType(), APInt(32, getStartAttr().getInt(), /*isSigned=*/true));
}

OpFoldResult SplatOp::fold(FoldAdaptor adaptor) {
  Attribute value = adaptor.getSrc();
  if (!isa_and_present<IntegerAttr, FloatAttr>(value))
    return {};
  return DenseElementsAttr::get(getType(), value);
}

OpFoldResult BroadcastOp::fold(FoldAdaptor adaptor) {
  if (getSrc().getType() == getType())
    return getSrc();
  return resizeSplatConstant(adaptor.getSrc(), getType());
}

OpFoldResult ExpandDimsOp::fold(FoldAdaptor adaptor) {
  return resizeSplatConstant(adaptor.getSrc(), getType());
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getSrc().getType() == getType())
    return getSrc();
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getSrc()))
    return dense.reshape(getType());
  return {};
}

OpFoldResult ConvertLayoutOp::fold(FoldAdaptor adaptor) {
  if (getSrc().getType() == getType())
    return getSrc();
  return resizeSplatConstant(adaptor.getSrc(), getType());
}

OpFoldResult AddPtrOp::fold(FoldAdaptor) {
  if (matchPattern(getOffset(), m_Zero()))
    return getPtr();
  return {};
}

namespace {

/// shape_op(splat(x)) -> splat(x): a splat of any shape is one splat.
template <typename ShapeOp>
struct ShapeOfSplatToSplat : OpRewritePattern<ShapeOp> {
  using OpRewritePattern<ShapeOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ShapeOp op,
                                PatternRewriter &rewriter) const override {
    auto splat = op.getSrc().template getDefiningOp<SplatOp>();
    if (!splat)
      return rewriter.notifyMatchFailure(op, "source is not a tile.splat");
    rewriter.replaceOpWithNewOp<SplatOp>(op, op.getType(), splat.getSrc());
    return success();
  }
};

/// op(op(x)) -> op(x) for ops that only restate their source: two
/// broadcasts, two layout conversions or two (row-major) reshapes in a row are
/// one.
template <typename ChainOp>
struct CollapseChain : OpRewritePattern<ChainOp> {
  using OpRewritePattern<ChainOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ChainOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getSrc().template getDefiningOp<ChainOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "source is not the same op");
    rewriter.replaceOpWithNewOp<ChainOp>(op, op.getType(), inner.getSrc());
    return success();
  }
};

} // namespace

void BroadcastOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ShapeOfSplatToSplat<BroadcastOp>, CollapseChain<BroadcastOp>>(
      context);
}

void ConvertLayoutOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                  MLIRContext *context) {
  results.add<ShapeOfSplatToSplat<ConvertLayoutOp>,
              CollapseChain<ConvertLayoutOp>>(context);
}

void ExpandDimsOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<ShapeOfSplatToSplat<ExpandDimsOp>>(context);
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ShapeOfSplatToSplat<ReshapeOp>, CollapseChain<ReshapeOp>>(context);
}
