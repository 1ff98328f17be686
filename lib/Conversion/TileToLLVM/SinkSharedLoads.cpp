//===- SinkSharedLoads.cpp - ldmatrix next to the mma that reads it --------===//
//
// convert-tile-to-llvm's sink-shared-loads option (on by default, with
// prefetch-k-steps = 1).
//
// local_load's lowering reads a dot operand's whole [block, block_k] tile
// with ldmatrix before the dot's first mma, so every K step's fragments are
// live at once: 96 registers of int8 fragments in grouped_gemm_i8's default
// 64x128x64 tile on 4 warps, which with its two accumulator tiles (128
// registers) spills. After the lowering, each ldmatrix and the pure ops that
// unpack its registers (extractvalue, bitcast, extractelement, the int8 ->
// f16 widening) move down to just before their first use, so a K step's
// fragments are read when that step's mma needs them.
//
// Read at its first use, an ldmatrix's latency is exposed where the warp
// has registers to spare. So with prefetch-k-steps = P > 0, each ldmatrix
// alone (its unpacking stays at the use) then goes back up past the
// mma.sync of P K steps before its first mma (the dot lowering marks each
// mma.sync with how many make a K step): fragments of at most P + 1 steps
// are live, and a load is issued a step's worth of tensor-core work before
// it is needed. Triton's counterpart is the prefetch of the next ldmatrix
// slice (lib/Dialect/TritonGPU/Transforms/Prefetch.cpp). The mma.sync
// themselves never move: they stay in the dot lowering's order.
//
// Measured on an H200 (bench/RESULTS.md, 2026-11-30 11:23), against no
// sinking, both with the KStep ldmatrix grouping: dense int8 128x128x64
// on 8 warps 728 -> 760 TOP/s, dense f16 256x128x64 409 -> 426 TFLOP/s,
// grouped_gemm_i8's default tile 338 -> 354 TOP/s (native) and 232 -> 244
// TFLOP/s (f16_exact), its 128x128 tile on 8 warps 324 -> 349 and 232 ->
// 265; slower: its native 64x64x64 on 4 warps (372 -> 316) and 64x128x32
// (303 -> 274), which do not spill without it.
//
// An ldmatrix never moves past anything that may change the shared memory
// it reads as seen by this thread: a barrier, a cp.async wait, a store to
// shared memory, a call, or an op it cannot see into; nor above the ops
// computing its address. It may move past the issue of a cp.async (and its
// commit): those copies land at an unknown time until a wait, so a program
// where one could write the bytes an ldmatrix reads before that wait is
// racy either way; tile-pipeline's rings never refill the stage being read.
//
//===----------------------------------------------------------------------===//

#include "SharedMemoryEffects.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace {

/// The earliest op of `block` that uses a result of `op` (directly or in a
/// nested region); nullptr when no use is in `block`.
Operation *firstUserIn(Block &block, Operation *op) {
  Operation *first = nullptr;
  for (Value result : op->getResults())
    for (Operation *user : result.getUsers()) {
      Operation *inBlock = block.findAncestorOpInBlock(*user);
      if (!inBlock)
        return nullptr; // a use elsewhere: leave the op where it is
      if (!first || inBlock->isBeforeInBlock(first))
        first = inBlock;
    }
  return first;
}

/// The mma.sync ops the dot lowering marked, and how many make a K step;
/// 0 for any other op.
int64_t mmaPerKStep(Operation *op) {
  if (auto n = op->getAttrOfType<IntegerAttr>(tile::kMmaPerKStepAttrName))
    return n.getInt();
  return 0;
}

void sinkInBlock(Block &block) {
  // The ldmatrix ops and the pure ops computed from them, in block order.
  llvm::DenseSet<Operation *> cone;
  SmallVector<Operation *> order;
  for (Operation &op : block) {
    for (Region &region : op.getRegions())
      for (Block &nested : region)
        sinkInBlock(nested);
    // The mma.sync stay in the dot lowering's order (K steps outermost):
    // moving them would be a schedule of its own.
    bool fromCone = isa<NVVM::LdMatrixOp>(op);
    if (!fromCone && op.getNumRegions() == 0 && isMemoryEffectFree(&op) &&
        !mmaPerKStep(&op))
      for (Value operand : op.getOperands())
        if (Operation *def = operand.getDefiningOp();
            def && cone.contains(def)) {
          fromCone = true;
          break;
        }
    if (fromCone) {
      cone.insert(&op);
      order.push_back(&op);
    }
  }
  // Users before producers: each op joins its users where they now are.
  for (Operation *op : llvm::reverse(order)) {
    Operation *target = firstUserIn(block, op);
    if (!target || target == op->getNextNode())
      continue;
    if (isa<NVVM::LdMatrixOp>(op))
      for (Operation *between = op->getNextNode(); between != target;
           between = between->getNextNode())
        if (tile::getSharedMemoryEffects(between).mayChange()) {
          target = between;
          break;
        }
    if (target != op->getNextNode())
      op->moveBefore(target);
  }
}

/// The first op of `block` after `load` that is a marked mma.sync reading
/// what `load` produced (through the pure ops unpacking it); nullptr when
/// there is none in the block.
Operation *firstMmaReading(Block &block, Operation *load) {
  llvm::DenseSet<Operation *> reached = {load};
  for (Operation *op = load->getNextNode(); op; op = op->getNextNode()) {
    bool reads = llvm::any_of(op->getOperands(), [&](Value v) {
      Operation *def = v.getDefiningOp();
      return def && reached.contains(def);
    });
    if (!reads)
      continue;
    if (mmaPerKStep(op))
      return op;
    reached.insert(op);
  }
  return nullptr;
}

/// Moves each ldmatrix of `block` up past the mma.sync of `steps` K steps
/// before its first mma, within the limits of the file comment.
void prefetchInBlock(Block &block, unsigned steps) {
  SmallVector<NVVM::LdMatrixOp> loads;
  for (Operation &op : block) {
    for (Region &region : op.getRegions())
      for (Block &nested : region)
        prefetchInBlock(nested, steps);
    if (auto load = dyn_cast<NVVM::LdMatrixOp>(op))
      loads.push_back(load);
  }
  for (NVVM::LdMatrixOp load : loads) {
    Operation *mma = firstMmaReading(block, load);
    if (!mma)
      continue;
    // Up to the earliest mma.sync passed: never above the K steps' work
    // (the first step's loads stay at their use).
    int64_t toPass = mmaPerKStep(mma) * int64_t(steps);
    Operation *target = nullptr;
    for (Operation *op = load->getPrevNode(); op && toPass > 0;
         op = op->getPrevNode()) {
      bool defines = llvm::any_of(load->getOperands(), [&](Value v) {
        return v.getDefiningOp() == op;
      });
      if (defines || tile::getSharedMemoryEffects(op).mayChange())
        break;
      if (mmaPerKStep(op)) {
        target = op;
        --toPass;
      }
    }
    if (target)
      load->moveBefore(target);
  }
}

} // namespace

void mlir::tile::sinkSharedLoadsToFirstUse(Operation *kernel,
                                           unsigned prefetchKSteps) {
  for (Region &region : kernel->getRegions())
    for (Block &block : region) {
      sinkInBlock(block);
      if (prefetchKSteps > 0)
        prefetchInBlock(block, prefetchKSteps);
    }
}

void mlir::tile::dropMmaPerKStepAttrs(Operation *kernel) {
  kernel->walk(
      [](Operation *op) { op->removeAttr(tile::kMmaPerKStepAttrName); });
}
