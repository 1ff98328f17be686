//===- Passes.h - Tile-level passes -----------------------------*- C++ -*-===//

#ifndef TILE_TRANSFORMS_PASSES_H
#define TILE_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"
#include "tile/Dialect/Tile/TileDialect.h"

namespace mlir::tile {

#define GEN_PASS_DECL
#include "tile/Transforms/Passes.h.inc"

/// The discardable attribute tile-coalesce puts on loads and stores: the
/// blocked layout their tiles should have.
constexpr llvm::StringLiteral kLayoutHintAttrName = TileDialect::kLayoutHintAttrName;

/// Adds the patterns of `tile-combine` to `patterns`.
void populateTileCombinePatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "tile/Transforms/Passes.h.inc"

} // namespace mlir::tile

#endif // TILE_TRANSFORMS_PASSES_H
