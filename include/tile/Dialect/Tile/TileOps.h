//===- TileOps.h - Operations of the tile dialect ---------------*- C++ -*-===//

#ifndef TILE_DIALECT_TILE_TILEOPS_H
#define TILE_DIALECT_TILE_TILEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tile/Dialect/Tile/TileEnums.h.inc"
#include "tile/Dialect/Tile/TileLayouts.h"
#include "tile/Dialect/Tile/TileTraits.h"
#include "tile/Dialect/Tile/TileTypes.h"

#define GET_OP_CLASSES
#include "tile/Dialect/Tile/TileOps.h.inc"

#endif // TILE_DIALECT_TILE_TILEOPS_H
