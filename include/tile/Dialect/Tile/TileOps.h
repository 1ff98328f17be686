//===- TileOps.h - Operations of the tile dialect ---------------*- C++ -*-===//

#ifndef TILE_DIALECT_TILE_TILEOPS_H
#define TILE_DIALECT_TILE_TILEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tile/Dialect/Tile/TileEnums.h.inc"
#include "tile/Dialect/Tile/TileLayouts.h"
#include "tile/Dialect/Tile/TileTraits.h"
#include "tile/Dialect/Tile/TileTypes.h"

#define GET_OP_CLASSES
#include "tile/Dialect/Tile/TileOps.h.inc"

namespace mlir::tile {

/// The kWidth of `dot`'s operands on mma.sync (consecutive K elements a
/// thread holds in one 32-bit register: 2 for f16 and bf16, 4 for int8, whose
/// f16_exact widening happens in registers), or none where mma.sync has no
/// instruction for the dot's types (f32, fp8): what tile-accelerate-matmul
/// gives the operands and the dot lowering accepts.
std::optional<unsigned> getMmaV2KWidth(DotOp dot);

/// The `#tile.mma` version 2 layout of `dot`'s accumulator on `numWarps`
/// warps (warps over M and N, each in turn to the dimension with more m16n8
/// tiles per warp left), or null where mma.sync cannot compute the dot
/// (getMmaV2KWidth). tile-assign-layouts gives it to the accumulator's
/// whole layout group, so an epilogue computes in it; tile-accelerate-matmul
/// gives the operands their `#tile.dot_operand` layouts of it.
MmaLayoutAttr getMmaV2Layout(DotOp dot, unsigned numWarps);

} // namespace mlir::tile

#endif // TILE_DIALECT_TILE_TILEOPS_H
