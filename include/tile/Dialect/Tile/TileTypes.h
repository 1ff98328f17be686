//===- TileTypes.h - Types of the tile dialect ------------------*- C++ -*-===//

#ifndef TILE_DIALECT_TILE_TILETYPES_H
#define TILE_DIALECT_TILE_TILETYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "tile/Dialect/Tile/TileTypes.h.inc"

namespace mlir::tile {

/// The pointee type of a `!tile.ptr<T>` or of a tensor of them, as a tensor of
/// the same shape when `type` is a tensor. Null when `type` holds no pointer.
Type getPointeeTypeOrTensor(Type type);

/// `i1` with the shape of `type` (a tensor of i1, or i1 for a scalar).
Type getI1SameShape(Type type);

/// Whether `n` is a positive power of two.
inline bool isPowerOfTwo(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

} // namespace mlir::tile

#endif // TILE_DIALECT_TILE_TILETYPES_H
