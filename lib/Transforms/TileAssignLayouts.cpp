//===- TileAssignLayouts.cpp - The tile-assign-layouts pass ---------------===//
//
// Tiles that must share a layout are grouped with a union-find; each group
// gets one layout, from the mma accumulator of a tensor-core dot in it, from
// a memory access's hint, from the slice relation of a
// reduction or expand_dims with a group that already has one, from a
// reshape's source where the reshape can keep every element in place, or a
// default.
// Where a reduction or an expand_dims then disagrees with its group, a
// tile.convert_layout bridges the two (or the index arithmetic, or a small
// 1-D load, is computed again in the wanted layout).
// Before grouping, index arithmetic and splats that tiles wanting different
// layouts share are copied for each (splitSharedIndexArithmetic), so that a
// GEMM's operand loads, its mma accumulator and its store are not tied to
// one layout by the masks they share; a transposing store's value is
// converted once at the store.
//
//===----------------------------------------------------------------------===//

#include "IndexArithmetic.h"
#include "tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tile {
#define GEN_PASS_DEF_TILEASSIGNLAYOUTSPASS
#include "tile/Transforms/Passes.h.inc"
} // namespace mlir::tile

using namespace mlir;
using namespace mlir::tile;

namespace {

bool isTile(Value v) { return isa<RankedTensorType>(v.getType()); }

/// Groups of tiles that share a layout, and the layout of each group.
class LayoutGroups {
public:
  Value find(Value v) {
    auto it = parent.find(v);
    if (it == parent.end()) {
      parent[v] = v;
      order.push_back(v);
      return v;
    }
    if (it->second == v)
      return v;
    Value root = find(it->second);
    parent[v] = root;
    return root;
  }
  void unite(Value a, Value b) {
    Value ra = find(a), rb = find(b);
    if (ra != rb)
      parent[rb] = ra;
  }
  void uniteAll(ValueRange values) {
    Value first;
    for (Value v : values) {
      if (!isTile(v))
        continue;
      if (first)
        unite(first, v);
      else
        first = find(v);
    }
  }
  Attribute layout(Value v) { return layouts.lookup(find(v)); }
  /// Sets the group's layout if it has none; returns whether it did.
  bool assign(Value v, Attribute l) {
    Value root = find(v);
    if (layouts.count(root))
      return false;
    layouts[root] = l;
    return true;
  }
  /// Every tile seen, in the order first seen.
  ArrayRef<Value> values() const { return order; }

private:
  llvm::DenseMap<Value, Value> parent;
  llvm::DenseMap<Value, Attribute> layouts;
  SmallVector<Value> order;
};

/// A layout for tiles of `type` that nothing else decided.
static BlockedLayoutAttr defaultLayout(RankedTensorType type,
                                       ArrayRef<BlockedLayoutAttr> hints,
                                       unsigned numWarps) {
  for (BlockedLayoutAttr hint : hints)
    if (hint.getRank() == type.getRank())
      return hint;
  unsigned rank = type.getRank();
  SmallVector<unsigned> order, spt(rank, 1), tpw(rank, 1), wpc(rank, 1);
  for (unsigned d = 0; d < rank; ++d)
    order.push_back(rank - 1 - d);
  unsigned lanes = kWarpSize, warps = numWarps;
  for (unsigned i = 0; i < rank; ++i) {
    unsigned d = order[i];
    int64_t extent = type.getDimSize(d);
    tpw[d] = i + 1 == rank ? lanes : std::min<int64_t>(lanes, extent);
    lanes /= tpw[d];
  }
  for (unsigned i = 0; i < rank; ++i) {
    unsigned d = order[i];
    int64_t room = std::max<int64_t>(1, type.getDimSize(d) / tpw[d]);
    wpc[d] = i + 1 == rank ? warps : std::min<int64_t>(warps, room);
    warps /= wpc[d];
  }
  return BlockedLayoutAttr::get(type.getContext(), spt, tpw, wpc, order);
}

/// Whether `v` is a splat constant or a tile.splat: the same value in every
/// layout, free to repeat.
static bool isSplat(Value v) {
  Operation *def = v.getDefiningOp();
  if (auto constant = dyn_cast_if_present<arith::ConstantOp>(def))
    return isa<SplatElementsAttr>(constant.getValue()) && isTile(v);
  return isa_and_present<SplatOp>(def);
}

/// Unites the tiles `op` requires to share a layout: the operands and
/// results of elementwise ops, memory ops, addptr and broadcasts; a dot's
/// accumulator and result; what a loop or branch carries. With `shared`
/// false, neither through broadcasts nor through splats (the values several
/// tiles may share without sharing a layout: splitSharedIndexArithmetic).
static void tie(Operation *op, LayoutGroups &groups, bool shared,
                const llvm::DenseSet<Operation *> &converting = {}) {
  for (Value v : op->getResults())
    if (isTile(v))
      groups.find(v);
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (Value arg : block.getArguments())
        if (isTile(arg))
          groups.find(arg);
  if (op->hasTrait<mlir::OpTrait::Elementwise>() ||
      isa<LoadOp, StoreOp, AddPtrOp, FpToFpOp, FpToIntOp>(op) ||
      (shared && isa<BroadcastOp>(op))) {
    SmallVector<Value> tied;
    for (Value operand : op->getOperands())
      if ((shared || !isSplat(operand)) &&
          !(isa<StoreOp>(op) && operand == cast<StoreOp>(op).getValue() &&
            (!shared || converting.contains(op))))
        tied.push_back(operand);
    tied.append(op->result_begin(), op->result_end());
    groups.uniteAll(tied);
  }
  if (auto dot = dyn_cast<DotOp>(op)) // c and d have one type
    groups.uniteAll({dot.getC(), dot.getResult()});
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (unsigned i = 0; i < loop.getNumResults(); ++i)
      groups.uniteAll({loop.getInitArgs()[i], loop.getRegionIterArgs()[i],
                       loop.getResult(i), yield.getOperand(i)});
  }
  if (auto branch = dyn_cast<scf::IfOp>(op)) {
    for (unsigned i = 0; i < branch.getNumResults(); ++i) {
      SmallVector<Value> tied = {branch.getResult(i)};
      tied.push_back(branch.thenYield().getOperand(i));
      if (!branch.getElseRegion().empty())
        tied.push_back(branch.elseYield().getOperand(i));
      groups.uniteAll(tied);
    }
  }
}

