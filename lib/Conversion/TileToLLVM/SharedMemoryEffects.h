//===- SharedMemoryEffects.h - A lowered op and shared memory -*- C++ -*-===//
//
// The clean-ups that run on the lowered kernel ask what an op (with the ops
// nested in it) may do to shared memory, as the thread running it sees it:
// removeRedundantBarriers (does it touch shared memory: then the next
// barrier orders something) and the ldmatrix sink (may a later read see
// other bytes than an earlier one: then no read moves past it). One
// classification serves both, from the NVVM ops, the address space of LLVM
// loads and stores, and the text of inline PTX. An op free of memory
// effects (inline PTX without side effects included) has none.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_CONVERSION_TILETOLLVM_SHAREDMEMORYEFFECTS_H
#define TILE_CONVERSION_TILETOLLVM_SHAREDMEMORYEFFECTS_H

#include "mlir/IR/Operation.h"

namespace mlir::tile {

struct SharedMemoryEffects {
  /// ld.shared, ldmatrix, or any op with side effects given a shared pointer.
  bool reads = false;
  /// st.shared, stmatrix, inline PTX naming `.shared`.
  bool writes = false;
  /// cp.async issue or commit: the bytes land at an unknown time.
  bool issuesCopies = false;
  /// cp.async.wait_group: landed bytes become visible.
  bool waitsForCopies = false;
  /// A barrier or a fence: other threads' writes become visible.
  bool synchronizes = false;
  /// Side effects it cannot see into (an unknown op, a call).
  bool opaque = false;

  /// Reads or writes shared memory, itself or by copies it starts or waits
  /// for.
  bool touches() const {
    return reads || writes || issuesCopies || waitsForCopies;
  }
  /// May make a later read of shared memory by this thread see other bytes
  /// than an earlier read: it writes, waits for copies, synchronizes, or
  /// cannot be seen into. (A copy's issue does not: until its wait, when it
  /// lands is unknown either way.)
  bool mayChange() const {
    return writes || waitsForCopies || synchronizes || opaque;
  }
};

/// The effects of `op` and of every op nested in its regions.
SharedMemoryEffects getSharedMemoryEffects(Operation *op);

/// The byte offset in the kernel's shared memory of the buffer `ptr` points
/// into: the constant offset of the first GEP off the shared memory
/// global's address (where the lowering places a tile.local_alloc's ring;
/// 0 for the scratch space), or nullopt where `ptr` is not such a chain.
std::optional<int64_t> getSharedBufferOffset(Value ptr);

/// One access of an op to shared memory, as removeRedundantBarriers orders
/// them: whether it may write, and the buffer (its offset) it stays in, or
/// nullopt for anywhere.
struct SharedAccess {
  bool writes = false;
  std::optional<int64_t> buffer;
};

/// The accesses of `op` (with its regions: then anywhere) where
/// getSharedMemoryEffects(op).touches(). A cp.async issue writes its
/// destination's buffer; a commit accesses nothing; a wait for copies
/// writes anywhere.
SmallVector<SharedAccess> getSharedAccesses(Operation *op);

} // namespace mlir::tile

#endif // TILE_CONVERSION_TILETOLLVM_SHAREDMEMORYEFFECTS_H
