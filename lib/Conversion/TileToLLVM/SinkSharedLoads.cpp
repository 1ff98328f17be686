//===- SinkSharedLoads.cpp - ldmatrix next to the mma that reads it --------===//
//
// convert-tile-to-llvm's sink-shared-loads option (off by default: with
// ptxas alone, session 7 measured fewer spilled bytes in some grouped GEMM
// variants and more in others; a GPU run decides).
//
// local_load's lowering reads a dot operand's whole [block, block_k] tile
// with ldmatrix before the dot's first mma, so every K step's fragments are
// live at once: 96 registers of int8 fragments in grouped_gemm_i8's default
// 64x128x64 tile on 4 warps, which with its two accumulator tiles (128
// registers) spills. After the lowering, each ldmatrix and the pure ops that
// unpack its registers (extractvalue, bitcast, extractelement, the int8 ->
// f16 widening) move down to just before their first use, so a K step's
// fragments are read when that step's mma needs them (Triton's prefetch of
// the next ldmatrix slice, minus the software pipelining: ptxas schedules
// the loads ahead as far as its registers allow).
//
// An ldmatrix never moves past anything that may change the shared memory
// it reads as seen by this thread: a barrier, a cp.async wait, a store to
// shared memory, a call, or an op it cannot see into. It may move past the
// issue of a cp.async (and its commit): those copies land at an unknown time
// until a wait, so a program where one could write the bytes an ldmatrix
// reads before that wait is racy either way; tile-pipeline's rings never
// refill the stage being read.
//
//===----------------------------------------------------------------------===//

#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace {

/// Whether `op` may make a later read of shared memory by this thread see
/// other bytes than an earlier one would: it synchronizes (bar.sync,
/// cp.async.wait_group, a fence), writes shared memory, or cannot be seen
/// into. Reads, global memory accesses and cp.async issue are not.
bool mayChangeSharedMemory(Operation *op) {
  if (isa<NVVM::Barrier0Op, NVVM::CpAsyncWaitGroupOp>(op))
    return true;
  if (isa<NVVM::CpAsyncOp, NVVM::CpAsyncCommitGroupOp, NVVM::LdMatrixOp,
          LLVM::LoadOp>(op))
    return false;
  if (auto store = dyn_cast<LLVM::StoreOp>(op))
    return cast<LLVM::LLVMPointerType>(store.getAddr().getType())
               .getAddressSpace() == 3;
  if (auto asmOp = dyn_cast<LLVM::InlineAsmOp>(op)) {
    StringRef text = asmOp.getAsmString();
    if (text.contains("cp.async.cg") || text.contains("cp.async.commit"))
      return false;
    if (text.contains(".shared") || text.contains("stmatrix") ||
        text.contains("bar.") || text.contains("barrier") ||
        text.contains("fence") || text.contains("cp.async"))
      return true;
    // Inline PTX that names no shared memory: global loads and stores, math.
    return false;
  }
  if (op->getNumRegions() != 0) {
    WalkResult found = op->walk([&](Operation *inner) {
      if (inner != op && mayChangeSharedMemory(inner))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    return found.wasInterrupted();
  }
  return !isMemoryEffectFree(op);
}

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

void sinkInBlock(Block &block) {
  // The ldmatrix ops and the pure ops computed from them, in block order.
  llvm::DenseSet<Operation *> cone;
  SmallVector<Operation *> order;
  for (Operation &op : block) {
    for (Region &region : op.getRegions())
      for (Block &nested : region)
        sinkInBlock(nested);
    bool fromCone = isa<NVVM::LdMatrixOp>(op);
    if (!fromCone && op.getNumRegions() == 0 && isMemoryEffectFree(&op))
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
        if (mayChangeSharedMemory(between)) {
          target = between;
          break;
        }
    if (target != op->getNextNode())
      op->moveBefore(target);
  }
}

} // namespace

void mlir::tile::sinkSharedLoadsToFirstUse(Operation *kernel) {
  for (Region &region : kernel->getRegions())
    for (Block &block : region)
      sinkInBlock(block);
}
