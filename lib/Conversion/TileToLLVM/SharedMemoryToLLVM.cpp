//===- SharedMemoryToLLVM.cpp - Shared buffers, cp.async, ldmatrix -------===//
//
// A tile.convert_layout whose result is an mma.sync operand (#tile.dot_operand
// of an #tile.mma version 2) goes through swizzled shared memory: the source
// stores whole vectors (up to 16 bytes) into a #tile.shared layout, and the
// operand is read back with ldmatrix, four 8x8 matrices of 16-byte rows per
// instruction, which the swizzle spreads over all 32 banks. Everything is
// derived from linear layouts (TENSOR-CORES.md section 1): the store offsets
// are the source layout composed with the inverse of the shared layout, and
// each lane's ldmatrix row address comes from the operand's own layout (the
// register, lane and warp that hold the row's first 32-bit word). Where the
// operand's layout is not one ldmatrix can deliver (a shape smaller than the
// instruction, an element type other than 8 or 16 bits), the pattern steps
// aside for the element-by-element path (ShapeOpToLLVM.cpp). Triton's
// counterpart: ConvertLayoutOpToLLVM/SharedToDotOperandMMAv2OrV3.cpp.
//
// The shared-memory ops lower here too: tile.local_alloc to its place after
// the kernel's scratch space (LoweringFacts::sharedOffset), tile.async_copy to
// cp.async (.cg for 16-byte runs, .ca for 4 or 8 bytes; zero-filled where
// masked), commit/wait to
// cp.async.commit_group/wait_group, tile.barrier to bar.sync,
// tile.local_load to ldmatrix (the same plan), vector loads (a blocked
// tile) or element loads, and tile.local_store to vector stores.
//
// Which rows each lane addresses and which registers each ldmatrix fills is
// an LdmatrixPlan (LdmatrixPlan.h), which LdmatrixPlanTest simulates.
//
//===----------------------------------------------------------------------===//

#include "LdmatrixPlan.h"
#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

/// &tileBase[offset] for elements of `bytes` bytes.
Value elementAddress(OpBuilder &b, Location loc, Value tileBase, Value offset,
                     int64_t bytes) {
  Value byteOffset =
      arith::MulIOp::create(b, loc, offset, i32Const(b, loc, bytes));
  return LLVM::GEPOp::create(b, loc, tileBase.getType(), b.getI8Type(),
                             tileBase, ValueRange{byteOffset});
}

/// A thread's part of a register-to-offset map (`map`'s first output: the
/// element offset in a shared buffer): the XOR of its lane and warp parts,
/// and the offset bits that part can set. A register's offset is the
/// thread's XOR the register's constant. Where the module asks for it
/// (`tile.shared_immediate_offsets`), the constant's bits outside `mask`,
/// which cannot meet the thread's, are added (XOR of disjoint bits) after
/// the thread's part is scaled to bytes, so LLVM folds them into the
/// access's immediate: one address register a thread for all registers of
/// a non-swizzled buffer, one per distinct swizzle XOR of a swizzled one.
/// Otherwise each constant is XORed in whole, and LLVM keeps an address
/// register per constant (the `or` of the same bits comes before the
/// widening to 64 bits, where it cannot be folded).
struct ThreadOffset {
  Value base;
  /// The bits XORed into `base` rather than added to the address: the
  /// thread part's bits, or all of them.
  int32_t mask = -1;

  ThreadOffset(OpBuilder &b, Location loc, const LinearLayout &map) {
    auto [lane, warp] = getLaneAndWarp(b, loc);
    Value l = applyLinearLayout(b, loc, map, "lane", lane)[0];
    Value w = applyLinearLayout(b, loc, map, "warp", warp)[0];
    base = arith::XOrIOp::create(b, loc, l, w);
    if (!getSharedImmediateOffsets(b.getInsertionBlock()->getParentOp()))
      return;
    mask = 0;
    for (StringRef dim : {"lane", "warp"})
      for (int i = 0; i < map.getInDimSizeLog2(dim); ++i)
        mask |= map.getBasis(dim, i)[0];
  }

