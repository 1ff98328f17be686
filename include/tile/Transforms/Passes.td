//===- Passes.td - Tile-level passes ---------------------------*- tablegen -*-===//
//
// Passes on logical tile IR, kept alphabetical. None of them changes numerics
// unless its description says so.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_TRANSFORMS_PASSES_TD
#define TILE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TileCombinePass : Pass<"tile-combine"> {
  let summary = "Tile-level peephole combines run before layout assignment";
  let description = [{
    Rewrites that canonicalization leaves alone because they trade one op for
    another rather than removing one:

    - a chain of pointer offsets becomes one offset:
      `addptr(addptr(p, a), b)` => `addptr(p, a + b)` (same offset type);
    - a select that supplies a masked load's inactive lanes becomes the load's
      `other`: `select(m, load(p, m), x)` => `load(p, m, x)` (the load has no
      `other` and no other use).

    Offsets are element counts in the offset's integer type, so the sum wraps
    exactly as the two separate additions would. Numerics are unchanged.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tile::TileDialect"];
}

#endif // TILE_TRANSFORMS_PASSES_TD
