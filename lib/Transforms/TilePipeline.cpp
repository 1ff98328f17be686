//===- TilePipeline.cpp - The tile-pipeline pass --------------------------===//
//
// Software-pipelines K loops: a tile loaded from global memory in an scf.for
// and only converted to an mma.sync operand (#tile.dot_operand; the same
// conversion for every dot that reads it, made one here) becomes a ring of
// S shared buffers filled by cp.async S - 1 iterations ahead:
//
//   prologue:  copy tiles 0 .. S-2 into buffers 0 .. S-2, one group each
//   iteration i (buffer r = i % S):
//     wait until tile i has landed (at most S-2 groups pending); barrier
//     read buffer r with ldmatrix (tile.local_load)
//     copy tile i + S - 1 into buffer (i + S - 1) % S (read in iteration
//     i - 1, before the barrier); commit
//     the dot
//   epilogue:  wait for every group; barrier (the rings are free again)
//
// With the option other-loads (off by default), the loop's other loads of
// 4-byte or wider elements whose masked lanes read 0 (a GEMM's per-group
// scales) ride in the same groups, each into a ring of its own unswizzled
// buffers, and are read back where the load was, in its layout (plain
// shared loads): their global latency is hidden S - 1 iterations deep,
// where a load in the body is consumed in the same iteration. (Not in a loop
// with a loop inside, whose own pipeline's waits would count these copies.)
// It is off by default (a module asks for it with tile.pipeline_other_loads):
// made in the load's own layout, which for an mma slice repeats each element
// over lanes and warps (a copy per element a thread holds, each a 64-bit
// pointer and a predicate), it measured slower on the grouped GEMM
// (RESULTS.md, 2026-11-30 13:39). A 1-D load whose pointers and mask are
// index arithmetic is now copied one element a thread instead
// (copyLayoutFor: the arithmetic computed again in a blocked layout, what
// comes from before the loop once there) and read back in its own layout;
// on the native grouped GEMM that leaves no conversion in the loop and no
// spills at 128x128 (ptxas), not yet measured on a GPU.
//
// A dot with a wgmma accumulator (`#tile.mma` version 3, from
// tile-accelerate-matmul) reads its operands' buffers directly: its two
// local_loads and the dot become one tile.warpgroup_dot over the rings, and
// a tile.fence_async_shared between the wait and the barrier orders the
// landed copies before the tensor cores' reads. A version 3 dot whose
// operands did not become rings goes back to mma.sync (demoteToMmaV2).
// Where a body holds two or more warpgroup dots whose operands are all
// computed before the first (a grouped GEMM's quant groups of one iteration,
// each from a constant), they are issued together, asynchronously, and each
// is waited for just before its first use (issueDotsTogether): the first
// group's dequantization runs while the later groups' dots compute. A chain
// of dots (a quant group's K tiles, each the next one's accumulator) goes
// in flight likewise, waited for once. An f16_exact dot's int8 tiles are
// widened into f16 buffers that an f16 wgmma reads (widenToF16), in their
// own iteration or, with widen-ahead, one iteration early while the dots
// compute (widenTilesAhead).
//
// A copy past the loop's end is masked off (zero-filled, nothing read), as
// a load's masked lanes read `other` = 0. The loads' address arithmetic is
// cloned for iterations i + S - 1 and 0 .. S - 2. Triton's counterpart: the
// software pipeliner's loop expansion (lib/Dialect/TritonGPU/Transforms/
// Pipeliner), here for the one schedule a K loop of dots needs.
//
//===----------------------------------------------------------------------===//

#include "tile/Analysis/AxisInfo.h"
#include "CarryInConvertedLayout.h"
#include "IndexArithmetic.h"
#include "tile/Dialect/Tile/SharedBufferAlignment.h"
#include "tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <limits>

namespace mlir::tile {
#define GEN_PASS_DEF_TILEPIPELINEPASS
#include "tile/Transforms/Passes.h.inc"
} // namespace mlir::tile

using namespace mlir;
using namespace mlir::tile;

