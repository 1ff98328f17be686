//===- CarryInConvertedLayout.h - Loop-carried tiles in their use's layout ===//
//
// An scf.for iter arg that the body only converts to one layout L, and yields
// converted out of L, is carried in L: the conversions move to the loop's
// init and result. tile-accelerate-matmul keeps an mma accumulator in the mma
// layout so; tile-pipeline does the same after sending a wgmma dot back to
// mma.sync (demoteToMmaV2), whose accumulator the loop carried in the wgmma
// layout. Triton reaches the same in RemoveLayoutConversions.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LIB_TRANSFORMS_CARRYINCONVERTEDLAYOUT_H
#define TILE_LIB_TRANSFORMS_CARRYINCONVERTEDLAYOUT_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::tile {

/// The carry pattern, and tile.convert_layout's canonicalization (the
/// conversions that cancel fold).
void populateCarryInConvertedLayoutPatterns(RewritePatternSet &patterns);

} // namespace mlir::tile

#endif // TILE_LIB_TRANSFORMS_CARRYINCONVERTEDLAYOUT_H