  /// &tileBase[thread's offset XOR `constant`] for elements of `bytes` bytes.
  Value address(OpBuilder &b, Location loc, Value tileBase, int32_t constant,
                int64_t bytes) const {
    Value offset = base;
    if (int32_t swizzle = constant & mask)
      offset = arith::XOrIOp::create(b, loc, base, i32Const(b, loc, swizzle));
    Value address = elementAddress(b, loc, tileBase, offset, bytes);
    if (int32_t disjoint = constant & ~mask)
      address = LLVM::GEPOp::create(
          b, loc, tileBase.getType(), b.getI8Type(), address,
          ArrayRef<LLVM::GEPArg>{int32_t(disjoint * bytes)});
    return address;
  }
};

SmallVector<Value> emitLdmatrix(OpBuilder &b, Location loc,
                                const LdmatrixPlan &plan,
                                RankedTensorType dstType, Value tileBase) {
  MLIRContext *ctx = b.getContext();
  int64_t bytes = plan.element.getIntOrFloatBitWidth() / 8;
  int numRegs = plan.dstLL.getInDimSize("register");
  ThreadOffset thread(b, loc, plan.address);
  Type i32 = b.getI32Type();
  Type resultType =
      plan.num == 1 ? i32
                    : Type(LLVM::LLVMStructType::getLiteral(
                          ctx, SmallVector<Type>(plan.num, i32)));
  auto wordType = VectorType::get({plan.kWidth}, plan.element);
  SmallVector<Value> values(numRegs);
  unsigned kDim =
      cast<DotOperandLayoutAttr>(getLayout(dstType)).getOpIdx() == 0 ? 1 : 0;
  for (const LdmatrixInstruction &instr : ldmatrixInstructions(plan, kDim)) {
    Value loaded = NVVM::LdMatrixOp::create(
        b, loc, resultType,
        thread.address(b, loc, tileBase, instr.offset, bytes),
        plan.num, plan.trans ? NVVM::MMALayout::col : NVVM::MMALayout::row,
        NVVM::LdStMatrixShapeAttr::get(ctx, 8, 8),
        NVVM::LdStMatrixEltType::B16);
    for (int q = 0; q < plan.num; ++q) {
      Value word = plan.num == 1
                       ? loaded
                       : LLVM::ExtractValueOp::create(b, loc, loaded, q)
                             .getResult();
      Value elements = LLVM::BitcastOp::create(b, loc, wordType, word);
      for (int e = 0; e < plan.kWidth; ++e)
        values[instr.firstRegisters[q] + e] = fromSharedMemory(
            b, loc,
            LLVM::ExtractElementOp::create(b, loc, elements,
                                           i32Const(b, loc, e)),
            dstType.getElementType());
    }
  }
  return values;
}

/// Register-to-offset map of a tile of `type` stored with `shared`, and how
/// many consecutive registers go to consecutive offsets (at most 16 bytes).
std::pair<LinearLayout, int> storeMapOf(RankedTensorType type,
                                        SharedLayoutAttr shared,
                                        int64_t bytes) {
  LinearLayout map = cast<DistributedLayoutInterface>(getLayout(type))
                         .toLinearLayout(type.getShape())
                         .compose(shared.toLinearLayout(type.getShape()).invert());
  return {std::move(map),
          int(getSharedStoreVector(type, shared, std::max<int64_t>(1, 16 / bytes)))};
}

