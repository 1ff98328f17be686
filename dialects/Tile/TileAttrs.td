//===- TileAttrs.td - Layout encodings of the tile dialect -----*- tablegen -*-===//
//
// How a tile's elements are spread over the threads of a program. Passes attach
// these to tensor types as encodings (tile-assign-layouts); users never write
// them. They follow Triton's distributed layouts.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_ATTRS_TD
#define TILE_ATTRS_TD

include "TileDialect.td"
include "TileLayoutInterfaces.td"
include "mlir/IR/AttrTypeBase.td"

class Tile_AttrDef<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Tile_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Tile_BlockedLayoutAttr : Tile_AttrDef<"BlockedLayout", "blocked",
    [DeclareAttrInterfaceMethods<Tile_DistributedLayoutInterface>]> {
  let summary = "elements spread over threads in blocks, then wrapped";
  let description = [{
    Each thread holds `sizePerThread[d]` consecutive elements along dimension
    `d`; a warp's `threadsPerWarp` (product 32) and a program's `warpsPerCTA`
    (product num_warps) tile the tensor; `order` lists the dimensions fastest
    first. A tensor larger than the CTA tile (`sizePerThread * threadsPerWarp *
    warpsPerCTA`) wraps, each thread holding several blocks; a smaller one is
    replicated. The layout fits any shape of its rank. Its linear layout
    (DistributedLayoutInterface::toLinearLayout) is that formula over GF(2).

    ```mlir
    #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [2, 16],
                  warpsPerCTA = [4, 1], order = [1, 0]>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"unsigned">:$sizePerThread,
                        ArrayRefParameter<"unsigned">:$threadsPerWarp,
                        ArrayRefParameter<"unsigned">:$warpsPerCTA,
                        ArrayRefParameter<"unsigned">:$order);
  let assemblyFormat = [{
    `<` `sizePerThread` `=` `[` $sizePerThread `]` `,`
        `threadsPerWarp` `=` `[` $threadsPerWarp `]` `,`
        `warpsPerCTA` `=` `[` $warpsPerCTA `]` `,`
        `order` `=` `[` $order `]` `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    unsigned getRank() const { return getOrder().size(); }
    /// The number of warps the layout spreads a tile over.
    unsigned getNumWarps() const;
  }];
}

