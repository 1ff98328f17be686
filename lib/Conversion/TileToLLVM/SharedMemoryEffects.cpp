//===- SharedMemoryEffects.cpp - What a lowered op does to shared memory --===//

#include "SharedMemoryEffects.h"
#include "LoweringUtils.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

bool isShared(Type type) {
  auto ptr = dyn_cast<LLVM::LLVMPointerType>(type);
  return ptr && ptr.getAddressSpace() == 3;
}

/// The effects of `op` alone (not its regions).
SharedMemoryEffects effectsOfOne(Operation *op) {
  SharedMemoryEffects e;
  if (isMemoryEffectFree(op))
    return e;
  if (isa<NVVM::Barrier0Op>(op)) {
    e.synchronizes = true;
  } else if (isa<NVVM::CpAsyncWaitGroupOp>(op)) {
    e.waitsForCopies = true;
  } else if (isa<NVVM::CpAsyncOp, NVVM::CpAsyncCommitGroupOp>(op)) {
    e.issuesCopies = true;
  } else if (isa<NVVM::LdMatrixOp>(op)) {
    e.reads = true;
  } else if (auto load = dyn_cast<LLVM::LoadOp>(op)) {
    e.reads = isShared(load.getAddr().getType());
  } else if (auto store = dyn_cast<LLVM::StoreOp>(op)) {
    e.writes = isShared(store.getAddr().getType());
  } else if (auto asmOp = dyn_cast<LLVM::InlineAsmOp>(op);
             asmOp && (asmOp.getAsmString().contains("wgmma.") ||
                       asmOp.getAsmString().starts_with("fence.proxy.async"))) {
    // wgmma reads its operands' shared memory through descriptors (any
    // buffer, as far as this can tell); its fence, commit and wait and the
    // proxy fence (and the moves of a constant accumulator into registers
    // before a fence) order this thread's work, not the program's threads. An
    // asynchronous group reads until the wait that ends it: the wait counts
    // as a read too, so a write after it is still ordered by a barrier.
    e.reads = asmOp.getAsmString().starts_with("wgmma.mma_async") ||
              asmOp.getAsmString().starts_with("wgmma.wait_group");
  } else if (auto asmOp = dyn_cast<LLVM::InlineAsmOp>(op)) {
    StringRef text = asmOp.getAsmString();
    bool copies = text.contains("cp.async.cg") || text.contains("cp.async.ca") ||
                  text.contains("cp.async.commit");
    e.issuesCopies = copies;
    e.waitsForCopies = !copies && text.contains("cp.async");
    e.synchronizes = text.contains("bar.") || text.contains("barrier") ||
                     text.contains("fence");
    e.writes =
        text.contains("stmatrix") || (!copies && text.contains(".shared"));
    e.reads = e.writes || text.contains("ldmatrix");
  } else {
    // Other cp.async forms copy too; nothing else is understood.
    e.issuesCopies = op->getName().getStringRef().starts_with("nvvm.cp.async");
    e.opaque = true;
  }
  // Any op with side effects that is given a shared pointer reads through it
  // at least.
  if (llvm::any_of(op->getOperandTypes(), isShared))
    e.reads = true;
  return e;
}

} // namespace

SharedMemoryEffects mlir::tile::getSharedMemoryEffects(Operation *op) {
  SharedMemoryEffects all;
  op->walk([&](Operation *inner) {
    // A region op's own effects are those of its regions, walked here, and
    // a shared pointer it is given (a loop carrying one).
    SharedMemoryEffects e;
    if (inner->getNumRegions() == 0)
      e = effectsOfOne(inner);
    else if (!isMemoryEffectFree(inner) &&
             llvm::any_of(inner->getOperandTypes(), isShared))
      e.reads = true;
    all.reads |= e.reads;
    all.writes |= e.writes;
    all.issuesCopies |= e.issuesCopies;
    all.waitsForCopies |= e.waitsForCopies;
    all.synchronizes |= e.synchronizes;
    all.opaque |= e.opaque;
  });
  return all;
}

std::optional<int64_t> mlir::tile::getSharedBufferOffset(Value ptr) {
  while (auto gep = ptr.getDefiningOp<LLVM::GEPOp>()) {
    Value base = gep.getBase();
    auto address = base.getDefiningOp<LLVM::AddressOfOp>();
    if (!address) {
      ptr = base;
      continue;
    }
    if (address.getGlobalName() != kSharedMemoryName ||
        gep.getIndices().size() != 1)
      return std::nullopt;
    auto index = *gep.getIndices().begin();
    if (auto attr = dyn_cast<IntegerAttr>(index))
      return attr.getInt();
    APInt value;
    if (matchPattern(cast<Value>(index), m_ConstantInt(&value)))
      return value.getSExtValue();
    return std::nullopt;
  }
  return std::nullopt;
}

SmallVector<SharedAccess> mlir::tile::getSharedAccesses(Operation *op) {
  if (isa<NVVM::CpAsyncCommitGroupOp>(op))
    return {};
  if (auto asmOp = dyn_cast<LLVM::InlineAsmOp>(op))
    if (asmOp.getAsmString().contains("cp.async.commit") &&
        !asmOp.getAsmString().contains(".shared"))
      return {};
  // What touches() counts, as removeRedundantBarriers always has: an op it
  // cannot see into (griddepcontrol) touches shared memory only through a
  // shared pointer it is given.
  SharedMemoryEffects e = getSharedMemoryEffects(op);
  if (!e.touches())
    return {};
  SharedAccess access;
  access.writes = e.writes || e.issuesCopies || e.waitsForCopies;
  // Anywhere unless every shared pointer it is given is in one buffer (and
  // it has no regions and waits for no copies).
  if (op->getNumRegions() != 0 || e.waitsForCopies)
    return {access};
  std::optional<int64_t> buffer;
  bool known = false;
  for (Value operand : op->getOperands()) {
    if (!isShared(operand.getType()))
      continue;
    std::optional<int64_t> offset = getSharedBufferOffset(operand);
    if (!offset || (known && offset != buffer))
      return {access};
    buffer = offset;
    known = true;
  }
  if (known)
    access.buffer = buffer;
  return {access};
}
