//===- TileLayoutInterfaces.td - What every layout encoding answers -*- tablegen -*-===//
//
// The interface every distributed layout encoding implements: its linear
// layout for a shape (include/tile/Support/LinearLayout.h). This is the one
// question consumers will ask instead of switching over `#tile.blocked` and
// `#tile.slice` (issue 9, item 1); for now no consumer asks it yet, and the
// lowering still uses the arithmetic of TileLayouts.h, which the unit tests
// compare it with element by element. Triton's counterpart:
// DistributedEncodingTrait (TritonGPUAttrInterfaces.td).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LAYOUT_INTERFACES_TD
#define TILE_LAYOUT_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Tile_DistributedLayoutInterface
    : AttrInterface<"DistributedLayoutInterface"> {
  let cppNamespace = "::mlir::tile";
  let description = [{
    A layout of a register tile: which tensor element each (register, lane,
    warp) of a program holds, as a linear layout from the input dimensions
    "register", "lane" (size 32) and "warp" (the layout's warps) to the output
    dimensions "dim0".."dim<rank-1>" (the shape's extents, powers of two).

    The conventions are those of the lowering's index arithmetic
    (TileLayouts.h): registers are the thread's elements in its order; a
    shape larger than the layout's CTA tile repeats it in registers, a
    smaller one is broadcast (zero bases: those lanes, warps or registers hold
    copies). Copies are the layout's free variables
    (LinearLayout::getFreeVariableMask).
  }];
  let methods = [
    InterfaceMethod<
      "The linear layout of a tile of `shape` (the layout's rank, static "
      "power-of-two extents) with this encoding.",
      "::mlir::tile::LinearLayout", "toLinearLayout",
      (ins "::llvm::ArrayRef<int64_t>":$shape)>,
    InterfaceMethod<
      "The extents one CTA of the layout covers without repeating or "
      "broadcasting, per dimension (sizePerThread * threadsPerWarp * "
      "warpsPerCTA for a blocked layout).",
      "::llvm::SmallVector<int64_t>", "getShapePerCTATile", (ins)>,
    InterfaceMethod<"The number of tensor dimensions.", "unsigned",
      "getLayoutRank", (ins)>,
  ];
}

def Tile_SharedLayoutInterface : AttrInterface<"SharedLayoutInterface"> {
  let cppNamespace = "::mlir::tile";
  let description = [{
    A layout of a tile in shared memory: which tensor element each element
    offset of the buffer holds, as an invertible linear layout from the input
    dimension "offset" (the buffer's elements, 0 .. product(shape) - 1) to the
    output dimensions "dim0".."dim<rank-1>". Swizzles are XORs of offset bits,
    so they are linear; the inverse gives an element's offset. Triton's
    counterpart: SharedEncodingTrait and its toLinearLayout.
  }];
  let methods = [
    InterfaceMethod<
      "The linear layout (offset -> dim0..) of a buffer holding a tile of "
      "`shape` (static power-of-two extents that the encoding accepts, see "
      "the encoding's description).",
      "::mlir::tile::LinearLayout", "toLinearLayout",
      (ins "::llvm::ArrayRef<int64_t>":$shape)>,
  ];
}

#endif // TILE_LAYOUT_INTERFACES_TD