void storeToShared(OpBuilder &b, Location loc, RankedTensorType srcType,
                   ValueRange src, SharedLayoutAttr shared, Value tileBase) {
  Type element = sharedMemoryType(srcType.getElementType());
  int64_t bytes = element.getIntOrFloatBitWidth() / 8;
  auto [map, vec] = storeMapOf(srcType, shared, bytes);
  ThreadOffset thread(b, loc, map);
  auto vectorType = VectorType::get({vec}, element);
  for (int j = 0; j < int(src.size()); j += vec) {
    Value v = vec == 1 ? toSharedMemory(b, loc, src[j])
                       : LLVM::UndefOp::create(b, loc, vectorType);
    for (int i = 0; i < vec && vec > 1; ++i)
      v = LLVM::InsertElementOp::create(b, loc, v,
                                        toSharedMemory(b, loc, src[j + i]),
                                        i32Const(b, loc, i));
    LLVM::StoreOp::create(
        b, loc, v,
        thread.address(b, loc, tileBase, registerOffset(map, j), bytes),
        vec * bytes);
  }
}

/// A conversion's first half: `src` (a tile of `srcType`) stored with
/// `shared` layout at byte 0 of the kernel's scratch, between barriers (the
/// scratch's last readers are done before, every writer after); returns the
/// scratch's base for the second half's reads.
Value storeToScratch(OpBuilder &b, Location loc, Operation *op,
                     RankedTensorType srcType, ValueRange src,
                     SharedLayoutAttr shared) {
  Value tileBase = sharedMemoryAddress(b, loc, op, i32Const(b, loc, 0));
  emitBarrier(b, loc);
  storeToShared(b, loc, srcType, src, shared, tileBase);
  emitBarrier(b, loc);
  return tileBase;
}

/// Any register layout read from a shared buffer element by element: each
/// element's offset is the shared layout's inverse at its index.
SmallVector<Value> loadFromShared(OpBuilder &b, Location loc,
                                  RankedTensorType dstType,
                                  SharedLayoutAttr shared, Value tileBase) {
  Type element = sharedMemoryType(dstType.getElementType());
  int64_t bytes = element.getIntOrFloatBitWidth() / 8;
  LinearLayout toOffset = shared.toLinearLayout(dstType.getShape()).invert();
  SmallVector<Value> values;
  for (auto &index : emitIndices(b, loc, dstType)) {
    Value offset = i32Const(b, loc, 0);
    for (auto [d, coord] : llvm::enumerate(index))
      offset = arith::XOrIOp::create(
          b, loc, offset,
          applyLinearLayout(b, loc, toOffset, "dim" + std::to_string(d),
                            coord)[0]);
    Value loaded = LLVM::LoadOp::create(
        b, loc, element, elementAddress(b, loc, tileBase, offset, bytes));
    values.push_back(
        fromSharedMemory(b, loc, loaded, dstType.getElementType()));
  }
  return values;
}

/// The elements of a tile of `dstType` read from a buffer with `shared`
/// layout at `tileBase`: each run of registers that the shared layout keeps
/// contiguous (up to 16 bytes) in one vector load, at the thread's offset
/// XOR the run's (the map from registers, lanes and warps to offsets is
/// linear).
SmallVector<Value> loadVectorsFromShared(OpBuilder &b, Location loc,
                                         RankedTensorType dstType,
                                         SharedLayoutAttr shared,
                                         Value tileBase) {
  Type element = sharedMemoryType(dstType.getElementType());
  int64_t bytes = element.getIntOrFloatBitWidth() / 8;
  auto [map, vec] = storeMapOf(dstType, shared, bytes);
  ThreadOffset thread(b, loc, map);
  auto vectorType = VectorType::get({vec}, element);
  int numRegs = map.getInDimSize("register");
  SmallVector<Value> values;
  for (int j = 0; j < numRegs; j += vec) {
    Value address =
        thread.address(b, loc, tileBase, registerOffset(map, j), bytes);
    if (vec == 1) {
      values.push_back(fromSharedMemory(
          b, loc, LLVM::LoadOp::create(b, loc, element, address),
          dstType.getElementType()));
      continue;
    }
    Value loaded =
        LLVM::LoadOp::create(b, loc, vectorType, address, vec * bytes);
    for (int i = 0; i < vec; ++i)
      values.push_back(fromSharedMemory(
          b, loc,
          LLVM::ExtractElementOp::create(b, loc, loaded, i32Const(b, loc, i)),
          dstType.getElementType()));
  }
  return values;
}