namespace {

/// A load whose tile only feeds an mma operand conversion (`convert`), or
/// another load of the loop (no `convert`: read back in its own layout), and
/// what it takes to copy it asynchronously.
struct Candidate {
  LoadOp load;
  ConvertLayoutOp convert;
  SharedLayoutAttr shared;
  /// The loop-body ops its pointers and mask are computed by, in order.
  SmallVector<Operation *> slice;
  /// For another load: the layout its copies are made in, when not the
  /// load's own (copyLayoutFor).
  Attribute copyLayout;
};

/// Whether tile `v` (through the loop body and before it) is index
/// arithmetic any layout computes the same (IndexArithmetic.h).
bool computableInAnyLayout(Value v) {
  return !isa<RankedTensorType>(v.getType()) ||
         !indexArithmetic(v, Cheap::Shapes,
                          std::numeric_limits<size_t>::max())
              .empty();
}

/// The layout a 1-D load's copies are better made in than its own: one
/// element a thread, the CTA's threads in order (blocked), where the load's
/// layout gives each thread several elements that other threads hold too
/// (an mma accumulator's row or column slice), and its pointers and mask
/// can be computed in any layout. Null otherwise.
Attribute copyLayoutFor(LoadOp load, unsigned numWarps) {
  auto type = cast<RankedTensorType>(load.getType());
  if (type.getRank() != 1 ||
      isa_and_present<BlockedLayoutAttr>(getLayout(load.getPtr().getType())))
    return {};
  if (!computableInAnyLayout(load.getPtr()) ||
      (load.getMask() && !computableInAnyLayout(load.getMask())))
    return {};
  return BlockedLayoutAttr::get(load.getContext(), {1}, {32}, {numWarps},
                                {0});
}

bool isZeroSplat(Value v) {
  if (!v)
    return true;
  return matchPattern(v, m_AnyZeroFloat()) || matchPattern(v, m_Zero());
}

/// The ops of `body` that `roots` depend on, in program order; false when one
/// has side effects or reads a block argument other than the induction
/// variable `iv` (a value carried from the previous iteration).
bool collectSlice(Block *body, Value iv, ArrayRef<Value> roots,
                  SmallVector<Operation *> &slice) {
  llvm::SetVector<Operation *> seen;
  SmallVector<Value> work(roots.begin(), roots.end());
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() == body && arg != iv)
        return false;
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (def->getBlock() != body || seen.contains(def))
      continue;
    if (!isMemoryEffectFree(def) || def->getNumRegions() != 0)
      return false;
    seen.insert(def);
    llvm::append_range(work, def->getOperands());
  }
  slice.assign(seen.begin(), seen.end());
  llvm::sort(slice, [](Operation *a, Operation *b) {
    return a->isBeforeInBlock(b);
  });
  return true;
}

/// Whether a thread's accesses through `load` come in runs of 16 bytes that
/// `shared` keeps contiguous: what one cp.async.cg moves.
bool copiesInSixteenBytes(LoadOp load, SharedLayoutAttr shared,
                          const AxisInfoAnalysis &axis) {
  auto ptrType = cast<RankedTensorType>(load.getPtr().getType());
  if (!getLayout(ptrType))
    return false;
  Type element = cast<PtrType>(ptrType.getElementType()).getPointeeType();
  int64_t bytes = element.getIntOrFloatBitWidth() / 8;
  if (bytes == 0)
    return false;
  int64_t vec = 16 / bytes;
  if (getSharedStoreVector(ptrType, shared, vec) != vec)
    return false;
  unsigned fastest = shared.getOrder()[0];
  AxisInfo info = axis.get(load.getPtr());
  if (info.contiguity[fastest] < vec || info.divisibility[fastest] < 16)
    return false;
  return !load.getMask() || axis.get(load.getMask()).constancy[fastest] >= vec;
}

/// For a load read back in its own layout: an unswizzled buffer in the
/// order of the load's layout, for elements of 4 bytes or more (each run of
/// a thread's accesses is then 4, 8 or 16 bytes, what one cp.async moves;
/// the lowering takes the run from the pointers' contiguity and alignment).
SharedLayoutAttr plainCopyLayout(LoadOp load) {
  auto type = dyn_cast<RankedTensorType>(load.getType());
  if (!type)
    return {};
  Attribute layout = getLayout(load.getPtr().getType());
  Type element = type.getElementType();
  if (!isa_and_present<DistributedLayoutInterface>(layout) ||
      !element.isIntOrFloat() || element.getIntOrFloatBitWidth() < 32 ||
      element.getIntOrFloatBitWidth() % 8 || type.getRank() > 2)
    return {};
  return SharedLayoutAttr::get(load.getContext(), 1, 1, 1,
                               getLayoutOrder(layout));
}

