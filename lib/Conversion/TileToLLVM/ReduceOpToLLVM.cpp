//===- ReduceOpToLLVM.cpp - tile.reduce -----------------------------------===//
//
// A reduction along `axis` in three steps, each only over threads that hold
// distinct elements (a tile smaller than the layout is replicated):
//   1. in-thread, over the thread's elements along `axis`;
//   2. within the warp, a shfl.sync.bfly butterfly over the lanes along `axis`
//      (a sum of booleans, one a thread, as a vote.sync.ballot and a popc);
//   3. across warps along `axis`, through shared memory: lane 0 of each warp
//      writes its partials, then every thread combines all warps' partials
//      in warp order.
// The combiner region is inlined at each step.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

using Values = SmallVector<Value>;

/// Inlines the combiner on (acc, cur); returns the combined values.
Values combine(OpBuilder &b, ReduceOp op, ArrayRef<Value> acc,
               ArrayRef<Value> cur) {
  Block &body = op.getCombiner().front();
  IRMapping mapping;
  for (auto [i, arg] : llvm::enumerate(body.getArguments()))
    mapping.map(arg, i < acc.size() ? acc[i] : cur[i - acc.size()]);
  for (Operation &inner : body.without_terminator())
    b.clone(inner, mapping);
  Values out;
  for (Value v : body.getTerminator()->getOperands())
    out.push_back(mapping.lookupOrDefault(v));
  return out;
}

/// Whether `op` sums one integer operand (its combiner one `arith.addi` of
/// its two arguments).
bool isIntegerSum(ReduceOp op) {
  if (op.getSrcs().size() != 1)
    return false;
  Block &body = op.getCombiner().front();
  if (!llvm::hasSingleElement(body.without_terminator()))
    return false;
  auto add = dyn_cast<arith::AddIOp>(body.front());
  return add && add->getOperand(0) != add->getOperand(1) &&
         llvm::all_of(add->getOperands(),
                      [&](Value v) { return v.getParentBlock() == &body &&
                                            isa<BlockArgument>(v); }) &&
         body.getTerminator()->getOperand(0) == add.getResult();
}

/// The predicate `v` (a thread's lowered element) is 1 or 0 by: `extui` of
/// an i1, or `select(p, 1, 0)`; null otherwise.
Value booleanOf(Value v) {
  if (auto ext = v.getDefiningOp<arith::ExtUIOp>())
    if (ext.getIn().getType().isInteger(1))
      return ext.getIn();
  if (auto select = v.getDefiningOp<arith::SelectOp>())
    if (select.getCondition().getType().isInteger(1) &&
        matchPattern(select.getTrueValue(), m_One()) &&
        matchPattern(select.getFalseValue(), m_Zero()))
      return select.getCondition();
  return {};
}

/// How many of the `lanes` lanes along the axis (lane bits from `laneShift`)
/// that share this lane's other bits hold `pred`: one `vote.sync.ballot` and
/// a `popc` of it under the group's lane mask, where a butterfly of
/// shuffles and adds takes two instructions a step.
Value countAcrossLanes(OpBuilder &b, Location loc, Value pred,
                       unsigned laneShift, int64_t lanes, Type type) {
  uint32_t pattern = 0;
  for (int64_t i = 0; i < lanes; ++i)
    pattern |= 1u << (uint32_t(i) << laneShift);
  Value lane = getLaneAndWarp(b, loc).first;
  Value base = arith::AndIOp::create(
      b, loc, lane,
      i32Const(b, loc, int32_t(~(uint32_t(lanes - 1) << laneShift))));
  Value mask = arith::ShLIOp::create(b, loc, i32Const(b, loc, int32_t(pattern)),
                                     base);
  Value ballot = NVVM::VoteSyncOp::create(b, loc, b.getI32Type(),
                                          i32Const(b, loc, -1), pred,
                                          NVVM::VoteSyncKind::ballot);
  Value count = LLVM::CtPopOp::create(
      b, loc, b.getI32Type(), arith::AndIOp::create(b, loc, ballot, mask));
  unsigned width = type.getIntOrFloatBitWidth();
  if (width < 32)
    return arith::TruncIOp::create(b, loc, type, count);
  if (width > 32)
    return arith::ExtUIOp::create(b, loc, type, count);
  return count;
}

