//===- TileAttrs.cpp - Layout encodings of the tile dialect ---------------===//

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tile;

#define GET_ATTRDEF_CLASSES
#include "tile/Dialect/Tile/TileAttrs.cpp.inc"

void TileDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tile/Dialect/Tile/TileAttrs.cpp.inc"
      >();
}

static unsigned product(ArrayRef<unsigned> values) {
  unsigned p = 1;
  for (unsigned v : values)
    p *= v;
  return p;
}

unsigned BlockedLayoutAttr::getNumWarps() const {
  return product(getWarpsPerCTA());
}

LogicalResult
BlockedLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          ArrayRef<unsigned> sizePerThread,
                          ArrayRef<unsigned> threadsPerWarp,
                          ArrayRef<unsigned> warpsPerCTA,
                          ArrayRef<unsigned> order) {
  size_t rank = order.size();
  if (rank == 0 || sizePerThread.size() != rank ||
      threadsPerWarp.size() != rank || warpsPerCTA.size() != rank)
    return emitError() << "#tile.blocked needs sizePerThread, threadsPerWarp, "
                          "warpsPerCTA and order of one non-zero rank";
  for (ArrayRef<unsigned> values : {sizePerThread, threadsPerWarp, warpsPerCTA})
    for (unsigned v : values)
      if (!isPowerOfTwo(v))
        return emitError() << "#tile.blocked extents must be powers of two";
  if (product(threadsPerWarp) != kWarpSize)
    return emitError() << "#tile.blocked threadsPerWarp must multiply to "
                       << kWarpSize;
  SmallVector<bool> seen(rank, false);
  for (unsigned d : order) {
    if (d >= rank || seen[d])
      return emitError() << "#tile.blocked order must be a permutation of 0.."
                         << rank - 1;
    seen[d] = true;
  }
  return success();
}

LogicalResult
SliceLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        unsigned dim, DistributedLayoutInterface parent) {
  if (!parent || dim >= parent.getLayoutRank())
    return emitError() << "#tile.slice dim " << dim
                       << " is out of range for its parent";
  if (isa<DotOperandLayoutAttr>(parent))
    return emitError() << "#tile.slice of a #tile.dot_operand is not "
                          "supported: slice the #tile.mma accumulator";
  if (parent.getLayoutRank() < 2)
    return emitError() << "#tile.slice needs a parent of rank 2 or more";
  return success();
}