/// Clones `slice` (from indexArithmetic(v)) at the builder's insertion point,
/// operands before users, calling `onClone` on each clone; returns v's clone.
static Value cloneSlice(OpBuilder &builder, Value v,
                        const llvm::SetVector<Operation *> &slice,
                        llvm::function_ref<void(Operation *)> onClone) {
  IRMapping map;
  std::function<void(Value)> cloneInto = [&](Value value) {
    Operation *def = value.getDefiningOp();
    if (!def || !slice.contains(def) || map.contains(value))
      return;
    for (Value operand : def->getOperands())
      cloneInto(operand);
    onClone(builder.clone(*def, map));
  };
  cloneInto(v);
  return map.lookup(v);
}

/// A store whose hint runs along another dimension than that of a load its
/// value comes from (through elementwise ops): a transpose's, which
/// tile-coalesce gave a layout of its own access.
static bool isTransposingStore(StoreOp store) {
  auto hint = store->getAttrOfType<BlockedLayoutAttr>(kLayoutHintAttrName);
  if (!hint || !isTile(store.getValue()))
    return false;
  SmallVector<Value> work = {store.getValue()};
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!work.empty()) {
    Operation *def = work.pop_back_val().getDefiningOp();
    if (!def || !seen.insert(def).second || seen.size() > 16)
      continue;
    if (auto load = dyn_cast<LoadOp>(def)) {
      auto loadHint =
          load->getAttrOfType<BlockedLayoutAttr>(kLayoutHintAttrName);
      if (loadHint && loadHint.getOrder()[0] != hint.getOrder()[0])
        return true;
      continue;
    }
    if (def->hasTrait<mlir::OpTrait::Elementwise>() ||
        isa<FpToFpOp, FpToIntOp>(def))
      for (Value operand : def->getOperands())
        if (isTile(operand))
          work.push_back(operand);
  }
  return false;
}