struct ReduceToLLVM : OpConversionPattern<ReduceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReduceOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    unsigned axis = op.getAxisAttr().getInt();
    auto srcType = cast<RankedTensorType>(op.getSrcs().front().getType());
    auto layout = dyn_cast<BlockedLayoutAttr>(getLayout(srcType));
    if (!layout)
      return op.emitOpError("reducing a tile with a ")
             << (isa<SliceLayoutAttr>(getLayout(srcType)) ? "slice"
                                                           : "tensor-core")
             << " layout is not supported yet";
    for (Value result : op.getResults())
      if (auto type = dyn_cast<RankedTensorType>(result.getType())) {
        auto slice = dyn_cast<SliceLayoutAttr>(getLayout(type));
        if (!slice || slice.getDim() != axis || slice.getParent() != layout)
          return op.emitOpError("result layout is not the slice of the "
                                "operand layout at the axis");
      }
    size_t numOperands = op.getSrcs().size();
    ArrayRef<int64_t> shape = srcType.getShape();
    SmallVector<unsigned> order(layout.getOrder());
    SmallVector<int64_t> counts = getElemsPerThreadPerDim(layout, shape);
    int64_t spt = layout.getSizePerThread()[axis];
    int64_t tpw = layout.getThreadsPerWarp()[axis];
    std::optional<ReduceScratch> scratch = getReduceScratch(op);
    if (!scratch)
      return op.emitOpError("cannot exchange partials of these types through "
                            "shared memory");
    // Distinct elements along the axis: in the thread, lanes and warps.
    int64_t inThread = std::min<int64_t>(counts[axis], shape[axis]);
    int64_t lanes = std::clamp<int64_t>(shape[axis] / spt, 1, tpw);

    // Result elements of this thread, keyed by the element index with the
    // axis coordinate zeroed.
    SmallVector<int64_t> resultCounts(counts);
    resultCounts[axis] = 1;
    int64_t numResults = 1;
    for (int64_t c : resultCounts)
      numResults *= c;
    SmallVector<Values> acc(numResults);
    int64_t numElems = getNumElemsPerThread(srcType);
    for (int64_t j = 0; j < numElems; ++j) {
      SmallVector<int64_t> e = delinearize(j, counts, order);
      if (e[axis] >= inThread)
        continue;
      e[axis] = 0;
      int64_t key = linearize(e, resultCounts, order);
      Values cur;
      for (size_t k = 0; k < numOperands; ++k)
        cur.push_back(adaptor.getSrcs()[k][j]);
      acc[key] = acc[key].empty() ? cur : combine(rewriter, op, acc[key], cur);
    }

    // Within the warp: the lane bits of the axis start after the lane bits
    // of the dimensions before it in the order.
    unsigned laneShift = 0;
    for (unsigned d : order) {
      if (d == axis)
        break;
      laneShift += llvm::Log2_64(layout.getThreadsPerWarp()[d]);
    }
    // A sum of booleans, one a thread: counted by a ballot across the lanes.
    SmallVector<bool> counted(acc.size(), false);
    if (lanes > 1 && inThread == 1 && isIntegerSum(op))
      for (auto [a, done] : llvm::zip(acc, counted))
        if (Value pred = !a.empty() ? booleanOf(a[0]) : Value()) {
          a[0] = countAcrossLanes(rewriter, loc, pred, laneShift, lanes,
                                  a[0].getType());
          done = true;
        }
    for (int64_t step = 1; step < lanes; step *= 2)
      for (auto [a, done] : llvm::zip(acc, counted)) {
        if (done)
          continue;
        Values other;
        for (Value v : a)
          other.push_back(shuffleXor(rewriter, loc, v, step << laneShift));
        a = combine(rewriter, op, a, other);
      }

    if (scratch->warps > 1)
      combineAcrossWarps(rewriter, loc, op, layout, srcType, acc, *scratch);

    // Results: the slice layout numbers its elements like resultCounts
    // without the axis.
    SmallVector<Values> results(numOperands);
    for (Values &a : acc)
      for (size_t k = 0; k < numOperands; ++k)
        results[k].push_back(a[k]);
    SmallVector<SmallVector<Value>> replacements;
    for (size_t k = 0; k < numOperands; ++k)
      replacements.push_back(results[k]);
    rewriter.replaceOpWithMultiple(op, replacements);
    return success();
  }

  /// Step 3: partials through shared memory, one slot per (warp along the
  /// axis, result element) and operand, as `scratch` lays them out (booleans
  /// and other narrow types as whole bytes: sharedMemoryType).
  static void combineAcrossWarps(ConversionPatternRewriter &rewriter,
                                 Location loc, ReduceOp op,
                                 BlockedLayoutAttr layout,
                                 RankedTensorType srcType,
                                 SmallVector<Values> &acc,
                                 const ReduceScratch &scratch) {
    unsigned axis = op.getAxisAttr().getInt();
    int64_t warps = scratch.warps;
    ThreadCoords coords = getThreadCoords(rewriter, loc, layout);
    // Linear positions of this thread's result elements in the result shape.
    SmallVector<int64_t> resultShape(srcType.getShape());
    resultShape.erase(resultShape.begin() + axis);
    SmallVector<Value> positions;
    if (resultShape.empty()) {
      positions.push_back(i32Const(rewriter, loc, 0));
    } else {
      auto resultType = RankedTensorType::get(
          resultShape, srcType.getElementType(),
          SliceLayoutAttr::get(op.getContext(), axis, layout));
      for (auto &index : emitIndices(rewriter, loc, resultType))
        positions.push_back(linearIndex(rewriter, loc, index, resultShape));
    }
    auto slot = [&](size_t k, Value warp, Value position) {
      Value index = arith::AddIOp::create(
          rewriter, loc,
          arith::MulIOp::create(rewriter, loc, warp,
                                i32Const(rewriter, loc, scratch.resultSize)),
          position);
      Value bytes = arith::AddIOp::create(
          rewriter, loc,
          arith::MulIOp::create(
              rewriter, loc, index,
              i32Const(rewriter, loc,
                       scratch.slotTypes[k].getIntOrFloatBitWidth() / 8)),
          i32Const(rewriter, loc, scratch.regionOffsets[k]));
      return scratchAddress(rewriter, loc, op, bytes);
    };

    emitBarrier(rewriter, loc);
    Value firstLane = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                            coords.lane[axis],
                                            i32Const(rewriter, loc, 0));
    Value distinctWarp = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::ult, coords.warp[axis],
        i32Const(rewriter, loc, warps));
    Value writes = arith::AndIOp::create(rewriter, loc, firstLane, distinctWarp);
    auto branch = scf::IfOp::create(rewriter, loc, writes, /*withElse=*/false);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(branch.thenBlock());
      for (auto [a, position] : llvm::zip(acc, positions))
        for (size_t k = 0; k < a.size(); ++k)
          LLVM::StoreOp::create(rewriter, loc,
                                toSharedMemory(rewriter, loc, a[k]),
                                slot(k, coords.warp[axis], position));
    }
    emitBarrier(rewriter, loc);
    for (auto [a, position] : llvm::zip(acc, positions)) {
      Values combined;
      for (int64_t w = 0; w < warps; ++w) {
        Values partial;
        for (size_t k = 0; k < a.size(); ++k) {
          Type type = a[k].getType();
          Value loaded = LLVM::LoadOp::create(
              rewriter, loc, scratch.slotTypes[k],
              slot(k, i32Const(rewriter, loc, w), position));
          partial.push_back(fromSharedMemory(rewriter, loc, loaded, type));
        }
        combined = combined.empty() ? partial
                                    : combine(rewriter, op, combined, partial);
      }
      a = combined;
    }
  }
};

} // namespace

void mlir::tile::populateReduceOpToLLVMPatterns(TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<ReduceToLLVM>(converter, patterns.getContext());
}
