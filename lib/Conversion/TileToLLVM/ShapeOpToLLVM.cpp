//===- ShapeOpToLLVM.cpp - make_range, splat, broadcast, layouts ----------===//
//
// Tiles that differ only in shape or replication map element to element
// within a thread, with no data movement: make_range is index arithmetic,
// splat repeats a scalar, broadcast and expand_dims pick the thread's element
// of the source. convert_layout and reshape move elements between threads
// through shared memory.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

/// Replaces `op` by the registers of `src` that mapRegistersInThread(srcType,
/// dstType, project) picks for each result register; false (nothing
/// replaced) where the layouts do not allow it.
bool replaceWithMappedRegisters(
    ConversionPatternRewriter &rewriter, Operation *op, ValueRange src,
    RankedTensorType srcType, RankedTensorType dstType,
    llvm::function_ref<SmallVector<int32_t>(ArrayRef<int32_t>)> project) {
  auto map = mapRegistersInThread(srcType, dstType, project);
  if (!map)
    return false;
  SmallVector<Value> values;
  for (int64_t r : *map)
    values.push_back(src[r]);
  rewriter.replaceOpWithMultiple(op, {values});
  return true;
}

struct MakeRangeToLLVM : OpConversionPattern<MakeRangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MakeRangeOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value start = i32Const(rewriter, loc, op.getStartAttr().getInt());
    SmallVector<Value> values;
    for (auto &index : emitIndices(rewriter, loc, op.getType()))
      values.push_back(arith::AddIOp::create(rewriter, loc, start, index[0]));
    rewriter.replaceOpWithMultiple(op, {values});
    return success();
  }
};

struct SplatToLLVM : OpConversionPattern<SplatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SplatOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Value> values(getNumElemsPerThread(op.getType()),
                              adaptor.getSrc().front());
    rewriter.replaceOpWithMultiple(op, {values});
    return success();
  }
};

/// A dense splat constant tile: the scalar constant, repeated.
struct SplatConstantToLLVM : OpConversionPattern<arith::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not a tile constant");
    auto splat = dyn_cast<SplatElementsAttr>(op.getValue());
    if (!splat)
      return op.emitOpError(
          "a tile constant must be a splat to be lowered (non-splat tile "
          "constants are not supported yet)");
    auto scalar = cast<TypedAttr>(splat.getSplatValue<Attribute>());
    Value value = arith::ConstantOp::create(rewriter, op.getLoc(), scalar);
    SmallVector<Value> values(getNumElemsPerThread(type), value);
    rewriter.replaceOpWithMultiple(op, {values});
    return success();
  }
};

/// Broadcast: both tiles have one layout; element e of the result is element
/// e mod n_src of the source along every dimension.
struct BroadcastToLLVM : OpConversionPattern<BroadcastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BroadcastOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto srcType = op.getSrc().getType();
    auto dstType = op.getType();
    if (getLayout(srcType) != getLayout(dstType))
      return op.emitOpError("source and result layouts differ; "
                            "tile-assign-layouts gives them one");
    Attribute layout = getLayout(dstType);
    if (!isBlockedOrSlice(layout)) {
      // Broadcast dimensions read index 0 of the source.
      auto broadcastIndex = [&](ArrayRef<int32_t> index) {
        SmallVector<int32_t> in(index);
        for (unsigned d = 0; d < in.size(); ++d)
          if (srcType.getDimSize(d) == 1)
            in[d] = 0;
        return in;
      };
      if (!replaceWithMappedRegisters(rewriter, op, adaptor.getSrc(), srcType,
                                      dstType, broadcastIndex))
        return op.emitOpError("the source's layout does not hold, in each "
                              "thread, the elements the result repeats");
      return success();
    }
    SmallVector<unsigned> order = getLayoutOrder(layout);
    auto srcCounts = getElemsPerThreadPerDim(layout, srcType.getShape());
    auto dstCounts = getElemsPerThreadPerDim(layout, dstType.getShape());
    ValueRange src = adaptor.getSrc();
    SmallVector<Value> values;
    int64_t n = getNumElemsPerThread(dstType);
    for (int64_t j = 0; j < n; ++j) {
      SmallVector<int64_t> e = delinearize(j, dstCounts, order);
      for (unsigned d = 0; d < e.size(); ++d)
        e[d] %= srcCounts[d];
      values.push_back(src[linearize(e, srcCounts, order)]);
    }
    rewriter.replaceOpWithMultiple(op, {values});
    return success();
  }
};

