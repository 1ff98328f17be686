//===- SharedBufferAlignment.h - Where a shared buffer may start -*- C++ -*-===//
//
// The placement rule of the kernel's shared buffers, in one place for the
// lowering that applies it (computeSharedAllocation) and the passes that
// must predict it (tile-pipeline's widen-ahead: whether a second set of f16
// buffers fits).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_DIALECT_TILE_SHAREDBUFFERALIGNMENT_H
#define TILE_DIALECT_TILE_SHAREDBUFFERALIGNMENT_H

#include "tile/Dialect/Tile/TileOps.h"

namespace mlir::tile {

/// The alignment, in bytes, of the kernel's shared memory and of each ring
/// a tile.warpgroup_dot reads: wgmma's 128-byte swizzle repeats every 8
/// rows of 128 bytes, and the hardware swizzles address bits.
constexpr int64_t kWgmmaRingAlignment = 1024;

/// The alignment of any other shared buffer, in bytes.
constexpr int64_t kSharedBufferAlignment = 128;

/// Where `alloc`'s buffers may start: a multiple of kWgmmaRingAlignment
/// where a tile.warpgroup_dot reads them, else of kSharedBufferAlignment.
inline int64_t getSharedBufferAlignment(LocalAllocOp alloc) {
  bool wgmma = llvm::any_of(alloc->getUsers(), [](Operation *user) {
    return isa<WarpgroupDotOp>(user);
  });
  return wgmma ? kWgmmaRingAlignment : kSharedBufferAlignment;
}

} // namespace mlir::tile

#endif // TILE_DIALECT_TILE_SHAREDBUFFERALIGNMENT_H