/// A conversion between two distributed layouts of a rank-2 tile that moves
/// elements across warps: through shared memory in an XOR-swizzled layout
/// (#tile.shared, rows along the source's contiguous dimension), written in
/// the source's vectors and read in the destination's, up to 16 bytes a
/// thread each. The swizzle spreads what one instruction of either side
/// touches over the banks (Triton: a swizzled shared encoding chosen for
/// the conversion, ConvertLayoutOpToLLVM.cpp); row-major without it, the
/// reads of a transposing conversion hit one bank per 32 rows.
struct ConvertThroughSwizzledShared : OpConversionPattern<ConvertLayoutOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvertLayoutOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto srcType = cast<RankedTensorType>(op.getSrc().getType());
    auto dstType = cast<RankedTensorType>(op.getType());
    auto src = dyn_cast_if_present<DistributedLayoutInterface>(getLayout(srcType));
    auto dst = dyn_cast_if_present<DistributedLayoutInterface>(getLayout(dstType));
    Type element = sharedMemoryType(srcType.getElementType());
    if (!src || !dst || isa<DotOperandLayoutAttr>(getLayout(dstType)) ||
        !element || srcType.getRank() != 2 ||
        convertsWithinWarps(srcType, dstType))
      return rewriter.notifyMatchFailure(op, "not a cross-warp 2-D conversion");
    int64_t bytes = element.getIntOrFloatBitWidth() / 8;
    // Rows along the dimension the source's registers run in (its stores
    // are then whole vectors); whole 16-byte chunks a row.
    LinearLayout srcLL = src.toLinearLayout(srcType.getShape());
    unsigned fastest = 1;
    if (srcLL.getInDimSizeLog2("register") > 0 &&
        srcLL.getBasis("register", 0)[0] != 0 &&
        srcLL.getBasis("register", 0)[1] == 0)
      fastest = 0;
    if (srcType.getDimSize(fastest) * bytes < 16)
      return rewriter.notifyMatchFailure(op, "rows shorter than 16 bytes");
    SharedLayoutAttr shared = getSwizzledSharedLayout(
        rewriter.getContext(), srcType.getShape(), bytes, fastest);
    Value tileBase = storeToScratch(rewriter, loc, op, srcType,
                                    adaptor.getSrc(), shared);
    rewriter.replaceOpWithMultiple(
        op, {loadVectorsFromShared(rewriter, loc, dstType, shared, tileBase)});
    return success();
  }
};

struct ConvertToMmaOperand : OpConversionPattern<ConvertLayoutOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvertLayoutOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto srcType = cast<RankedTensorType>(op.getSrc().getType());
    auto dstType = cast<RankedTensorType>(op.getType());
    auto dst = dyn_cast<DotOperandLayoutAttr>(getLayout(dstType));
    Type element = sharedMemoryType(dstType.getElementType());
    if (!dst || !element || dstType.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "not an mma operand");
    SharedLayoutAttr shared =
        getOperandSharedLayout(srcType, dst, element.getIntOrFloatBitWidth());
    std::optional<LdmatrixPlan> plan = planLdmatrix(dstType, shared);
    if (!plan)
      return rewriter.notifyMatchFailure(op, "not a layout ldmatrix delivers");
    Value tileBase = storeToScratch(rewriter, loc, op, srcType,
                                    adaptor.getSrc(), shared);
    rewriter.replaceOpWithMultiple(
        op, {emitLdmatrix(rewriter, loc, *plan, dstType, tileBase)});
    return success();
  }
};