/// Index arithmetic that several broadcasts share (after CSE, a GEMM's row
/// mask feeds both its a tile's mask and its store's), or a splat several
/// ops share (the zero `other` of a's and b's loads), would tie the tiles it
/// is broadcast into, or those ops', to one layout. Where those tiles want
/// different layouts (a tensor-core dot's mma accumulator, a load's or
/// store's hint), each use whose tile wants another layout than the first
/// gets its own copy of the arithmetic, so that every tile computes it in
/// its own layout. A transposing store's mask gets its own copy, and the
/// store goes into `converting`: its value keeps the layout its loads want
/// and is converted at the store. Kernels whose tiles all want one layout
/// are left as they are.
static void splitSharedIndexArithmetic(func::FuncOp func, unsigned numWarps,
                                       llvm::DenseSet<Operation *> &converting) {
  // A transposing store's mask, shared with the load (as a kernel computes
  // one mask for both), is computed again for the store, so that the store
  // keeps its own layout.
  func.walk([&](StoreOp store) {
    Value mask = store.getMask();
    if (!mask || mask.hasOneUse() || !isTransposingStore(store))
      return;
    llvm::SetVector<Operation *> slice =
        indexArithmetic(mask, Cheap::Shapes, /*maxOps=*/32);
    if (slice.empty())
      return;
    OpBuilder builder(store);
    store.getMaskMutable().assign(
        cloneSlice(builder, mask, slice, [](Operation *) {}));
  });
  LayoutGroups groups;
  func.walk([&](Operation *op) { tie(op, groups, /*shared=*/false); });
  llvm::DenseMap<Value, Attribute> wanted; // by group root
  func.walk([&](DotOp dot) {
    if (MmaLayoutAttr mma = getMmaLayout(dot, numWarps))
      wanted[groups.find(dot.getResult())] = mma;
  });
  func.walk([&](Operation *op) {
    if (isa<LoadOp, StoreOp>(op) && isTile(op->getOperand(0)))
      if (auto hint = op->getAttrOfType<BlockedLayoutAttr>(kLayoutHintAttrName))
        wanted.try_emplace(groups.find(op->getOperand(0)), hint);
  });
  // A store whose own hint differs from the blocked layout its value's loads
  // want (a transpose: tile-coalesce gave it a layout of its own access)
  // stores a converted value; its pointers and mask keep its layout.
  func.walk([&](StoreOp store) {
    auto hint = store->getAttrOfType<BlockedLayoutAttr>(kLayoutHintAttrName);
    if (!hint || !isTile(store.getValue()))
      return;
    auto valueWants =
        dyn_cast_if_present<BlockedLayoutAttr>(
            wanted.lookup(groups.find(store.getValue())));
    if (valueWants && valueWants != hint)
      converting.insert(store);
  });
  // The shared values: broadcast sources, and splats used by several ops;
  // each use stands for the group of its op's tiles.
  llvm::MapVector<Value, SmallVector<OpOperand *>> usesOf;
  func.walk([&](Operation *op) {
    if (auto broadcast = dyn_cast<BroadcastOp>(op)) {
      usesOf[broadcast.getSrc()].push_back(&broadcast.getSrcMutable());
      return;
    }
    for (OpOperand &use : op->getOpOperands())
      if (isSplat(use.get()))
        usesOf[use.get()].push_back(&use);
  });
  auto groupOf = [&](OpOperand *use) -> Value {
    Operation *op = use->getOwner();
    for (Value result : op->getResults())
      if (isTile(result))
        return groups.find(result);
    for (Value operand : op->getOperands())
      if (isTile(operand) && operand != use->get())
        return groups.find(operand);
    return {};
  };
  for (auto &[src, uses] : usesOf) {
    if (uses.size() < 2)
      continue;
    // The uses by the layout their tiles want; those wanting nothing in
    // particular stay with the first.
    llvm::MapVector<Attribute, SmallVector<OpOperand *>> byLayout;
    for (OpOperand *use : uses) {
      Value group = groupOf(use);
      byLayout[group ? wanted.lookup(group) : Attribute()].push_back(use);
    }
    if (byLayout.size() < 2 ||
        (byLayout.size() == 2 && byLayout.count(Attribute())))
      continue;
    llvm::SetVector<Operation *> slice =
        indexArithmetic(src, Cheap::Shapes, /*maxOps=*/32);
    if (slice.empty())
      continue;
    // The first wanted layout keeps the original; each other gets a copy,
    // made where the original is (it dominates every user).
    bool first = true;
    for (auto &[layout, users] : byLayout) {
      if (!layout)
        continue;
      if (std::exchange(first, false))
        continue;
      OpBuilder builder(func.getContext());
      builder.setInsertionPointAfterValue(src);
      Value copy = cloneSlice(builder, src, slice, [](Operation *) {});
      for (OpOperand *use : users)
        use->set(copy);
    }
  }
}