/// expand_dims: the source's layout is the slice of the result's at `axis`;
/// the result's elements along `axis` all repeat the source's.
struct ExpandDimsToLLVM : OpConversionPattern<ExpandDimsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandDimsOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    unsigned axis = op.getAxisAttr().getInt();
    auto slice = dyn_cast<SliceLayoutAttr>(getLayout(op.getSrc().getType()));
    if (!slice || slice.getDim() != axis || slice.getParent() != getLayout(op.getType()))
      return op.emitOpError("source layout is not the slice of the result "
                            "layout at the axis; tile-assign-layouts makes it so");
    Attribute layout = getLayout(op.getType());
    if (!isBlockedOrSlice(layout)) {
      auto withoutAxis = [&](ArrayRef<int32_t> index) {
        SmallVector<int32_t> in(index);
        in.erase(in.begin() + axis);
        return in;
      };
      if (!replaceWithMappedRegisters(rewriter, op, adaptor.getSrc(),
                                      op.getSrc().getType(), op.getType(),
                                      withoutAxis))
        return op.emitOpError("the slice layout does not hold, in each "
                              "thread, the elements of the result");
      return success();
    }
    SmallVector<unsigned> order = getLayoutOrder(layout);
    auto dstCounts = getElemsPerThreadPerDim(layout, op.getType().getShape());
    auto srcCounts =
        getElemsPerThreadPerDim(slice, op.getSrc().getType().getShape());
    SmallVector<unsigned> srcOrder = getLayoutOrder(slice);
    ValueRange src = adaptor.getSrc();
    SmallVector<Value> values;
    int64_t n = getNumElemsPerThread(op.getType());
    for (int64_t j = 0; j < n; ++j) {
      SmallVector<int64_t> e = delinearize(j, dstCounts, order);
      e.erase(e.begin() + axis);
      values.push_back(src[linearize(e, srcCounts, srcOrder)]);
    }
    rewriter.replaceOpWithMultiple(op, {values});
    return success();
  }
};

/// reshape: where the result's layout keeps every element in its thread and
/// register (a split of the last dimension, getSplitLastDimLayout), the
/// values are the source's; otherwise through shared memory.
struct ReshapeInPlaceToLLVM : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isInPlaceReshape(op))
      return failure();
    rewriter.replaceOpWithMultiple(op, {adaptor.getSrc()});
    return success();
  }
};

/// convert_layout between layouts that give every thread the same elements
/// (isRegisterPermutation): each result register is the source register
/// holding its element; no shared memory, no barrier.
struct ConvertInRegisters : OpConversionPattern<ConvertLayoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvertLayoutOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto srcType = cast<RankedTensorType>(op.getSrc().getType());
    if (srcType.getShape() != op.getType().getShape() ||
        !replaceWithMappedRegisters(rewriter, op, adaptor.getSrc(), srcType,
                                    op.getType(), sameIndex))
      return failure();
    return success();
  }
};