/// A buffer ring's base: its place after the kernel's scratch space.
struct LocalAllocToLLVM : OpConversionPattern<LocalAllocOp> {
  LocalAllocToLLVM(TypeConverter &converter, MLIRContext *ctx,
                   const LoweringFacts &facts)
      : OpConversionPattern(converter, ctx), facts(facts) {}
  LogicalResult
  matchAndRewrite(LocalAllocOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto it = facts.sharedOffset.find(op);
    if (it == facts.sharedOffset.end())
      return op.emitOpError("has no place in shared memory (a local_alloc "
                            "outside a kernel?)");
    // Its bytes were scratch before the rings' life: the other warps may
    // still read them (removeRedundantBarriers drops it where none can).
    if (facts.barrierBeforeAlloc.contains(op))
      NVVM::Barrier0Op::create(rewriter, op.getLoc());
    rewriter.replaceOp(op, sharedMemoryAddress(
                               rewriter, op.getLoc(), op,
                               i32Const(rewriter, op.getLoc(), it->second)));
    return success();
  }
  const LoweringFacts &facts;
};

/// cp.async of each run of the thread's registers that both sides keep
/// contiguous: .cg (L2 only) for 16 bytes, .ca for 4 or 8 (.cg takes only
/// 16); a masked-off run reads nothing (source size 0) and writes zeros.
/// A lowered `!tile.async_token`: it carries no data (an i32 zero that
/// nothing reads, which canonicalization removes).
Value asyncToken(OpBuilder &b, Location loc) { return i32Const(b, loc, 0); }

struct AsyncCopyToLLVM : OpConversionPattern<AsyncCopyOp> {
  AsyncCopyToLLVM(TypeConverter &converter, MLIRContext *ctx,
                  const LoweringFacts &facts)
      : OpConversionPattern(converter, ctx), facts(facts) {}
  LogicalResult
  matchAndRewrite(AsyncCopyOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MemDescType type = op.getBuffer().getType();
    auto ptrType = cast<RankedTensorType>(op.getPtr().getType());
    auto shared = cast<SharedLayoutAttr>(type.getEncoding());
    int64_t bytes = type.getElementType().getIntOrFloatBitWidth() / 8;
    auto [map, layoutVec] = storeMapOf(ptrType, shared, bytes);
    // The run both layouts keep contiguous, as far as the pointers'
    // contiguity and alignment and the mask's constancy allow.
    int64_t vec = layoutVec;
    if (auto it = facts.vectorWidth.find(op); it != facts.vectorWidth.end())
      vec = std::min<int64_t>(vec, it->second);
    int64_t size = vec * bytes;
    if (size != 4 && size != 8 && size != 16)
      return op.emitOpError("needs runs of 4, 8 or 16 contiguous bytes per "
                            "thread in the pointers' layout and the "
                            "buffer's, got ")
             << size;
    auto modifier = size == 16 ? NVVM::LoadCacheModifierKind::CG
                               : NVVM::LoadCacheModifierKind::CA;
    Value tileBase = stageBase(rewriter, loc, adaptor.getBuffer().front(), type,
                               adaptor.getStage().front());
    ThreadOffset thread(rewriter, loc, map);
    ValueRange ptrs = adaptor.getPtr(), masks = adaptor.getMask();
    // Where the pointers' layout gives several threads (or registers) the
    // same element, only one copy is made: two copies of one chunk in flight
    // are a write-write race (compute-sanitizer racecheck), whatever they
    // carry.
    Value representative = emitRepresentativePredicate(rewriter, loc, ptrType);
    for (int j = 0; j < int(ptrs.size()); j += vec) {
      if (isInThreadDuplicate(ptrType, j))
        continue;
      Value srcSize = i32Const(rewriter, loc, size);
      // The mask is constant over the run (tile-pipeline checks).
      if (!masks.empty())
        srcSize = arith::SelectOp::create(rewriter, loc, masks[j], srcSize,
                                          i32Const(rewriter, loc, 0));
      Value dst = thread.address(rewriter, loc, tileBase,
                                 registerOffset(map, j), bytes);
      if (representative) {
        std::string ptx =
            llvm::formatv("@$3 cp.async.{0}.shared.global [ $0 ], [ $1 ], "
                          "{1}, $2;",
                          size == 16 ? "cg" : "ca", size)
                .str();
        emitInlinePTX(rewriter, loc, {}, {dst, ptrs[j], srcSize, representative},
                      ptx, "l,l,r,b", /*hasSideEffects=*/true);
        continue;
      }
      NVVM::CpAsyncOp::create(
          rewriter, loc, dst, ptrs[j], rewriter.getI32IntegerAttr(size),
          NVVM::LoadCacheModifierKindAttr::get(rewriter.getContext(), modifier),
          srcSize);
    }
    rewriter.replaceOp(op, asyncToken(rewriter, loc));
    return success();
  }
  const LoweringFacts &facts;
};