struct TilePipelinePass
    : mlir::tile::impl::TilePipelinePassBase<TilePipelinePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int stages = numStages ? int(numStages) : int(getNumStages(module));
    if (stages < 1 || stages > 8) {
      module.emitError("tile.num_stages must be from 1 to 8, got ") << stages;
      return signalPassFailure();
    }
    PipelineCopiesAt copiesAtHere = getPipelineCopiesAt(module);
    if (!copiesAt.empty()) {
      std::optional<PipelineCopiesAt> parsed = parsePipelineCopiesAt(copiesAt);
      if (!parsed) {
        module.emitError("tile-pipeline: copies-at must be top, "
                         "after_first_dot or bottom, got '")
            << copiesAt << "'";
        return signalPassFailure();
      }
      copiesAtHere = *parsed;
    }
    if (stages > 1) {
      for (auto func : module.getOps<func::FuncOp>()) {
        if (func.isExternal())
          continue;
        AxisInfoAnalysis axis(func);
        SmallVector<scf::ForOp> loops;
        func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
        for (scf::ForOp loop : loops)
          pipeline(loop, stages, copiesAtHere, axis);
      }
    }
    // A wgmma dot whose operands did not become rings (tile-accelerate-
    // matmul expected them to) computes on mma.sync after all.
    SmallVector<DotOp> unstaged;
    module.walk([&](DotOp dot) {
      if (auto mma = dyn_cast<MmaLayoutAttr>(getLayout(dot.getType()));
          mma && mma.getVersion() == 3)
        unstaged.push_back(dot);
    });
    for (DotOp dot : unstaged)
      demoteToMmaV2(dot);
    // Its accumulator, which the loop carried in the wgmma layout, is
    // carried in mma.sync's: no conversion of it in the loop.
    if (!unstaged.empty()) {
      RewritePatternSet patterns(&getContext());
      populateCarryInConvertedLayoutPatterns(patterns);
      (void)applyPatternsGreedily(module, std::move(patterns));
    }
  }

  /// `dot` (a version 3 accumulator, operands in its dot_operand layouts)
  /// on mma.sync's layouts, converting at its boundaries.
  static void demoteToMmaV2(DotOp dot) {
    MLIRContext *ctx = dot.getContext();
    MmaLayoutAttr v2 = getMmaV2Layout(dot, getNumWarps(dot));
    unsigned kWidth = *getMmaV2KWidth(dot);
    OpBuilder b(dot);
    Location loc = dot.getLoc();
    // From the operands' sources: a conversion to the version 3 operand
    // layout is replaced, not stacked.
    auto convert = [&](Value v, Attribute layout) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      if (auto earlier = v.getDefiningOp<ConvertLayoutOp>();
          earlier && isa<DotOperandLayoutAttr>(getLayout(type)))
        v = earlier.getSrc();
      return ConvertLayoutOp::create(b, loc, withLayout(type, layout), v);
    };
    Value a = convert(dot.getA(), DotOperandLayoutAttr::get(ctx, 0, v2, kWidth));
    Value bOperand =
        convert(dot.getB(), DotOperandLayoutAttr::get(ctx, 1, v2, kWidth));
    Value c = convert(dot.getC(), v2);
    auto product = DotOp::create(b, loc, withLayout(dot.getType(), v2), a,
                                 bOperand, c, dot.getInputPrecisionAttr());
    dot.replaceAllUsesWith(convert(product, getLayout(dot.getType())));
    Value operands[] = {dot.getA(), dot.getB()};
    dot.erase();
    for (Value operand : operands)
      if (auto dead = operand.getDefiningOp<ConvertLayoutOp>();
          dead && dead->use_empty())
        dead.erase();
  }

  /// The f16 buffer (one stage, wgmma's swizzle) that `read` (a
  /// tile.local_load of an int8 ring, K along `kDim`) is widened into, at
  /// the read's place: the ring's tile read again in a blocked layout (16
  /// bytes of a row a thread), converted to f16 (exactly) and stored. One
  /// buffer per read (`widened`), allocated before `loop`.
  static Value widenToF16(scf::ForOp loop, LocalLoadOp read, unsigned kDim,
                          llvm::DenseMap<Operation *, Value> &widened) {
    if (Value done = widened.lookup(read))
      return done;
    MLIRContext *ctx = read.getContext();
    Location loc = read.getLoc();
    MemDescType ring = read.getBuffer().getType();
    ArrayRef<int64_t> shape = ring.getTileShape();
    unsigned mnDim = 1 - kDim;
    Type f16 = Float16Type::get(ctx);
    OpBuilder before(loop);
    Value wide = LocalAllocOp::create(
        before, loc,
        MemDescType::get(ctx, {1, shape[0], shape[1]}, f16,
                         getSwizzledSharedLayout(ctx, shape, 2, kDim)));
    // 16 int8 of a row a thread (fewer, down to 4, where the rows would
    // not give every thread its own), a row's threads next to each other,
    // the warps over the rows.
    SmallVector<unsigned> spt(2, 1), tpw(2, 1), wpc(2, 1);
    wpc[mnDim] = getNumWarps(loop);
    for (int64_t run = 16;; run /= 2) {
      spt[kDim] = unsigned(std::min<int64_t>(run, shape[kDim]));
      tpw[kDim] = unsigned(std::min<int64_t>(32, shape[kDim] / spt[kDim]));
      tpw[mnDim] = 32 / tpw[kDim];
      if (run == 4 || int64_t(tpw[mnDim]) * wpc[mnDim] <= shape[mnDim])
        break;
    }
    auto blocked = BlockedLayoutAttr::get(ctx, spt, tpw, wpc, {kDim, mnDim});
    OpBuilder at(read->getBlock(), std::next(read->getIterator()));
    Value bytes = LocalLoadOp::create(
        at, loc, RankedTensorType::get(shape, ring.getElementType(), blocked),
        read.getBuffer(), read.getStage(), read.getToken());
    Value halves = arith::SIToFPOp::create(
        at, loc, RankedTensorType::get(shape, f16, blocked), bytes);
    LocalStoreOp::create(at, loc, halves, wide,
                         arith::ConstantIntOp::create(at, loc, at.getI32Type(), 0));
    widened[read] = wide;
    return wide;
  }

  /// The dots of `body` with a version 3 accumulator whose operands are
  /// tile.local_loads of rings (made just now) become tile.warpgroup_dots
  /// reading the rings; the loads go where nothing else reads them. An
  /// f16_exact dot's int8 tiles are widened into f16 buffers first
  /// (widenToF16), every thread's stores fenced for the async proxy and
  /// carried to every warpgroup by a barrier before the first dot, and the
  /// dot is an f16 one (ieee) over them: its products are exact and its
  /// chain the same f32 chain, so the sums are f16_exact's.
  static bool formWarpgroupDots(scf::ForOp loop) {
    Block *body = loop.getBody();
    SmallVector<DotOp> dots;
    for (Operation &op : *body)
      if (auto dot = dyn_cast<DotOp>(op))
        if (auto mma = dyn_cast<MmaLayoutAttr>(getLayout(dot.getType()));
            mma && mma.getVersion() == 3)
          dots.push_back(dot);
    // The reads of the f16_exact dots' rings, which all come before the
    // first dot (tile-pipeline reads every ring after its barrier).
    llvm::DenseMap<Operation *, Value> widened;
    for (DotOp dot : dots) {
      if (dot.getInputPrecision() != InputPrecision::F16Exact)
        continue;
      for (Value operand : {dot.getA(), dot.getB()}) {
        auto read = operand.getDefiningOp<LocalLoadOp>();
        if (!read || !read->isBeforeInBlock(dots.front()))
          return false;
      }
    }
    bool formed = false;
    for (DotOp dot : dots) {
      auto a = dot.getA().getDefiningOp<LocalLoadOp>();
      auto b = dot.getB().getDefiningOp<LocalLoadOp>();
      if (!a || !b)
        continue;
      Value aBuffer = a.getBuffer(), aStage = a.getStage();
      Value bBuffer = b.getBuffer(), bStage = b.getStage();
      InputPrecisionAttr precision = dot.getInputPrecisionAttr();
      if (dot.getInputPrecision() == InputPrecision::F16Exact) {
        aBuffer = widenToF16(loop, a, 1, widened);
        bBuffer = widenToF16(loop, b, 0, widened);
        OpBuilder zero(loop);
        aStage = bStage = arith::ConstantIntOp::create(zero, loop.getLoc(), zero.getI32Type(), 0);
        precision = InputPrecisionAttr::get(dot.getContext(),
                                            InputPrecision::IEEE);
      }
      if (!getWgmmaSwizzleBytes(cast<MemDescType>(aBuffer.getType()), 1) ||
          !getWgmmaSwizzleBytes(cast<MemDescType>(bBuffer.getType()), 0))
        continue;
      OpBuilder builder(dot);
      auto product = WarpgroupDotOp::create(
          builder, dot.getLoc(), dot.getType(), aBuffer, aStage, bBuffer,
          bStage, dot.getC(), precision, /*isAsync=*/nullptr);
      dot.replaceAllUsesWith(product.getResult());
      dot.erase();
      for (LocalLoadOp load : {a, b})
        if (load->use_empty())
          load.erase();
      formed = true;
    }
    // The widened tiles: every thread's stores before the tensor cores'
    // reads (the barrier at the top of the next iteration, after every dot
    // of this one has finished reading, orders the next stores).
    if (!widened.empty()) {
      Operation *lastStore = nullptr;
      for (Operation &op : *body)
        if (isa<LocalStoreOp>(op))
          lastStore = &op;
      OpBuilder after(body, std::next(lastStore->getIterator()));
      FenceAsyncSharedOp::create(after, loop.getLoc());
      BarrierOp::create(after, loop.getLoc());
    }
    return formed;
  }

  /// The warpgroup dots of `body` (a pipelined K loop's) issued together,
  /// asynchronously, where the first of them is, when every operand of
  /// each is there already (computed before it: a grouped GEMM's per-group
  /// products start from a constant), or is the accumulator of the dot
  /// before it in a chain (its only use: f16_exact's K tiles of one group,
  /// each added to the last, which wgmma accumulates in flight, in order,
  /// in the same registers). The last dot of each chain is waited for
  /// (tile.warpgroup_dot_wait) just before its result's first use. Groups
  /// complete in the order they were committed, so the k-th of n is done
  /// once at most n - k are pending, wherever its wait is. What uses the
  /// first result (a group's dequantization) then runs while the later
  /// dots compute. Nothing stays in flight past the body (every chain's
  /// result is used in it: the loop yields what they make), so the barrier
  /// of the next iteration still ends every read of the buffers. Returns
  /// whether it applied (two or more such dots).
  static bool issueDotsTogether(Block *body) {
    SmallVector<WarpgroupDotOp> dots;
    for (Operation &op : *body)
      if (auto dot = dyn_cast<WarpgroupDotOp>(op))
        dots.push_back(dot);
    int64_t all = 0;
    body->walk([&](WarpgroupDotOp) { ++all; });
    if (dots.size() < 2 || int64_t(dots.size()) != all)
      return false;
    WarpgroupDotOp first = dots.front();
    // The dot whose accumulator is this one's result, where that is its
    // only use (the chain goes on in flight).
    auto chainedInto = [](WarpgroupDotOp dot) -> WarpgroupDotOp {
      if (!dot->hasOneUse())
        return {};
      auto next = dyn_cast<WarpgroupDotOp>(*dot->user_begin());
      return next && next.getC() == dot.getResult() &&
                     next->getBlock() == dot->getBlock()
                 ? next
                 : WarpgroupDotOp();
    };
    for (WarpgroupDotOp dot : dots)
      for (Value operand : dot->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (!def || def->getBlock() != body || def->isBeforeInBlock(first))
          continue;
        auto previous = dyn_cast<WarpgroupDotOp>(def);
        if (!previous || chainedInto(previous) != dot)
          return false;
      }
    OpBuilder at(first);
    int64_t n = dots.size();
    IRMapping issuedAs;
    for (auto [k, dot] : llvm::enumerate(dots)) {
      auto issued = WarpgroupDotOp::create(
          at, dot.getLoc(), dot.getType(), dot.getA(), dot.getAStage(),
          dot.getB(), dot.getBStage(), issuedAs.lookupOrDefault(dot.getC()),
          dot.getInputPrecisionAttr(), at.getUnitAttr());
      if (chainedInto(dot)) {
        issuedAs.map(dot.getResult(), issued.getResult());
        continue;
      }
      // Just before its first use in the body (a use in a region: before
      // the op holding it).
      Operation *firstUse = body->getTerminator();
      for (Operation *user : dot->getUsers()) {
        Operation *inBody = body->findAncestorOpInBlock(*user);
        if (inBody && inBody->isBeforeInBlock(firstUse))
          firstUse = inBody;
      }
      OpBuilder before(firstUse);
      Value ready = WarpgroupDotWaitOp::create(before, dot.getLoc(),
                                               ValueRange{issued.getResult()},
                                               n - 1 - int64_t(k))
                        .getResult(0);
      dot.replaceAllUsesWith(ready);
    }
    for (WarpgroupDotOp dot : llvm::reverse(dots))
      dot.erase();
    return true;
  }

  /// f16_exact's widening (widenToF16), made one iteration ahead, so that
  /// it runs while the tensor cores compute: where the body's warpgroup
  /// dots are issued together (issueDotsTogether), tile i + 1 is widened
  /// right after they are issued, into the other of two f16 buffers (the
  /// dots of iteration i read buffer i % 2), and tile 0 before the loop.
  /// Each thread reads back exactly the bytes it copied (the copy's own
  /// layout), which its own cp.async wait makes visible to it: no barrier
  /// between the wait and the reads. The barrier at the top of the next
  /// iteration (after its proxy fence) carries the stores to the tensor
  /// cores, and orders them after the previous dots' reads of the buffer
  /// (those were waited for in the iteration before). Left as it is where
  /// the wait cannot be placed (copies after the dots with 2 stages).
  static void widenTilesAhead(scf::ForOp loop, Value i, int stages) {
    Block *body = loop.getBody();
    SmallVector<LocalStoreOp> stores;
    for (Operation &op : *body)
      if (auto store = dyn_cast<LocalStoreOp>(op))
        stores.push_back(store);
    if (stores.empty())
      return;
    // The widening goes after the dots are issued and this iteration's
    // copies committed, before the first wait for a dot (else nothing
    // computes while it runs: copies at the bottom).
    Operation *lastDot = nullptr, *commit = nullptr, *firstWait = nullptr;
    for (Operation &op : *body) {
      if (isa<WarpgroupDotOp>(op))
        lastDot = &op;
      if (isa<AsyncCommitOp>(op))
        commit = &op;
      if (isa<WarpgroupDotWaitOp>(op) && !firstWait)
        firstWait = &op;
    }
    if (!lastDot || !commit || !firstWait ||
        !commit->isBeforeInBlock(firstWait))
      return;
    Operation *place = commit->isBeforeInBlock(lastDot) ? lastDot : commit;
    // There, tile i + 1's copies have landed once at most S - 2 newer
    // groups are in flight. At least one must stay in flight: with none,
    // tile i + 1's copies were issued just now and the widening would wait
    // out their whole latency (measured slower: bench/RESULTS.md,
    // 2026-12-02).
    int pending = stages - 2;
    if (pending < 1)
      return;
    struct Widening {
      LocalLoadOp read;
      arith::SIToFPOp widen;
      LocalStoreOp store;
      Attribute copyLayout;
    };
    SmallVector<Widening> widenings;
    for (LocalStoreOp store : stores) {
      auto widen = store.getValue().getDefiningOp<arith::SIToFPOp>();
      auto read = widen ? widen.getIn().getDefiningOp<LocalLoadOp>()
                        : LocalLoadOp();
      if (!read)
        return;
      Attribute copyLayout;
      for (Operation *user : read.getBuffer().getUsers())
        if (auto copy = dyn_cast<AsyncCopyOp>(user))
          copyLayout = getLayout(copy.getPtr().getType());
      if (!copyLayout)
        return;
      widenings.push_back({read, widen, store, copyLayout});
    }
    // The second set of f16 buffers must fit beside the kernel's other
    // buffers, placed as the lowering places them (computeSharedAllocation:
    // in order, each at its getSharedBufferAlignment; the f16 buffers are
    // read by wgmma).
    llvm::SmallPtrSet<Value, 8> wide;
    for (Widening &w : widenings)
      wide.insert(w.store.getBuffer());
    int64_t end = 0;
    loop->getParentOfType<func::FuncOp>().walk([&](LocalAllocOp alloc) {
      end = llvm::alignTo(end, wide.contains(alloc.getResult())
                                   ? kWgmmaRingAlignment
                                   : getSharedBufferAlignment(alloc));
      end += (wide.contains(alloc.getResult()) ? 2
                                               : alloc.getType().getNumStages()) *
             alloc.getType().getStageBytes();
    });
    if (end > int64_t(TargetInfo::get(loop).getMaxSharedBytesPerProgram()))
      return;
    // The fence and barrier after the widening at the top go: the next
    // iteration's carry the stores.
    Operation *fence = stores.back()->getNextNode();
    Operation *barrier = fence ? fence->getNextNode() : nullptr;
    if (!isa_and_present<FenceAsyncSharedOp>(fence) ||
        !isa_and_present<BarrierOp>(barrier))
      return;
    barrier->erase();
    fence->erase();

    Location loc = loop.getLoc();
    MLIRContext *ctx = loop.getContext();
    auto tokenType = AsyncTokenType::get(ctx);
    OpBuilder top = OpBuilder::atBlockBegin(body);
    top.setInsertionPointAfter(i.getDefiningOp());
    Type i32 = top.getI32Type();
    auto constant = [&](OpBuilder &b, int64_t v) -> Value {
      return arith::ConstantIntOp::create(b, loc, i32, v);
    };
    Value next = arith::AddIOp::create(top, loc, i, constant(top, 1));
    Value current = arith::RemSIOp::create(top, loc, i, constant(top, 2));
    Value nextWide = arith::RemSIOp::create(top, loc, next, constant(top, 2));
    Value nextRing =
        arith::RemSIOp::create(top, loc, next, constant(top, stages));
    // Two f16 buffers where there was one.
    llvm::DenseMap<Value, Value> doubled;
    for (Widening &w : widenings) {
      Value wide = w.store.getBuffer();
      if (doubled.count(wide))
        continue;
      auto type = cast<MemDescType>(wide.getType());
      ArrayRef<int64_t> tile = type.getTileShape();
      OpBuilder at(wide.getDefiningOp());
      Value two = LocalAllocOp::create(
          at, loc,
          MemDescType::get(ctx, {2, tile[0], tile[1]}, type.getElementType(),
                           type.getEncoding()));
      doubled[wide] = two;
    }
    for (auto [wide, two] : doubled) {
      wide.replaceAllUsesWith(two);
      wide.getDefiningOp()->erase();
    }
    body->walk([&](WarpgroupDotOp dot) {
      for (OpOperand *stage : {&dot.getAStageMutable(), &dot.getBStageMutable()}) {
        Value buffer = stage == &dot.getAStageMutable() ? dot.getA() : dot.getB();
        if (llvm::is_contained(llvm::make_second_range(doubled), buffer))
          stage->set(current);
      }
    });
    // The widening of `ringStage` into buffer `wideStage`, at `b`.
    auto emitWidening = [&](OpBuilder &b, Widening &w, Value ringStage,
                            Value token, Value wideStage) {
      auto readType = cast<RankedTensorType>(w.read.getType());
      auto layoutOf = [&](Type element) {
        return RankedTensorType::get(readType.getShape(), element,
                                     w.copyLayout);
      };
      Value bytes = LocalLoadOp::create(
          b, loc, layoutOf(readType.getElementType()), w.read.getBuffer(),
          ringStage, token);
      Value halves = arith::SIToFPOp::create(
          b, loc,
          layoutOf(cast<RankedTensorType>(w.widen.getType()).getElementType()),
          bytes);
      LocalStoreOp::create(b, loc, halves, w.store.getBuffer(), wideStage);
    };
    // Tile 0, before the loop (the prologue's copies are issued there).
    OpBuilder before(loop);
    Value landed0 =
        AsyncWaitOp::create(before, loc, tokenType, ValueRange{}, stages - 2);
    for (Widening &w : widenings)
      emitWidening(before, w, constant(before, 0), landed0, constant(before, 0));
    // Tile i + 1, right after the dots are issued (and this iteration's
    // copies committed).
    OpBuilder ahead(body, std::next(place->getIterator()));
    Value landed =
        AsyncWaitOp::create(ahead, loc, tokenType, ValueRange{}, pending);
    for (Widening &w : widenings)
      emitWidening(ahead, w, nextRing, landed, nextWide);
    for (Widening &w : widenings) {
      w.store.erase();
      w.widen.erase();
      if (w.read->use_empty())
        w.read.erase();
    }
  }

  /// A tile loaded once and converted to the same mma operand for several
  /// dots (grouped_gemm_i8's A tile for SwiGLU's gate and up, or for the
  /// two column halves of n_split) has one conversion per dot, as
  /// tile-accelerate-matmul makes them: they are made one (the first in
  /// the block, which comes before every use of the others), so that the
  /// load is a candidate (it feeds one conversion) and one ring buffer
  /// serves every dot.
  static void mergeOperandConversions(Block *body) {
    for (Operation &op : *body) {
      auto load = dyn_cast<LoadOp>(op);
      if (!load || load->hasOneUse() || load->use_empty())
        continue;
      SmallVector<ConvertLayoutOp> converts;
      bool same = true;
      for (Operation *user : load->getUsers()) {
        auto convert = dyn_cast<ConvertLayoutOp>(user);
        if (!convert || convert->getBlock() != body ||
            (!converts.empty() &&
             convert.getType() != converts.front().getType())) {
          same = false;
          break;
        }
        converts.push_back(convert);
      }
      if (!same || converts.size() < 2)
        continue;
      ConvertLayoutOp first = *llvm::min_element(
          converts, [](ConvertLayoutOp x, ConvertLayoutOp y) {
            return x->isBeforeInBlock(y);
          });
      for (ConvertLayoutOp convert : converts)
        if (convert != first) {
          convert.replaceAllUsesWith(first.getResult());
          convert.erase();
        }
    }
  }

  void pipeline(scf::ForOp loop, int stages, PipelineCopiesAt copiesAt,
                const AxisInfoAnalysis &axis) {
    Block *body = loop.getBody();
    Value iv = loop.getInductionVar();
    mergeOperandConversions(body);
    SmallVector<Candidate> candidates;
    for (Operation &op : *body) {
      auto convert = dyn_cast<ConvertLayoutOp>(op);
      if (!convert)
        continue;
      auto dst = dyn_cast_if_present<DotOperandLayoutAttr>(
          getLayout(convert.getType()));
      auto load = convert.getSrc().getDefiningOp<LoadOp>();
      if (!dst || !load || load->getBlock() != body ||
          !load->hasOneUse() || !isZeroSplat(load.getOther()) ||
          convert.getType().getRank() != 2)
        continue;
      Type element = convert.getType().getElementType();
      if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() < 8)
        continue;
      Candidate c{load, convert,
                  getOperandSharedLayout(cast<RankedTensorType>(load.getType()), dst,
                                         element.getIntOrFloatBitWidth()),
                  {}};
      SmallVector<Value> roots = {load.getPtr()};
      if (load.getMask())
        roots.push_back(load.getMask());
      if (!collectSlice(body, iv, roots, c.slice) ||
          !copiesInSixteenBytes(load, c.shared, axis))
        continue;
      candidates.push_back(std::move(c));
    }
    if (candidates.empty())
      return;
    // The loop's other loads, when no loop inside has a pipeline of its own.
    bool nested = !otherLoads && !getPipelineOtherLoads(loop);
    body->walk([&](LoopLikeOpInterface) { nested = true; });
    for (Operation &op : *body) {
      auto load = dyn_cast<LoadOp>(op);
      if (nested || !load || !isZeroSplat(load.getOther()) ||
          llvm::any_of(candidates,
                       [&](const Candidate &c) { return c.load == load; }))
        continue;
      SharedLayoutAttr shared = plainCopyLayout(load);
      if (!shared)
        continue;
      Candidate c{load, nullptr, shared, {},
                  copyLayoutFor(load, getNumWarps(loop))};
      SmallVector<Value> roots = {load.getPtr()};
      if (load.getMask())
        roots.push_back(load.getMask());
      if (!collectSlice(body, iv, roots, c.slice))
        continue;
      candidates.push_back(std::move(c));
    }

    Location loc = loop.getLoc();
    MLIRContext *ctx = loop.getContext();
    OpBuilder b(loop);
    Type i32 = b.getI32Type();
    Type ivType = iv.getType();
    auto toI32 = [&](OpBuilder &builder, Value v) -> Value {
      if (v.getType() == i32)
        return v;
      if (v.getType().isIndex())
        return arith::IndexCastOp::create(builder, loc, i32, v);
      return arith::TruncIOp::create(builder, loc, i32, v);
    };
    auto ivConst = [&](OpBuilder &builder, int64_t v) -> Value {
      if (ivType.isIndex())
        return arith::ConstantIndexOp::create(builder, loc, v);
      return arith::ConstantIntOp::create(builder, loc, ivType, v);
    };
    auto cmpPred = loop.getUnsignedCmp() ? arith::CmpIPredicate::ult
                                          : arith::CmpIPredicate::slt;

    SmallVector<Value> rings;
    for (Candidate &c : candidates) {
      RankedTensorType type =
          c.convert ? c.convert.getType()
                    : cast<RankedTensorType>(c.load.getType());
      SmallVector<int64_t> shape = {stages};
      llvm::append_range(shape, type.getShape());
      rings.push_back(LocalAllocOp::create(
          b, loc, MemDescType::get(ctx, shape, type.getElementType(), c.shared)));
    }

    // Copies of tile `at` (an induction value) into buffer `stage`, masked
    // off past the loop's end; one group.
    auto tokenType = AsyncTokenType::get(loop->getContext());
    // Copies made in another layout than their load's (copyLayoutFor): the
    // tile arithmetic of their pointers and masks computed again in it, what
    // comes from before the loop once there, what the body computes at each
    // copy.
    OpBuilder hoist(loop);
    llvm::DenseMap<std::pair<Value, Attribute>, Value> hoisted;
    std::function<Value(OpBuilder &, IRMapping &, Value, Attribute)> inLayout =
        [&](OpBuilder &builder, IRMapping &map, Value v,
            Attribute layout) -> Value {
      if (Value done = map.lookupOrNull(v))
        return done;
      Operation *def = v.getDefiningOp();
      bool inLoop = def && loop->isAncestor(def);
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (!def || (!type && !inLoop))
        return v; // the induction value (mapped) or a scalar from before
      if (!inLoop)
        if (Value done = hoisted.lookup({v, layout}))
          return done;
      IRMapping operands;
      for (Value operand : def->getOperands())
        operands.map(operand, inLayout(builder, map, operand, layout));
      OpBuilder &into = inLoop ? builder : hoist;
      Operation *clone = into.clone(*def, operands);
      for (Value result : clone->getResults())
        if (isa<RankedTensorType>(result.getType()))
          setTileLayout(result, layout);
      Value mine = clone->getResult(cast<OpResult>(v).getResultNumber());
      if (inLoop)
        map.map(v, mine);
      else
        hoisted[{v, layout}] = mine;
      return mine;
    };

    auto issueCopies = [&](OpBuilder &builder, Value at, Value stage) {
      Value inRange = arith::CmpIOp::create(builder, loc, cmpPred, at,
                                            loop.getUpperBound());
      SmallVector<Value> tokens; // the group's copies, for its commit
      for (auto [c, ring] : llvm::zip(candidates, rings)) {
        IRMapping map;
        map.map(iv, at);
        Value ptr, loadMask;
        if (c.copyLayout) {
          ptr = inLayout(builder, map, c.load.getPtr(), c.copyLayout);
          if (c.load.getMask())
            loadMask = inLayout(builder, map, c.load.getMask(), c.copyLayout);
        } else {
          for (Operation *op : c.slice)
            builder.clone(*op, map);
          ptr = map.lookupOrDefault(c.load.getPtr());
          if (c.load.getMask())
            loadMask = map.lookupOrDefault(c.load.getMask());
        }
        auto ptrType = cast<RankedTensorType>(ptr.getType());
        auto maskType = RankedTensorType::get(
            ptrType.getShape(), builder.getI1Type(), ptrType.getEncoding());
        Value mask = SplatOp::create(builder, loc, maskType, inRange);
        if (loadMask)
          mask = arith::AndIOp::create(builder, loc, loadMask, mask);
        tokens.push_back(
            AsyncCopyOp::create(builder, loc, tokenType, ptr, ring, stage,
                                mask));
      }
      AsyncCommitOp::create(builder, loc, tokenType, tokens);
    };

    // Prologue: tiles 0 .. S-2.
    Value lb = loop.getLowerBound(), step = loop.getStep();
    for (int s = 0; s + 1 < stages; ++s) {
      Value at = arith::AddIOp::create(
          b, loc, lb, arith::MulIOp::create(b, loc, step, ivConst(b, s)));
      issueCopies(b, at, arith::ConstantIntOp::create(b, loc, i32, s));
    }

    // The body: wait for tile i, read it, copy tile i + S - 1.
    OpBuilder in = OpBuilder::atBlockBegin(body);
    Value i = toI32(in, arith::DivSIOp::create(
                            in, loc, arith::SubIOp::create(in, loc, iv, lb),
                            step));
    Value numStages = arith::ConstantIntOp::create(in, loc, i32, stages);
    Value read = arith::RemSIOp::create(in, loc, i, numStages);
    Value write = arith::RemSIOp::create(
        in, loc,
        arith::AddIOp::create(
            in, loc, i, arith::ConstantIntOp::create(in, loc, i32, stages - 1)),
        numStages);
    Value landed =
        AsyncWaitOp::create(in, loc, tokenType, ValueRange{}, stages - 2);
    // wgmma reads the rings through the async proxy: each thread's landed
    // copies are ordered before those reads, then the barrier carries them
    // to every warpgroup.
    bool wgmma = llvm::any_of(candidates, [](Candidate &c) {
      auto dst = c.convert ? dyn_cast<DotOperandLayoutAttr>(
                                 getLayout(c.convert.getType()))
                           : DotOperandLayoutAttr();
      return dst && dst.getParent().getVersion() == 3;
    });
    if (wgmma)
      FenceAsyncSharedOp::create(in, loc);
    BarrierOp::create(in, loc);
    for (auto [c, ring] : llvm::zip(candidates, rings)) {
      if (!c.convert)
        continue;
      Value tile = LocalLoadOp::create(in, loc, c.convert.getType(), ring,
                                       read, landed);
      c.convert.replaceAllUsesWith(tile);
    }
    Value ahead = arith::AddIOp::create(
        in, loc, iv,
        arith::MulIOp::create(in, loc, step, ivConst(in, stages - 1)));
    // Where the copies go (every place is after the barrier above, which
    // ends the reads of buffer `write` in iteration i - 1).
    OpBuilder copies = in;
    if (copiesAt == PipelineCopiesAt::Bottom) {
      copies.setInsertionPoint(body->getTerminator());
    } else if (copiesAt == PipelineCopiesAt::AfterFirstDot) {
      for (Operation &op : *body) {
        if (op.walk([](DotOp) { return WalkResult::interrupt(); })
                .wasInterrupted()) {
          copies.setInsertionPointAfter(&op);
          break;
        }
      }
    }
    issueCopies(copies, ahead, write);
    // The other loads are read where they were.
    for (auto [c, ring] : llvm::zip(candidates, rings)) {
      if (c.convert)
        continue;
      OpBuilder at(c.load);
      c.load.replaceAllUsesWith(
          LocalLoadOp::create(at, loc,
                              cast<RankedTensorType>(c.load.getType()), ring,
                              read, landed)
              .getResult());
    }
    // The original loads and the address arithmetic only they used.
    for (Candidate &c : candidates) {
      if (c.convert)
        c.convert.erase();
      c.load.erase();
    }
    // Slices may share ops: each op once, users before what they use.
    llvm::SetVector<Operation *> sliceOps;
    for (Candidate &c : candidates)
      sliceOps.insert(c.slice.begin(), c.slice.end());
    SmallVector<Operation *> dead = sliceOps.takeVector();
    llvm::sort(dead, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    for (Operation *op : llvm::reverse(dead))
      if (op->use_empty())
        op->erase();
    if (wgmma && formWarpgroupDots(loop) && asyncWarpgroupDots &&
        issueDotsTogether(body) && widenAhead)
      widenTilesAhead(loop, i, stages);

    // Epilogue: nothing in flight after the loop, and every thread done with
    // the rings (later scratch users may reuse their bytes:
    // computeSharedAllocation).
    OpBuilder after(loop->getContext());
    after.setInsertionPointAfter(loop);
    AsyncWaitOp::create(after, loc, tokenType, ValueRange{}, 0);
    BarrierOp::create(after, loc);
  }
};

} // namespace