/// convert_layout between layouts that agree on what each warp holds
/// (planLaneShuffle): each result register is a shfl.sync.idx of the source
/// register holding its element, from the lane that holds it; no shared
/// memory, no barrier.
struct ConvertByShuffles : OpConversionPattern<ConvertLayoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvertLayoutOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto srcType = cast<RankedTensorType>(op.getSrc().getType());
    if (!isShuffleable(srcType.getElementType()))
      return failure();
    std::optional<LaneShufflePlan> plan =
        planLaneShuffle(srcType, op.getType());
    if (!plan)
      return failure();
    Location loc = op.getLoc();
    Value lane = getLaneAndWarp(rewriter, loc).first;
    Value srcLane = i32Const(rewriter, loc, 0);
    for (auto [i, bit] : llvm::enumerate(plan->laneBits)) {
      if (bit == 0)
        continue;
      Value set = arith::AndIOp::create(
          rewriter, loc,
          arith::ShRUIOp::create(rewriter, loc, lane,
                                 i32Const(rewriter, loc, int64_t(i))),
          i32Const(rewriter, loc, 1));
      srcLane = arith::XOrIOp::create(
          rewriter, loc, srcLane,
          arith::MulIOp::create(rewriter, loc, set,
                                i32Const(rewriter, loc, bit)));
    }
    SmallVector<Value> values;
    for (int64_t r : plan->registers)
      values.push_back(shuffleIdx(rewriter, loc, adaptor.getSrc()[r], srcLane));
    rewriter.replaceOpWithMultiple(op, {values});
    return success();
  }
};

/// Moves a tile's elements to another layout (or shape) through shared
/// memory: every thread writes its elements at their row-major position,
/// then reads the ones the new layout gives it.
template <typename SourceOp>
struct ThroughSharedMemory : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using OneToNOpAdaptor = typename OpConversionPattern<SourceOp>::OneToNOpAdaptor;
  LogicalResult
  matchAndRewrite(SourceOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto srcType = cast<RankedTensorType>(op.getSrc().getType());
    auto dstType = cast<RankedTensorType>(op.getType());
    // Booleans and other narrow types travel as whole bytes.
    Type element = sharedMemoryType(srcType.getElementType());
    if (!element)
      return op.emitOpError("cannot move elements of type ")
             << srcType.getElementType() << " through shared memory yet";
    int64_t bytes = element.getIntOrFloatBitWidth() / 8;
    auto address = [&](ArrayRef<Value> index, ArrayRef<int64_t> shape) {
      Value linear = linearIndex(rewriter, loc, index, shape);
      Value offset =
          arith::MulIOp::create(rewriter, loc, linear, i32Const(rewriter, loc, bytes));
      return scratchAddress(rewriter, loc, op, offset);
    };
    emitBarrier(rewriter, loc);
    ValueRange src = adaptor.getSrc();
    auto srcIndices = emitIndices(rewriter, loc, srcType);
    for (auto [value, index] : llvm::zip(src, srcIndices)) {
      Value stored = toSharedMemory(rewriter, loc, value);
      LLVM::StoreOp::create(rewriter, loc, stored,
                            address(index, srcType.getShape()));
    }
    emitBarrier(rewriter, loc);
    SmallVector<Value> values;
    for (auto &index : emitIndices(rewriter, loc, dstType)) {
      Value loaded = LLVM::LoadOp::create(rewriter, loc, element,
                                          address(index, dstType.getShape()));
      values.push_back(
          fromSharedMemory(rewriter, loc, loaded, dstType.getElementType()));
    }
    rewriter.replaceOpWithMultiple(op, {values});
    return success();
  }
};

} // namespace

void mlir::tile::populateShapeOpToLLVMPatterns(TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<MakeRangeToLLVM, SplatToLLVM, SplatConstantToLLVM,
               BroadcastToLLVM, ExpandDimsToLLVM,
               ThroughSharedMemory<ConvertLayoutOp>,
               ThroughSharedMemory<ReshapeOp>>(converter,
                                               patterns.getContext());
  // Before the shared-memory path, which matches every reshape and
  // conversion: registers only, then shuffles within warps.
  patterns.add<ConvertInRegisters>(converter, patterns.getContext(),
                                   /*benefit=*/3);
  patterns.add<ReshapeInPlaceToLLVM, ConvertByShuffles>(
      converter, patterns.getContext(), /*benefit=*/2);
}