struct TileAssignLayoutsPass
    : mlir::tile::impl::TileAssignLayoutsPassBase<TileAssignLayoutsPass> {
  void runOnOperation() override {
    unsigned numWarps = getNumWarps(getOperation());
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && failed(runOnFunction(func, numWarps)))
        return signalPassFailure();

    // Drop conversions that turned out needless.
    RewritePatternSet patterns(&getContext());
    ConvertLayoutOp::getCanonicalizationPatterns(patterns, &getContext());
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));
  }

  LogicalResult runOnFunction(func::FuncOp func, unsigned numWarps) {
    for (Type type : func.getFunctionType().getInputs())
      if (isa<RankedTensorType>(type))
        return func.emitError("kernel arguments must be scalars or pointers, "
                              "not tiles");
    for (Type type : func.getFunctionType().getResults())
      if (isa<RankedTensorType>(type))
        return func.emitError("kernels cannot return tiles");

    // A kernel whose every tile already has a layout (written laid out, as
    // Triton's TTGIR is) keeps them: the author chose them.
    bool laidOut = true, anyTile = false;
    func.walk([&](Operation *op) {
      for (Value v : op->getResults())
        if (auto type = dyn_cast<RankedTensorType>(v.getType())) {
          anyTile = true;
          laidOut &= bool(type.getEncoding());
        }
    });
    if (anyTile && laidOut)
      return success();

    llvm::DenseSet<Operation *> converting; // stores of a converted value
    splitSharedIndexArithmetic(func, numWarps, converting);

    LayoutGroups groups;
    SmallVector<BlockedLayoutAttr> hints;
    SmallVector<std::pair<Value, BlockedLayoutAttr>> accesses;
    // Reductions, expand_dims, reshapes and pair packings.
    SmallVector<Operation *> shapeOps;
    func.walk([&](Operation *op) {
      tie(op, groups, /*shared=*/true, converting);
      if (isa<ReduceOp, ExpandDimsOp, ReshapeOp, FpToE2M1x2Op>(op))
        shapeOps.push_back(op);
      if (isa<LoadOp, StoreOp>(op))
        if (auto hint = op->getAttrOfType<BlockedLayoutAttr>(kLayoutHintAttrName))
          if (isTile(op->getOperand(0))) {
            accesses.push_back({op->getOperand(0), hint});
            hints.push_back(hint);
          }
    });

    // A group that a reduction produces or an expand_dims consumes wants a
    // slice layout, and one that packs pairs (fp_to_e2m1x2) the layout of
    // its source's threads; an access hint there would only add conversions
    // (such accesses are small: a reduced dimension is gone, or the elements
    // are packed): their layouts derive from another group's. Other groups
    // take their accesses' hints first.
    llvm::DenseSet<Value> derivedGroups;
    for (Operation *op : shapeOps) {
      if (auto expand = dyn_cast<ExpandDimsOp>(op))
        derivedGroups.insert(groups.find(expand.getSrc()));
      else if (auto pack = dyn_cast<FpToE2M1x2Op>(op))
        derivedGroups.insert(groups.find(pack.getResult()));
      else if (isa<ReduceOp>(op))
        for (Value result : op->getResults())
          if (isTile(result))
            derivedGroups.insert(groups.find(result));
    }
    // A dot that runs on the tensor cores computes its accumulator in the
    // mma layout: its whole group (the loop carrying it, an epilogue's
    // arithmetic, the store) computes there too, before any access hint, so
    // the accumulator never moves between layouts. (Triton reaches the same
    // by propagating the mma layout forward in RemoveLayoutConversions.)
    func.walk([&](DotOp dot) {
      if (MmaLayoutAttr mma = getMmaLayout(dot, numWarps)) {
        groups.assign(dot.getResult(), mma);
        groups.assign(dot.getC(), mma);
      }
    });
    for (auto &[value, hint] : accesses)
      if (!derivedGroups.contains(groups.find(value)))
        groups.assign(value, hint);

    // Spread layouts across reductions and expand_dims until nothing changes,
    // then give the first group still without one a default, and repeat.
    while (true) {
      bool changed = true;
      while (changed) {
        changed = false;
        for (Operation *op : shapeOps)
          changed |= propagate(op, groups);
      }
      auto unassigned = llvm::find_if(groups.values(), [&](Value v) {
        return !groups.layout(v);
      });
      if (unassigned == groups.values().end())
        break;
      // Deferred access hints before defaults.
      bool hinted = false;
      for (auto &[value, hint] : accesses)
        if (!groups.layout(value)) {
          groups.assign(value, hint);
          hinted = true;
          break;
        }
      if (hinted)
        continue;
      groups.assign(*unassigned,
                    defaultLayout(cast<RankedTensorType>(unassigned->getType()),
                                  hints, numWarps));
    }

    // Rewrite every tile type, then bridge the disagreements.
    for (Value v : groups.values())
      setTileLayout(v, groups.layout(v));
    for (Operation *op : shapeOps)
      bridge(op, numWarps);
    for (Operation *op : converting) {
      auto store = cast<StoreOp>(op);
      auto type = cast<RankedTensorType>(store.getValue().getType());
      Attribute want = getLayout(store.getPtr().getType());
      if (getLayout(type) == want)
        continue;
      OpBuilder builder(store);
      store.getValueMutable().assign(ConvertLayoutOp::create(
          builder, store.getLoc(), withLayout(type, want), store.getValue()));
    }
    return success();
  }

  /// Moves a layout across one reduction, expand_dims, reshape or pair
  /// packing; true if it did. A reshape that splits the last dimension takes
  /// the layout that keeps every element in its thread and register (it then
  /// moves nothing); a packing's two sides, the layouts under which each
  /// thread packs pairs it holds.
  static bool propagate(Operation *op, LayoutGroups &groups) {
    if (auto pack = dyn_cast<FpToE2M1x2Op>(op)) {
      auto src = dyn_cast_if_present<BlockedLayoutAttr>(
          groups.layout(pack.getSrc()));
      auto result = dyn_cast_if_present<BlockedLayoutAttr>(
          groups.layout(pack.getResult()));
      if (src && !groups.layout(pack.getResult()))
        if (BlockedLayoutAttr packed = getPackedLastDimLayout(src, 2))
          return groups.assign(pack.getResult(), packed);
      if (result && !groups.layout(pack.getSrc()))
        if (BlockedLayoutAttr unpacked = getUnpackedLastDimLayout(result, 2))
          return groups.assign(pack.getSrc(), unpacked);
      return false;
    }
    if (auto reshape = dyn_cast<ReshapeOp>(op)) {
      auto src = dyn_cast_if_present<BlockedLayoutAttr>(
          groups.layout(reshape.getSrc()));
      if (!src || groups.layout(reshape.getResult()))
        return false;
      BlockedLayoutAttr split = getSplitLastDimLayout(
          src, reshape.getSrc().getType().getShape(),
          reshape.getType().getShape());
      return split && groups.assign(reshape.getResult(), split);
    }
    if (auto expand = dyn_cast<ExpandDimsOp>(op)) {
      unsigned axis = expand.getAxisAttr().getInt();
      auto result = dyn_cast_if_present<DistributedLayoutInterface>(
          groups.layout(expand.getResult()));
      if (result && !groups.layout(expand.getSrc()) &&
          result.getLayoutRank() >= 2)
        return groups.assign(expand.getSrc(),
                             SliceLayoutAttr::get(op->getContext(), axis, result));
      auto src = dyn_cast_if_present<SliceLayoutAttr>(
          groups.layout(expand.getSrc()));
      if (src && src.getDim() == axis && !groups.layout(expand.getResult()))
        return groups.assign(expand.getResult(), src.getParent());
      return false;
    }
    auto reduce = cast<ReduceOp>(op);
    unsigned axis = reduce.getAxisAttr().getInt();
    bool changed = false;
    auto src = dyn_cast_if_present<BlockedLayoutAttr>(
        groups.layout(reduce.getSrcs().front()));
    for (Value result : reduce.getResults()) {
      if (!isTile(result))
        continue;
      if (src && !groups.layout(result))
        changed |= groups.assign(
            result, SliceLayoutAttr::get(op->getContext(), axis, src));
      auto sliced = dyn_cast_if_present<SliceLayoutAttr>(groups.layout(result));
      if (sliced && sliced.getDim() == axis)
        for (Value s : reduce.getSrcs())
          if (!groups.layout(s))
            changed |= groups.assign(s, sliced.getParent());
    }
    return changed;
  }

  /// `v` computed again in `layout` at the builder's insertion point, where
  /// it is index arithmetic (make_range, splat, splat constants and
  /// elementwise ops over them and scalars, at most 16 ops), or else such
  /// arithmetic with pointers and 1-D loads (at most 24 ops): cheaper than
  /// moving it between layouts through shared memory (two barriers). Null
  /// otherwise. Triton's RemoveLayoutConversions
  /// rematerializes the same way.
  static Value rematerialize(OpBuilder &builder, Value v, Attribute layout) {
    llvm::SetVector<Operation *> slice =
        indexArithmetic(v, Cheap::Elementwise, /*maxOps=*/16);
    // Failing that, 1-D loads and their pointers too (an epilogue's scales),
    // loaded again right after the original (so, once where the original is
    // loaded outside the loop that uses it), where no write lies between
    // the load and the use.
    OpBuilder::InsertionGuard guard(builder);
    if (slice.empty()) {
      slice = indexArithmetic(v, Cheap::SmallLoads, /*maxOps=*/24,
                              &*builder.getInsertionPoint());
      if (!slice.empty())
        builder.setInsertionPointAfterValue(v);
    }
    if (slice.empty())
      return {};
    return cloneSlice(builder, v, slice, [&](Operation *clone) {
      for (Value result : clone->getResults())
        if (isTile(result))
          setTileLayout(result, layout);
    });
  }

  /// Inserts the conversions a reduction or an expand_dims needs to see the
  /// slice relation between its operand and result layouts, and a pair
  /// packing to find each pair in one thread.
  static void bridge(Operation *op, unsigned numWarps) {
    if (isa<ReshapeOp>(op)) // any two layouts: the lowering moves elements
      return;
    OpBuilder builder(op);
    if (auto pack = dyn_cast<FpToE2M1x2Op>(op)) {
      auto srcType = pack.getSrc().getType();
      RankedTensorType resultType = pack.getType();
      BlockedLayoutAttr packed = getPackedLastDimLayout(
          dyn_cast<BlockedLayoutAttr>(getLayout(srcType)), 2);
      if (packed && packed == getLayout(resultType))
        return;
      if (packed) {
        // Where the source's threads hold pairs, the result (a quarter of
        // a bf16 source's bytes, an eighth of an f32 one's) moves: packed
        // there, then converted to the layout its users have (often the
        // source's own, when a broadcast mask ties the two to one group).
        builder.setInsertionPointAfter(op);
        pack.getResult().setType(withLayout(resultType, packed));
        auto convert = ConvertLayoutOp::create(builder, op->getLoc(),
                                               resultType, pack.getResult());
        pack.getResult().replaceAllUsesExcept(convert.getResult(), convert);
        return;
      }
      // Otherwise the source moves to threads that pack into the result's
      // layout.
      BlockedLayoutAttr want = getUnpackedLastDimLayout(
          dyn_cast<BlockedLayoutAttr>(getLayout(resultType)), 2);
      if (want)
        pack.getSrcMutable().assign(ConvertLayoutOp::create(
            builder, op->getLoc(), withLayout(srcType, want), pack.getSrc()));
      return;
    }
    if (auto expand = dyn_cast<ExpandDimsOp>(op)) {
      auto result =
          cast<DistributedLayoutInterface>(getLayout(expand.getType()));
      unsigned axis = expand.getAxisAttr().getInt();
      auto want = SliceLayoutAttr::get(op->getContext(), axis, result);
      auto srcType = expand.getSrc().getType();
      if (getLayout(srcType) != want) {
        Value converted = rematerialize(builder, expand.getSrc(), want);
        if (!converted)
          converted = ConvertLayoutOp::create(builder, op->getLoc(),
                                              withLayout(srcType, want),
                                              expand.getSrc());
        expand.getSrcMutable().assign(converted);
      }
      return;
    }
    auto reduce = cast<ReduceOp>(op);
    unsigned axis = reduce.getAxisAttr().getInt();
    auto srcType = cast<RankedTensorType>(reduce.getSrcs().front().getType());
    auto src = dyn_cast<BlockedLayoutAttr>(getLayout(srcType));
    if (!src) {
      // A sliced operand (a 1-D tile that an earlier reduction produced, as
      // in a count over a prefix sum): the lowering reduces blocked tiles,
      // so it moves to the default 1-D layout first (one shared-memory
      // round trip). Only 1-D slices exist, and they reduce to scalars. (A
      // dot's accumulator reaches a reduction already converted.)
      if (!isa<SliceLayoutAttr>(getLayout(srcType)))
        return;
      auto blocked = defaultLayout(withLayout(srcType, Attribute()), {},
                                   numWarps);
      for (OpOperand &operand : reduce->getOpOperands())
        if (auto type = dyn_cast<RankedTensorType>(operand.get().getType()))
          operand.assign(ConvertLayoutOp::create(
              builder, op->getLoc(), withLayout(type, blocked), operand.get()));
      return;
    }
    auto want = SliceLayoutAttr::get(op->getContext(), axis, src);
    builder.setInsertionPointAfter(op);
    for (Value result : reduce.getResults()) {
      auto type = dyn_cast<RankedTensorType>(result.getType());
      if (!type || getLayout(type) == want)
        continue;
      result.setType(withLayout(type, want));
      auto convert =
          ConvertLayoutOp::create(builder, op->getLoc(), type, result);
      result.replaceAllUsesExcept(convert.getResult(), convert);
    }
  }
};

} // namespace
