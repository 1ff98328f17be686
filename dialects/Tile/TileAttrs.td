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
  let summary = "a blocked layout with one dimension removed";
  let description = [{
    The layout of a tile that is `parent`'s with dimension `dim` removed: what
    a reduction along `dim` produces, and what `tile.expand_dims` at `dim`
    takes. Threads that differ only along `dim` hold the same elements.

    ```mlir
    #tile.slice<dim = 1, parent = #tile.blocked<...>>
    ```
  }];
  let parameters = (ins "unsigned":$dim, "BlockedLayoutAttr":$parent);
  let assemblyFormat = "`<` `dim` `=` $dim `,` `parent` `=` $parent `>`";
  let genVerifyDecl = 1;
}

#endif // TILE_ATTRS_TD