struct AsyncCommitToLLVM : OpConversionPattern<AsyncCommitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AsyncCommitOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    NVVM::CpAsyncCommitGroupOp::create(rewriter, op.getLoc());
    rewriter.replaceOp(op, asyncToken(rewriter, op.getLoc()));
    return success();
  }
};

struct AsyncWaitToLLVM : OpConversionPattern<AsyncWaitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AsyncWaitOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    NVVM::CpAsyncWaitGroupOp::create(rewriter, op.getLoc(), op.getPending());
    rewriter.replaceOp(op, asyncToken(rewriter, op.getLoc()));
    return success();
  }
};

struct BarrierToLLVM : OpConversionPattern<BarrierOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BarrierOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    emitBarrier(rewriter, op.getLoc());
    rewriter.eraseOp(op);
    return success();
  }
};

/// ldmatrix where the plan allows, element by element otherwise.
struct LocalLoadToLLVM : OpConversionPattern<LocalLoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LocalLoadOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MemDescType type = op.getBuffer().getType();
    auto shared = cast<SharedLayoutAttr>(type.getEncoding());
    Value tileBase = stageBase(rewriter, loc, adaptor.getBuffer().front(), type,
                               adaptor.getStage().front());
    RankedTensorType dstType = op.getType();
    std::optional<LdmatrixPlan> plan = planLdmatrix(dstType, shared);
    // A blocked tile (a wgmma operand's tile read to be widened) in vectors.
    if (!plan && isa<BlockedLayoutAttr>(getLayout(dstType))) {
      rewriter.replaceOpWithMultiple(
          op, {loadVectorsFromShared(rewriter, loc, dstType, shared, tileBase)});
      return success();
    }
    rewriter.replaceOpWithMultiple(
        op, {plan ? emitLdmatrix(rewriter, loc, *plan, dstType, tileBase)
                  : loadFromShared(rewriter, loc, dstType, shared, tileBase)});
    return success();
  }
};

/// Each run of registers the buffer's layout keeps contiguous (up to 16
/// bytes) in one vector store (storeToShared).
struct LocalStoreToLLVM : OpConversionPattern<LocalStoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LocalStoreOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MemDescType type = op.getBuffer().getType();
    Value tileBase = stageBase(rewriter, loc, adaptor.getBuffer().front(), type,
                               adaptor.getStage().front());
    storeToShared(rewriter, loc, op.getValue().getType(), adaptor.getValue(),
                  cast<SharedLayoutAttr>(type.getEncoding()), tileBase);
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void mlir::tile::populateSharedMemoryToLLVMPatterns(
    TypeConverter &converter, RewritePatternSet &patterns,
    const LoweringFacts &facts) {
  MLIRContext *ctx = patterns.getContext();
  // Before the element-by-element path through shared memory (benefit 1);
  // neither matches what the in-register and shuffle paths take.
  patterns.add<ConvertToMmaOperand, ConvertThroughSwizzledShared>(
      converter, ctx, /*benefit=*/2);
  patterns.add<LocalAllocToLLVM, AsyncCopyToLLVM>(converter, ctx, facts);
  patterns.add<AsyncCommitToLLVM, AsyncWaitToLLVM, BarrierToLLVM,
               LocalLoadToLLVM, LocalStoreToLLVM>(converter, ctx);
}
