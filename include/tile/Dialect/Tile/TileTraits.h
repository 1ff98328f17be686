//===- TileTraits.h - Op traits of the tile dialect -------------*- C++ -*-===//

#ifndef TILE_DIALECT_TILE_TILETRAITS_H
#define TILE_DIALECT_TILE_TILETRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace mlir::tile {

/// Checks that every tensor operand and result of `op` has a static shape of
/// rank >= 1 whose extents are powers of two; emits an error naming the value.
LogicalResult verifyPowerOfTwoShapes(Operation *op);

namespace OpTrait {

/// Tiles have static power-of-two extents (ragged edges are masked instead).
template <typename ConcreteType>
class PowerOfTwoShapes
    : public ::mlir::OpTrait::TraitBase<ConcreteType, PowerOfTwoShapes> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return verifyPowerOfTwoShapes(op);
  }
};

} // namespace OpTrait
} // namespace mlir::tile

#endif // TILE_DIALECT_TILE_TILETRAITS_H
