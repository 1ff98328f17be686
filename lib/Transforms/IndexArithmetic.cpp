//===- IndexArithmetic.cpp - Tiles any layout can compute again -----------===//

#include "IndexArithmetic.h"

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

bool isTile(Value v) { return isa<RankedTensorType>(v.getType()); }

/// Whether `v` is a splat constant or a tile.splat: the same value in every
/// layout, free to repeat.
bool isSplat(Value v) {
  Operation *def = v.getDefiningOp();
  if (auto constant = dyn_cast_if_present<arith::ConstantOp>(def))
    return isa<SplatElementsAttr>(constant.getValue()) && isTile(v);
  return isa_and_present<SplatOp>(def);
}

/// Whether an op between `from` and `to` may write memory: in `from`'s
/// block, the ops after it up to the one holding `to` (whole, with what it
/// nests), and in the blocks around `to` up to there, the ops before it.
/// True where `to` is not nested in `from`'s block.
bool writesBetween(Operation *from, Operation *to) {
  auto writes = [](Operation *op) {
    bool any = false;
    op->walk([&](Operation *inner) {
      any |= !isMemoryEffectFree(inner) &&
             !hasSingleEffect<MemoryEffects::Read>(inner) &&
             !inner->hasTrait<mlir::OpTrait::IsTerminator>() &&
             !isa<scf::ForOp, scf::IfOp>(inner);
    });
    return any;
  };
  Operation *holder = from->getBlock()->findAncestorOpInBlock(*to);
  if (!holder)
    return true;
  for (Operation *op = from->getNextNode(); op && op != holder;
       op = op->getNextNode())
    if (writes(op))
      return true;
  // Inside the holder: what precedes `to` in each block around it.
  for (Operation *op = to; op != holder; op = op->getParentOp())
    for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode())
      if (writes(prev))
        return true;
  return false;
}

} // namespace

llvm::SetVector<Operation *>
mlir::tile::indexArithmetic(Value v, Cheap cheapOps, size_t maxOps,
                            Operation *before) {
  bool shapes = cheapOps == Cheap::Shapes;
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> work = {v};
  while (!work.empty()) {
    Value value = work.pop_back_val();
    if (!isTile(value))
      continue; // scalars are the same in every layout
    Operation *def = value.getDefiningOp();
    if (!def)
      return {}; // a block argument: its layout is its own
    if (slice.contains(def))
      continue;
    bool cheap = isa<MakeRangeOp>(def) || isSplat(value) ||
                 (shapes && isa<ExpandDimsOp, BroadcastOp, AddPtrOp>(def)) ||
                 (cheapOps == Cheap::SmallLoads && isa<AddPtrOp>(def)) ||
                 (cheapOps == Cheap::SmallLoads && isa<LoadOp>(def) &&
                  cast<RankedTensorType>(value.getType()).getRank() == 1 &&
                  before && !writesBetween(def, before)) ||
                 (def->hasTrait<mlir::OpTrait::Elementwise>() &&
                  isMemoryEffectFree(def) && def->getNumResults() == 1);
    if (!cheap || slice.size() == maxOps)
      return {};
    slice.insert(def);
    llvm::append_range(work, def->getOperands());
  }
  return slice;
}

