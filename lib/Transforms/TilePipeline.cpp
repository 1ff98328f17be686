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
// group's dequantization runs while the later groups' dots compute.
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

  /// The dots of `body` with a version 3 accumulator whose operands are
  /// tile.local_loads of rings (made just now) become tile.warpgroup_dots
  /// reading the rings; the loads go where nothing else reads them.
  static bool formWarpgroupDots(Block *body) {
    SmallVector<DotOp> dots;
    for (Operation &op : *body)
      if (auto dot = dyn_cast<DotOp>(op))
        if (auto mma = dyn_cast<MmaLayoutAttr>(getLayout(dot.getType()));
            mma && mma.getVersion() == 3)
          dots.push_back(dot);
    bool formed = false;
    for (DotOp dot : dots) {
      auto a = dot.getA().getDefiningOp<LocalLoadOp>();
      auto b = dot.getB().getDefiningOp<LocalLoadOp>();
      if (!a || !b || !getWgmmaSwizzleBytes(a.getBuffer().getType(), 1) ||
          !getWgmmaSwizzleBytes(b.getBuffer().getType(), 0))
        continue;
      OpBuilder builder(dot);
      auto product = WarpgroupDotOp::create(
          builder, dot.getLoc(), dot.getType(), a.getBuffer(), a.getStage(),
          b.getBuffer(), b.getStage(), dot.getC(), dot.getInputPrecisionAttr(),
          /*isAsync=*/nullptr);
      dot.replaceAllUsesWith(product.getResult());
      dot.erase();
      for (LocalLoadOp load : {a, b})
        if (load->use_empty())
          load.erase();
      formed = true;
    }
    return formed;
  }

  /// The warpgroup dots of `body` (a pipelined K loop's) issued together,
  /// asynchronously, where the first of them is, when every operand of
  /// each is there already (computed before it: a grouped GEMM's per-group
  /// products start from a constant); each dot's result is waited for
  /// (tile.warpgroup_dot_wait) just before its first use. Groups complete
  /// in the order they were committed, so the k-th of n is done once at
  /// most n - k are pending, wherever its wait is. What uses the first
  /// dot's result (a group's dequantization) then runs while the later
  /// dots compute. Nothing stays in flight past the body (every dot's
  /// result is used in it: the loop yields what they make), so the
  /// barrier of the next iteration still ends every read of the buffers.
  /// Returns whether it applied (two or more such dots).
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
    for (WarpgroupDotOp dot : dots)
      for (Value operand : dot->getOperands())
        if (Operation *def = operand.getDefiningOp();
            def && def->getBlock() == body && !def->isBeforeInBlock(first))
          return false;
    OpBuilder at(first);
    int64_t n = dots.size();
    for (auto [k, dot] : llvm::enumerate(dots)) {
      auto issued = WarpgroupDotOp::create(
          at, dot.getLoc(), dot.getType(), dot.getA(), dot.getAStage(),
          dot.getB(), dot.getBStage(), dot.getC(), dot.getInputPrecisionAttr(),
          at.getUnitAttr());
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
    for (WarpgroupDotOp dot : dots)
      dot.erase();
    return true;
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
    if (wgmma && formWarpgroupDots(body) && asyncWarpgroupDots)
      issueDotsTogether(body);

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
