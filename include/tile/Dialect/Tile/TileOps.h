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
#include "mlir/Interfaces/InferTypeOpInterface.h"
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

/// The accumulator layout a dot gets on the tensor cores: getMmaV3Layout
/// where the module asks for wgmma (getWarpgroupMma) and its target has it,
/// else getMmaV2Layout.
MmaLayoutAttr getMmaLayout(DotOp dot, unsigned numWarps);

/// The wgmma accumulator layout (`#tile.mma` version 3) of a dot whose
/// operands wgmma can read from shared memory: f16 or bf16 into f32
/// (`ieee`), i8 into i32 (`native`), i8 into f32 (`f16_exact`: tile-pipeline
/// widens the int8 tiles into f16 buffers, which an f16 wgmma reads);
/// `numWarps` a multiple of 4; M at least 64; K the length of one swizzled
/// row (32, 64 or 128 bytes, at least one instruction's K: 16 for 16-bit
/// operands and f16_exact, 32 for 8-bit). The warps stack
/// along M as far as M allows (each warpgroup 64 rows), the rest along N;
/// one instruction spans a warpgroup's columns (at most 256). Null
/// otherwise.
MmaLayoutAttr getMmaV3Layout(DotOp dot, unsigned numWarps);

/// The bytes of one row of `buffer`'s tile when it holds a wgmma operand
/// K-major (K along dimension `kDim`) in the swizzle the wgmma descriptor
/// names for that row length: rows of 32, 64 or 128 bytes in
/// getSwizzledSharedLayout's layout, which for those lengths is the 32-,
/// 64- and 128-byte swizzle of PTX ISA 9.7.15.5.1.2 (16-byte chunk c of row
/// r at c ^ (r / (128 / rowBytes)) % (rowBytes / 16)). Nullopt for any
/// other buffer.
std::optional<int64_t> getWgmmaSwizzleBytes(MemDescType buffer,
                                            unsigned kDim);

} // namespace mlir::tile

#endif // TILE_DIALECT_TILE_TILEOPS_H
