//===- TileDialect.h - The tile dialect -------------------------*- C++ -*-===//
//
// Include this header to use the tile dialect: its dialect class, types,
// enumerations and operations, and the getters of its module attributes
// (TargetInfo.h).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_DIALECT_TILE_TILEDIALECT_H
#define TILE_DIALECT_TILE_TILEDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "tile/Dialect/Tile/TileDialect.h.inc"

#include "tile/Dialect/Tile/TileOps.h"
#include "tile/Dialect/Tile/TargetInfo.h"

#endif // TILE_DIALECT_TILE_TILEDIALECT_H
