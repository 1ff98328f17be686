//===- TileAccelerateMatmul.cpp - The tile-accelerate-matmul pass ---------===//
//
// Gives each tile.dot that mma.sync can compute the tensor cores' layouts: an
// `#tile.mma` (version 2) accumulator and `#tile.dot_operand` operands, with
// `tile.convert_layout` at the boundaries. Where the module asks for wgmma
// (tile.warpgroup_mma, sm_90a) and tile-pipeline will stage both operands
// K-contiguous in shared memory, the accumulator is version 3 and the
// operands its dot_operands, which tile-pipeline turns into a
// tile.warpgroup_dot over its rings (for f16_exact, over f16 buffers it
// widens the int8 rings into). Then keeps a loop-carried
// accumulator in the mma layout across iterations (the conversions move out
// of the loop) and folds the conversions that cancel. Triton's counterpart:
// lib/Dialect/TritonGPU/Transforms/AccelerateMatmul.cpp (mma v2), with the
// loop rule of RemoveLayoutConversions.cpp.
//
//===----------------------------------------------------------------------===//

#include "CarryInConvertedLayout.h"
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

/// Whether tile-pipeline will stage both operands of `dot` in shared memory
/// the way wgmma reads them (`mma` its version 3 layout): the dot is in an
/// scf.for the module pipelines (num_stages >= 2), and each operand is a
/// tile loaded in the loop's body, used only by dots (directly or through
/// their operand conversions), that the pipeliner's
/// buffer holds K-contiguous (getOperandSharedLayout: always for 8-bit
/// operands; for 16-bit ones, when the load's registers run along K).
bool operandsStageForWgmma(DotOp dot, MmaLayoutAttr mma, unsigned kWidth) {
  if (getNumStages(dot) < 2 || !isa<scf::ForOp>(dot->getParentOp()))
    return false;
  for (unsigned opIdx : {0u, 1u}) {
    Value operand = opIdx == 0 ? dot.getA() : dot.getB();
    auto load = operand.getDefiningOp<LoadOp>();
    // Users: dots, and the operand conversions of dots made before this
    // one (a tile several dots share: SwiGLU's or n_split's A).
    if (!load || load->getBlock() != dot->getBlock() ||
        !llvm::all_of(load->getUsers(),
                      [](Operation *user) {
                        auto convert = dyn_cast<ConvertLayoutOp>(user);
                        return isa<DotOp>(user) ||
                               (convert && isa<DotOperandLayoutAttr>(
                                               getLayout(convert.getType())));
                      }) ||
        !isa_and_present<DistributedLayoutInterface>(getLayout(load.getType())))
      return false;
    auto type = cast<RankedTensorType>(load.getType());
    SharedLayoutAttr shared = getOperandSharedLayout(
        type, DotOperandLayoutAttr::get(dot.getContext(), opIdx, mma, kWidth),
        type.getElementType().getIntOrFloatBitWidth());
    if (shared.getOrder()[0] != (opIdx == 0 ? 1u : 0u))
      return false;
  }
  return true;
}

/// Rewrites one dot to the mma layouts, converting at its boundaries.
void accelerate(DotOp dot, unsigned numWarps) {
  std::optional<unsigned> kWidth = getMmaV2KWidth(dot);
  RankedTensorType dType = dot.getType();
  // tile-assign-layouts gave the accumulator its mma layout already where it
  // could; a dot written in another layout converts at its boundaries.
  auto mma = dyn_cast<MmaLayoutAttr>(getLayout(dType));
  if (!mma && isBlockedOrSlice(getLayout(dType)))
    mma = getMmaLayout(dot, numWarps);
  if (!kWidth || !mma || isa<DotOperandLayoutAttr>(getLayout(dot.getA().getType())))
    return;
  // A wgmma accumulator whose operands will not be staged for wgmma: the
  // dot itself runs on mma.sync, converting its accumulator.
  if (mma.getVersion() == 3 && !operandsStageForWgmma(dot, mma, *kWidth))
    mma = getMmaV2Layout(dot, numWarps);
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

} // namespace

void mlir::tile::populateCarryInConvertedLayoutPatterns(
    RewritePatternSet &patterns) {
  patterns.add<CarryInConvertedLayout>(patterns.getContext());
  ConvertLayoutOp::getCanonicalizationPatterns(patterns,
                                               patterns.getContext());
}

namespace {

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
    populateCarryInConvertedLayoutPatterns(patterns);
    (void)applyPatternsGreedily(module, std::move(patterns));
  }
};

} // namespace