def Tile_SliceLayoutAttr : Tile_AttrDef<"SliceLayout", "slice",
    [DeclareAttrInterfaceMethods<Tile_DistributedLayoutInterface>]> {
  let summary = "a distributed layout with one dimension removed";
  let description = [{
    The layout of a tile that is `parent`'s with dimension `dim` removed: what
    a reduction along `dim` produces, and what `tile.expand_dims` at `dim`
    takes. Threads that differ only along `dim` hold the same elements.
    `parent` is any distributed layout (`#tile.blocked`, `#tile.mma`, ...):
    the rows of an mma accumulator, `#tile.slice<dim = 1, parent = #tile.mma<...>>`,
    are what a GEMM epilogue's per-row scales are loaded in. Its linear
    layout is the parent's with the `dim` output and the registers that walk
    it removed (Triton's SliceEncodingAttr).

    ```mlir
    #tile.slice<dim = 1, parent = #tile.blocked<...>>
    ```
  }];
  let parameters = (ins "unsigned":$dim, "DistributedLayoutInterface":$parent);
  let assemblyFormat = "`<` `dim` `=` $dim `,` `parent` `=` $parent `>`";
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// Tensor-core encodings (TileTensorCoreLayouts.cpp), written by
// tile-accelerate-matmul and tile-pipeline.
//===----------------------------------------------------------------------===//

def Tile_MmaLayoutAttr : Tile_AttrDef<"MmaLayout", "mma",
    [DeclareAttrInterfaceMethods<Tile_DistributedLayoutInterface>]> {
  let summary = "the accumulator fragment of mma.sync (v2) or wgmma (v3)";
  let description = [{
    The layout of a rank-2 accumulator [M, N] as the tensor-core instructions
    hold it. `version = 2` is mma.sync m16n8 (`instrShape = [16, 8]`): lane l
    of a warp holds rows l/4 and l/4 + 8 and columns 2*(l%4) + {0, 1}, in the
    register order c0 c1 (row l/4) c2 c3 (row l/4 + 8). `version = 3` is
    wgmma m64nN (`instrShape = [64, N]`, N a power of two from 8 to 256): a
    warpgroup of 4 consecutive warps owns 64 rows, 16 per warp, and each warp
    holds its 16 x N rows as N/8 m16n8 fragments side by side (registers
    d[4j..4j+3] for columns 8j..8j+7).

    Warps tile the CTA per `warpsPerCTA = [wm, wn]`, dimension 0 fastest:
    warp w owns the warp tile (w % wm, w / wm) of 16 x instrShape[1]
    elements (so the 4 warps of a warpgroup stack along M; version 3 needs
    wm a multiple of 4). A larger shape repeats the CTA tile in registers,
    along N first, then M; a smaller one is broadcast.

    ```mlir
    #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>
    #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 128]>
    ```
  }];
  let parameters = (ins "unsigned":$version,
                        ArrayRefParameter<"unsigned">:$warpsPerCTA,
                        ArrayRefParameter<"unsigned">:$instrShape);
  let assemblyFormat = [{
    `<` `version` `=` $version `,`
        `warpsPerCTA` `=` `[` $warpsPerCTA `]` `,`
        `instrShape` `=` `[` $instrShape `]` `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The number of warps the layout spreads a tile over.
    unsigned getNumWarps() const;
  }];
}

def Tile_DotOperandLayoutAttr : Tile_AttrDef<"DotOperandLayout", "dot_operand",
    [DeclareAttrInterfaceMethods<Tile_DistributedLayoutInterface>]> {
  let summary = "an mma operand (A or B) in registers";
  let description = [{
    Operand `opIdx` (0: A [M, K], 1: B [K, N]) of the tensor-core product whose
    accumulator has layout `parent`, in registers, as the PTX fragment tables
    of mma.sync give it. Each thread holds `kWidth` consecutive K elements per
    step (one 32-bit register: 2 for 16-bit types in m16n8k16, 4 for 8-bit
    types in m16n8k32, 1 for tf32 in m16n8k8; a wider kWidth keeps the runs
    of a narrower type that is converted in registers). With g = lane / 4 and
    t = lane % 4, register i of one warp's tile holds
      A [16, 8*kWidth]: row g + 8*((i / kWidth) % 2),
                        column kWidth*t + i % kWidth + 4*kWidth*(i / (2*kWidth))
      B [8*kWidth, 8]:  row kWidth*t + i % kWidth + 4*kWidth*(i / kWidth),
                        column g
    Warps follow the parent (dimension 0 fastest); the warps that differ only
    along K hold copies. A larger shape repeats in registers, along K first.
    With a version 3 parent the layout names the operands of a dot
    tile-accelerate-matmul gives to wgmma: tile-pipeline stages both in
    shared memory, which `tile.warpgroup_dot` reads (wgmma takes B only
    from shared memory, A there or in registers with the fragment above
    per warp); no lowering holds them in registers yet.

    ```mlir
    #tile.dot_operand<opIdx = 0, parent = #tile.mma<...>, kWidth = 2>
    ```
  }];
  let parameters = (ins "unsigned":$opIdx, "MmaLayoutAttr":$parent,
                        "unsigned":$kWidth);
  let assemblyFormat = [{
    `<` `opIdx` `=` $opIdx `,` `parent` `=` qualified($parent) `,`
        `kWidth` `=` $kWidth `>`
  }];
  let genVerifyDecl = 1;
}

def Tile_SharedLayoutAttr : Tile_AttrDef<"SharedLayout", "shared",
    [DeclareAttrInterfaceMethods<Tile_SharedLayoutInterface>]> {
  let summary = "a tile in shared memory with an XOR swizzle";
  let description = [{
    A tile stored with dimension `order[0]` contiguous (then `order[1]`,
    ...); in each row (a line along `order[0]`), the groups of `vec`
    consecutive elements are permuted by XOR with the row's phase
    `(row / perPhase) % maxPhase`: element (row, col) lives at offset
      row * cols + (col ^ (vec * ((row / perPhase) % maxPhase)) % cols).
    With `vec` elements = 16 bytes and maxPhase * 16 bytes = 128 bytes, the 8
    rows an ldmatrix (or a 16-byte access per thread) reads fall in 8 distinct
    groups of 4 banks: no bank conflicts. A rank-1 tile is not swizzled.

    ```mlir
    #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
    ```
  }];
  let parameters = (ins "unsigned":$vec, "unsigned":$perPhase,
                        "unsigned":$maxPhase,
                        ArrayRefParameter<"unsigned">:$order);
  let assemblyFormat = [{
    `<` `vec` `=` $vec `,` `perPhase` `=` $perPhase `,`
        `maxPhase` `=` $maxPhase `,` `order` `=` `[` $order `]` `>`
  }];
  let genVerifyDecl = 1;
}

def Tile_NVMMASharedLayoutAttr : Tile_AttrDef<"NVMMASharedLayout", "nvmma_shared",
    [DeclareAttrInterfaceMethods<Tile_SharedLayoutInterface>]> {
  let summary = "a rank-2 tile in shared memory as TMA writes and wgmma reads";
  let description = [{
    The canonical layouts of the wgmma matrix descriptor and the TMA swizzle
    modes. `swizzle` is the swizzle width W in bytes (32, 64 or 128; 0 for
    none, taken as 16-byte rows). The contiguous dimension (1; 0 when
    `transposed`) is cut into column blocks of W bytes (W*8/elementBits
    elements); each block stores its rows one after another, W bytes each, and
    the blocks follow one another. Inside a block, the 16-byte chunks of the
    byte address are XORed with the address bits from 128 up (CUTLASS
    Swizzle<log2(W/16), 4, 3>): for 128 bytes, chunk ^= row % 8; for 64,
    chunk ^= (row / 2) % 4; for 32, chunk ^= (row / 4) % 2. The tile needs at
    least 8 rows and a multiple of the block width along the contiguous
    dimension.

    ```mlir
    #tile.nvmma_shared<swizzle = 128, elementBits = 16, transposed = false>
    ```
  }];
  let parameters = (ins "unsigned":$swizzle, "unsigned":$elementBits,
                        "BoolAttr":$transposed);
  let assemblyFormat = [{
    `<` `swizzle` `=` $swizzle `,` `elementBits` `=` $elementBits `,`
        `transposed` `=` $transposed `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The width of a column block in elements (W * 8 / elementBits).
    unsigned getBlockWidth() const;
    /// Whether dimension 0 is the contiguous one.
    bool isTransposed() const { return getTransposed().getValue(); }
  }];
}

#endif // TILE_ATTRS_TD
