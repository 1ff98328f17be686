//===- IndexArithmetic.h - Tiles any layout can compute again --*- C++ -*-===//
//
// Index arithmetic: the tiles make_range, splat, splat constants and pure
// elementwise ops compute (pointer offsets, masks, a GEMM epilogue's row and
// column indices). They cost a few instructions to compute again in another
// layout or for another user, where moving them costs a trip through shared
// memory: tile-assign-layouts rematerializes them instead of converting, and
// tile-pipeline computes a copied load's pointers again in its copy layout.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LIB_TRANSFORMS_INDEXARITHMETIC_H
#define TILE_LIB_TRANSFORMS_INDEXARITHMETIC_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SetVector.h"

#include <cstddef>

namespace mlir::tile {

/// What indexArithmetic may take besides make_range, splat, splat constants
/// and pure elementwise ops.
enum class Cheap {
  Elementwise,
  /// expand_dims, broadcast and addptr too.
  Shapes,
  /// addptr and loads of 1-D tiles too, where nothing between such a load
  /// and `before` (nested in the load's block) writes memory: a GEMM
  /// epilogue's row and column scales are loaded again in the accumulator's
  /// slice layout, a few bytes per thread, instead of moving through shared
  /// memory.
  SmallLoads,
};

/// The ops computing tile `v` where it is index arithmetic: make_range,
/// splat, splat constants, pure elementwise ops and what `cheapOps` adds,
/// over them and scalars, at most `maxOps` ops; empty where `v` is anything
/// else (a tile some other op, or a block argument, gives). The ops come
/// users first.
llvm::SetVector<Operation *> indexArithmetic(Value v, Cheap cheapOps,
                                             size_t maxOps,
                                             Operation *before = nullptr);

} // namespace mlir::tile

#endif // TILE_LIB_TRANSFORMS_INDEXARITHMETIC_H
